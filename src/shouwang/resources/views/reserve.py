"""Pages of the reserve team: the teams and their readiness, the assembly point, call-outs (sent,
acknowledged, checked in at the assembly point) and the report of each against the policy."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.choices import TeamKind
from shouwang.core.models import Team
from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectListView,
    ScopedMixin,
    crud_urls,
)

from .. import queries, services
from ..filtersets import CallOutFilterSet
from ..forms import AssemblyPointForm, CallOutForm, CheckInForm
from ..models import AssemblyPoint, CallOut
from .base import RecordDetailView, RecordFormView


class ReserveTeamListView(ScopedMixin, generic.ListView):
    """The reserve teams in scope: members against the policy's size, the assembly point, the
    last call-out test."""

    model = Team
    template_name = "resources/team_list.html"

    def get_queryset(self):
        return queries.reserve_teams(self.request.user).prefetch_related("members").order_by("name")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["teams"] = [_team_row(t) for t in ctx["object_list"]]
        return ctx


def _team_row(team):
    test = queries.last_test(team)
    size = services.effective(team.jurisdiction).get("reserve_team_size")
    members = [m for m in team.members.all() if m.active]
    return {"team": team, "members": len(members), "size": size, "point": AssemblyPoint.objects.filter(team=team).first(),
            "test": test, "report": queries.callout_report(test) if test else None,
            "with_login": sum(1 for m in members if m.user_id)}


class ReserveTeamDetailView(ScopedMixin, generic.DetailView):
    """A reserve team's readiness: members, assembly point, call-outs and the last test's report."""

    model = Team
    template_name = "resources/team_detail.html"

    def get_queryset(self):
        return queries.reserve_teams(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        team, user = self.object, self.request.user
        ctx.update(_team_row(team))
        ctx["member_list"] = services.members_of(team)
        ctx["callouts"] = team.callouts.order_by("-sent_at")[:10]
        ctx["open_callout"] = team.callouts.filter(closed_at__isnull=True).first()
        ctx["may_call"] = can_at(user, "resources", "add", team.scope_path)
        ctx["may_edit"] = can_at(user, "resources", "change", team.scope_path)
        ctx["form"] = CallOutForm()
        return ctx


class TeamFormView(RecordFormView):
    model = Team

    def get_queryset(self):
        return queries.reserve_teams(self.request.user)

    def get_success_url(self, result=None):
        return reverse("resources:team_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["back_url"] = reverse("resources:team_detail", args=[self.object.pk])
        return ctx


class AssemblyPointView(TeamFormView):
    """Set or change the team's assembly point."""

    form_class = AssemblyPointForm
    title = gettext_lazy("Assembly point")
    success_message = gettext_lazy("Assembly point saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        point = AssemblyPoint.objects.filter(team=self.object).first()
        kwargs["instance"] = point or AssemblyPoint(team=self.object, jurisdiction=self.object.jurisdiction)
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, team, form):
        if team.kind != TeamKind.RESERVE:
            raise PermissionDenied(_("Only a reserve team has an assembly point here."))
        point = form.save(commit=False)
        point.team, point.jurisdiction = team, team.jurisdiction
        point.full_clean()
        point.save()
        return point


class CallOutCreateView(TeamFormView):
    form_class = CallOutForm
    right = "add"
    title = gettext_lazy("Call out the reserve team")
    template_name = "resources/callout_form.html"

    def perform(self, team, form):
        d = form.cleaned_data
        return services.call_out(team, by=self.request.user, kind=d["kind"], message=d["message"],
                                 client_uuid=d.get("client_uuid"))

    def get_success_message(self, callout):
        return _("Called out: %(n)s members told.") % {"n": callout.answers.count()}

    def get_success_url(self, callout=None):
        return callout.get_absolute_url()


class CallOutPages:
    model = CallOut
    url_base = "resources:callout"


class CallOutListView(CallOutPages, ObjectListView):
    filterset_class = CallOutFilterSet
    columns = ["sent_at", "team", "kind", "assembly", "closed_at"]
    select_related = ["team"]


class CallOutDetailView(CallOutPages, RecordDetailView):
    """The call-out, live: who acknowledged and who arrived, when; the check-in at the assembly
    point; the shares within 30 and 60 minutes against the policy's targets."""

    template_name = "resources/callout_detail.html"
    fields = []
    select_related = ["team", "jurisdiction", "sent_by__person"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        callout, user = self.object, self.request.user
        ctx.update(queries.callout_report(callout))
        ctx["may_check_in"] = callout.is_open and can_at(user, "resources", "change", callout.scope_path)
        ctx["checkin_form"] = CheckInForm(callout=callout) if ctx["may_check_in"] else None
        ctx["now"] = timezone.now()
        return ctx


class CheckInView(RecordFormView):
    """Arrivals at the assembly point (ICS 211): tick who arrived; the time is now unless given."""

    model = CallOut
    form_class = CheckInForm
    title = gettext_lazy("Check in at the assembly point")
    template_name = "resources/checkin_form.html"

    def form_context(self):
        return {"callout": self.object}

    def perform(self, callout, form):
        return services.check_in(callout, form.cleaned_data["persons"], by=self.request.user,
                                 at=form.cleaned_data.get("at"))

    def get_success_message(self, done):
        return _("Checked in: %(n)s members.") % {"n": len(done)}


class CloseCallOutView(ObjectActionView):
    model = CallOut
    success_message = gettext_lazy("Call-out closed.")

    def perform(self, callout, form):
        return services.close_callout(callout, by=self.request.user)


urlpatterns = [
    path("teams/", ReserveTeamListView.as_view(), name="team_list"),
    path("teams/<int:pk>/", ReserveTeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/assembly/", AssemblyPointView.as_view(), name="assembly_point"),
    path("teams/<int:pk>/callout/", CallOutCreateView.as_view(), name="callout_create"),
    *crud_urls("callouts", "callout", list=CallOutListView, detail=CallOutDetailView),
    path("callouts/<int:pk>/checkin/", CheckInView.as_view(), name="checkin"),
    path("callouts/<int:pk>/close/", CloseCallOutView.as_view(), name="callout_close"),
]
