"""Pages of rosters: the list, the roster as a week or a month (days × shifts, names in cells, what
each shift lacks), its form from a ready layout, and its actions (generate from a pattern, run the
optimiser, publish, a calendar link)."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import layouts, queries, rosters, services
from ..choices import ACTIVE_RUNS, Layout, Pattern, Post
from ..filtersets import RosterFilterSet
from ..forms import FillForm, GenerateForm, RosterForm, SolveForm
from ..models import FeedToken, Roster
from .common import DutyPage
from .feeds import feed_url


class RosterPages(DutyPage):
    model = Roster
    url_base = "duty:roster"
    form_class = RosterForm
    select_related = ["jurisdiction", "team", "owner"]


class RosterListView(RosterPages, ObjectListView):
    template_name = "duty/roster_list.html"
    filterset_class = RosterFilterSet
    columns = ["name", "starts_on", "days", "team", "owner", "state", "jurisdiction"]


def _day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


class RosterDetailView(RosterPages, ObjectDetailView):
    """The roster as a week (default) or its whole period (`?view=month`), with what each shift
    lacks, the checker's verdict in words, and the actions its people may take."""

    template_name = "duty/roster_detail.html"
    fields = ["name", "jurisdiction", "team", "owner", "starts_on", "days", "state", "published_at"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        roster, user = self.object, self.request.user
        today = timezone.localdate()
        view = "month" if self.request.GET.get("view") == "month" else "week"
        if view == "week":
            anchor = _day(self.request.GET.get("week"), min(max(today, roster.starts_on), roster.ends_on))
            start = max(queries.week_start(anchor), roster.starts_on)
            days = (queries.week_start(anchor) + timedelta(days=7) - start).days
            prev_week = queries.week_start(anchor) - timedelta(days=7)
            next_week = queries.week_start(anchor) + timedelta(days=7)
            ctx["prev_week"] = prev_week.isoformat() if next_week > roster.starts_on + timedelta(days=7) else None
            ctx["next_week"] = next_week.isoformat() if next_week <= roster.ends_on else None
        else:
            start, days = roster.starts_on, roster.days
        grid = queries.grid(roster, start, days)
        verdict = rosters.check(roster)
        people = {p.pk: p for p in [*roster.members.all(), *roster.leaders.all()]}
        names = {str(pk): p.name for pk, p in people.items()}
        may_change = can_at(user, "duty", "change", roster.scope_path)
        services.expire_stale_runs(roster)
        runs = list(roster.runs.order_by("-created_at")[:5])
        ctx.update(
            view=view, grid=grid, today=today, verdict=verdict, may_change=may_change,
            violations=[rosters.describe(roster, v, names) for v in verdict["violations"][:12]],
            more_violations=max(len(verdict["violations"]) - 12, 0),
            terms=[(rosters.term_label(k), v) for k, v in verdict["terms"].items() if v],
            members=sorted(people.values(), key=lambda p: p.name), me=getattr(getattr(user, "person", None), "pk", None),
            runs=runs, active_run=next((r for r in runs if r.state in ACTIVE_RUNS), None),
            shift_times=[(s, s["start"], s["end"]) for s in roster.shifts],
            demand_lines=[(roster.shift_label(r["shift"]), dict(Post.choices).get(r["role"], r["role"]), r["count"])
                          for r in roster.demand],
            posture_raised=queries.roster_demand(roster) != queries.roster_demand(roster, with_posture=False),
        )
        if may_change:
            ctx["generate_form"] = None if roster.is_published else GenerateForm(roster=roster, user=user, initial={
                "pattern": Pattern.FOUR_TEAMS if layouts.layout_of(roster.shifts) == Layout.THREE_SHIFTS else Pattern.DAILY})
            ctx["solve_form"] = SolveForm()
            if grid.short_count or not verdict["ok"]:
                first_short = next((day for day, shift in sorted(grid.shortfalls)), None)
                ctx["fill_form"] = FillForm(roster=roster, user=user, initial={"day": first_short})
            ctx["feeds"] = [(f, feed_url(self.request, f)) for f in
                            FeedToken.objects.filter(roster=roster, revoked_at__isnull=True)]
        ctx["can_delete"] = ctx["can_delete"] and not roster.is_published
        return ctx


class RosterCreateView(RosterPages, ObjectCreateView):
    template_name = "duty/object_form.html"

    def save_form(self, form):
        values = form.values()
        return services.create_roster(user=self.request.user, **values)


class RosterUpdateView(RosterPages, ObjectUpdateView):
    template_name = "duty/object_form.html"

    def save_form(self, form):
        values = form.values()
        node = values.pop("node")
        return services.edit_roster(self.object, user=self.request.user, jurisdiction=node, **values)


class RosterDeleteView(RosterPages, ObjectDeleteView):
    def form_valid(self, form):
        if self.object.is_published:
            messages.error(self.request, _("A published roster is kept: people's calendars and the audit refer to it."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().form_valid(form)


class RosterGenerateView(ObjectActionView):
    model = Roster
    form_class = GenerateForm
    success_message = gettext_lazy("Generated from the pattern. Check the shifts, then publish or run the optimiser.")

    def get_form_kwargs(self, obj):
        return {"roster": obj, "user": self.request.user}

    def perform(self, obj, form):
        return services.generate(obj, pattern=form.cleaned_data["pattern"], groups=form.groups(),
                                 post=form.cleaned_data.get("post") or None, user=self.request.user)


class RosterSolveView(ObjectActionView):
    """Start the optimiser; its page shows the progress."""

    model = Roster
    form_class = SolveForm
    success_message = gettext_lazy("The optimiser is working: its best roster so far shows below as it improves.")

    def perform(self, obj, form):
        run = services.start_solve(obj, seconds=form.cleaned_data["seconds"], workers=form.cleaned_data["workers"],
                                   user=self.request.user)
        messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(run.get_absolute_url())


class RosterPublishView(ObjectActionView):
    model = Roster
    success_message = gettext_lazy("Published: the people on it see their duties, and their calendars follow.")

    def perform(self, obj, form):
        return services.publish(obj, user=self.request.user)


class RosterFillView(ObjectActionView):
    """Put a person on a shift that lacks one (checked by the rules, the rule named when refused)."""

    model = Roster
    form_class = FillForm
    success_message = gettext_lazy("Done: the person is on the shift.")

    def get_form_kwargs(self, obj):
        return {"roster": obj, "user": self.request.user}

    def perform(self, obj, form):
        return services.fill_slot(obj, user=self.request.user, **form.cleaned_data)

    def success_url(self, obj):
        return obj.get_absolute_url() + f"?week={self.request.POST.get('day', '')}"


class RosterFeedView(ObjectActionView):
    """A new secret calendar link of the whole roster."""

    model = Roster
    success_message = gettext_lazy("A calendar link was made: copy it into the calendar app.")

    def perform(self, obj, form):
        return services.make_feed(roster=obj, user=self.request.user)


urlpatterns = [
    *crud_urls("rosters", "roster", list=RosterListView, detail=RosterDetailView, create=RosterCreateView,
               edit=RosterUpdateView, delete=RosterDeleteView),
    path("rosters/<int:pk>/generate/", RosterGenerateView.as_view(), name="roster_generate"),
    path("rosters/<int:pk>/solve/", RosterSolveView.as_view(), name="roster_solve"),
    path("rosters/<int:pk>/publish/", RosterPublishView.as_view(), name="roster_publish"),
    path("rosters/<int:pk>/feed/", RosterFeedView.as_view(), name="roster_feed"),
    path("rosters/<int:pk>/fill/", RosterFillView.as_view(), name="roster_fill"),
]

