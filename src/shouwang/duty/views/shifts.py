"""Pages of a person's duties: one shift (who else is on it, the one-tap confirmation, a swap, the
office's override, the handover), "my duties" (phone-first), who is on duty now, and handovers."""

from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can_at, scope_paths
from shouwang.core.views.base import ObjectActionView, ObjectDetailView, ObjectListView, crud_urls

from .. import queries, services
from ..choices import CONFIRMED_POSTS, OPEN_SWAPS
from ..filtersets import HandoverFilterSet
from ..forms import HandoverForm, OverrideForm, ReasonForm, SwapForm
from ..models import Assignment, FeedToken, Handover, SwapRequest
from .common import DutyPage
from .feeds import feed_url


def _me(user):
    return getattr(user, "person", None)


def decorate(assignments, now, me=None):
    """What a person may do with each of his shifts, for the templates."""
    for a in assignments:
        a.is_mine = me is not None and a.person_id == me.pk
        a.can_confirm = (a.is_mine and a.confirmed_at is None and a.removed_at is None and a.roster.is_published
                         and a.starts_at - services.CONFIRM_OPENS_BEFORE <= now < a.ends_at)
        a.needs_confirmation = a.post in CONFIRMED_POSTS
        a.is_now = a.starts_at <= now < a.ends_at
        a.is_over = a.ends_at <= now
    return assignments


class AssignmentDetailView(DutyPage, ObjectDetailView):
    model = Assignment
    url_base = "duty:assignment"
    template_name = "duty/assignment_detail.html"
    select_related = ["roster__jurisdiction", "person", "jurisdiction"]
    fields = ["roster", "person", "day", "post", "confirmed_at", "removed_at"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a, user, now = self.object, self.request.user, timezone.now()
        me = _me(user)
        decorate([a], now, me)
        office = can_at(user, "duty", "change", a.scope_path)
        same = (Assignment.objects.live().filter(roster=a.roster, day=a.day, shift=a.shift).exclude(pk=a.pk)
                .select_related("person"))
        live = a.removed_at is None and a.roster.is_published and not a.is_over
        ctx.update(
            can_change=False, can_delete=False, shift=a.roster.shift(a.shift) or {}, colleagues=list(same),
            swap_form=SwapForm(assignment=a) if live and (a.is_mine or office) else None,
            override_form=OverrideForm(assignment=a, user=user) if office and a.removed_at is None else None,
            handover_form=(HandoverForm(assignment=a, initial={"incoming": next(iter(services.next_on_duty(a)), None)})
                           if a.removed_at is None and a.roster.is_published and (a.is_mine or office) and
                           a.starts_at <= now + timedelta(hours=1) else None),
            swaps=a.swaps.select_related("colleague", "requester").order_by("-created_at"),
            handovers=a.handovers.select_related("incoming", "written_by"),
        )
        return ctx


class _AssignmentAction(ObjectActionView):
    model = Assignment
    select_related = ("roster", "person")


class AssignmentConfirmView(_AssignmentAction):
    right = None  # only the person on the shift: the service says so
    success_message = gettext_lazy("Confirmed: you are on duty.")

    def perform(self, obj, form):
        return services.confirm_on_duty(obj, user=self.request.user)


class AssignmentSwapView(_AssignmentAction):
    right = None  # the person on the shift, or the office on his behalf: the service checks
    form_class = SwapForm

    def get_form_kwargs(self, obj):
        return {"assignment": obj}

    def perform(self, obj, form):
        swap = services.request_swap(assignment=obj, colleague=form.cleaned_data["colleague"],
                                     reason=form.cleaned_data["reason"], user=self.request.user,
                                     client_uuid=form.cleaned_data.get("client_uuid"))
        return HttpResponseRedirect(swap.get_absolute_url())


class AssignmentOverrideView(_AssignmentAction):
    form_class = OverrideForm
    success_message = gettext_lazy("Done: the shift is the new person's, and the calendars follow.")

    def get_form_kwargs(self, obj):
        return {"assignment": obj, "user": self.request.user}

    def perform(self, obj, form):
        new = services.override(obj, person=form.cleaned_data["person"], reason=form.cleaned_data["reason"],
                                user=self.request.user)
        return new

    def success_url(self, obj):
        return obj.roster.get_absolute_url() + f"?week={obj.day.isoformat()}"


class AssignmentStandDownView(_AssignmentAction):
    form_class = ReasonForm
    success_message = gettext_lazy("Taken off the shift: fill it, or let the optimiser re-solve the roster.")

    def perform(self, obj, form):
        return services.stand_down(obj, reason=form.cleaned_data["reason"], user=self.request.user)

    def success_url(self, obj):
        return obj.roster.get_absolute_url() + f"?week={obj.day.isoformat()}"


class AssignmentHandoverView(_AssignmentAction):
    right = None
    form_class = HandoverForm
    success_message = gettext_lazy("Handed over: the next person is asked to acknowledge it.")

    def get_form_kwargs(self, obj):
        return {"assignment": obj}

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.write_handover(assignment=obj, incoming=data["incoming"], open_items=data["open_items"],
                                       incidents=data["incidents"], notes=data["notes"], user=self.request.user,
                                       client_uuid=data.get("client_uuid"))


class MyDutiesView(DutyPage, LoginRequiredMixin, generic.TemplateView):
    """A person's duties from yesterday on (phone-first): confirm with one tap, ask for a swap, hand
    over; his swap requests, handovers to acknowledge, leave, and his calendar links."""

    template_name = "duty/mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        me = _me(user)
        ctx["person"] = me
        if me is None:
            return ctx
        duties = [a for a in queries.my_duties(me, timezone.localdate(now), days=21) if a.ends_at > now - timedelta(hours=12)]
        ctx["duties"] = decorate(duties, now, me)
        ctx["swaps"] = (SwapRequest.objects.filter(colleague=me, state__in=OPEN_SWAPS) | SwapRequest.objects.filter(
            requester=me, created_at__gte=now - timedelta(days=30))).select_related(
            "assignment__roster", "requester", "colleague").order_by("-created_at")[:20]
        ctx["to_acknowledge"] = Handover.objects.filter(incoming=me, acknowledged_at__isnull=True).select_related(
            "written_by", "roster")
        ctx["feeds"] = [(f, feed_url(self.request, f)) for f in FeedToken.objects.filter(person=me,
                                                                                         revoked_at__isnull=True)]
        ctx["leave"] = me.duty_leaves.filter(ends_on__gte=timezone.localdate(now))
        return ctx


class NowView(DutyPage, LoginRequiredMixin, generic.TemplateView):
    """Who is on duty now in the user's scope, by node, with the posture in force."""

    template_name = "duty/now.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        rows = queries.on_duty(Assignment.objects.restrict(user, "view"), now)
        paths = scope_paths(user, "duty", "view")
        nodes = list(Jurisdiction.objects.filter(path__in=paths).order_by("depth", "path")) if paths else []
        node = (nodes[0] if nodes and not user.is_superuser else
                Jurisdiction.objects.filter(depth=1).order_by("path").first())
        # and whom to call above: the duty of the nodes over the user's own (the street's leader on duty
        # answers for its communities), as the contact directory shows it
        found = {a.pk: a for a in rows}
        for own in nodes if not user.is_superuser else []:
            found.update((a.pk, a) for a in queries.on_duty_for(own, now))
        rows = queries.in_call_order(found.values())
        ctx.update(rows=rows, now=now, node=node, posture=queries.posture_at(node, now)[1] if node else None)
        return ctx


class HandoverPages(DutyPage):
    model = Handover
    url_base = "duty:handover"
    select_related = ["roster", "written_by", "incoming", "jurisdiction"]


class HandoverListView(HandoverPages, ObjectListView):
    filterset_class = HandoverFilterSet
    columns = ["written_at", "written_by", "incoming", "roster", "acknowledged_at"]
    template_name = "duty/object_list.html"


class HandoverDetailView(HandoverPages, ObjectDetailView):
    template_name = "duty/handover_detail.html"
    fields = ["roster", "assignment", "written_by", "incoming", "written_at", "open_items", "incidents", "notes",
              "acknowledged_at"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        h = self.object
        me = _me(self.request.user)
        ctx.update(can_change=False, can_delete=False,
                   may_acknowledge=me is not None and me.pk == h.incoming_id and h.acknowledged_at is None,
                   ack_due=h.written_at + services.HANDOVER_ACK)
        return ctx


class HandoverAcknowledgeView(ObjectActionView):
    model = Handover
    right = None
    success_message = gettext_lazy("Acknowledged: the shift is yours.")

    def perform(self, obj, form):
        return services.acknowledge_handover(obj, user=self.request.user)


urlpatterns = [
    path("shifts/<int:pk>/", AssignmentDetailView.as_view(), name="assignment_detail"),
    path("shifts/<int:pk>/confirm/", AssignmentConfirmView.as_view(), name="assignment_confirm"),
    path("shifts/<int:pk>/swap/", AssignmentSwapView.as_view(), name="assignment_swap"),
    path("shifts/<int:pk>/override/", AssignmentOverrideView.as_view(), name="assignment_override"),
    path("shifts/<int:pk>/handover/", AssignmentHandoverView.as_view(), name="assignment_handover"),
    path("shifts/<int:pk>/stand-down/", AssignmentStandDownView.as_view(), name="assignment_stand_down"),
    path("mine/", MyDutiesView.as_view(), name="mine"),
    path("now/", NowView.as_view(), name="now"),
    *crud_urls("handovers", "handover", list=HandoverListView, detail=HandoverDetailView),
    path("handovers/<int:pk>/acknowledge/", HandoverAcknowledgeView.as_view(), name="handover_acknowledge"),
]
