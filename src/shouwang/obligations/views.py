"""Pages: my obligations, the board of a node, an obligation's detail and actions, the inbox, webhooks."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from shouwang.core.scope import can, can_at
from shouwang.core.tables import sort_headers
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ScopedMixin,
    history_of,
    is_partial,
    partial_or_page,
)

from . import services
from .choices import NotificationKind, State
from .filtersets import ObligationFilterSet, WebhookFilterSet
from .forms import MeetForm, WaiveForm, WebhookForm
from .models import Delivery, Notification, Obligation, Webhook
from .notify import mark_read, unread_count
from .queries import RELATED, inbox_groups, my_obligations

STATE_ORDER = [s.value for s in State]


@login_required
def mine(request):
    now = timezone.now()
    lists = my_obligations(request.user, now)
    sections = [
        ("due_today", _("Due today"), list(lists["due_today"])),
        ("overdue", _("Overdue"), list(lists["overdue"])),
        ("done", _("Done in the last 7 days"), list(lists["done"])),
    ]
    for _key, _label, items in sections:
        for ob in items:
            ob.current_state = ob.state_at(now)
    return render(request, "obligations/mine.html", {"sections": sections, "now": now})


def counts_by(qs, now):
    """Counts by state, kind and unit of a filtered queryset: three grouped queries."""
    by_state = dict(qs.with_state(now).order_by().values_list("state_db").annotate(n=Count("pk")).values_list("state_db", "n"))
    by_kind = list(qs.order_by().values("kind").annotate(n=Count("pk")).order_by("-n", "kind")[:30])
    by_unit = list(
        qs.order_by().values("responsible_unit", "responsible_unit__name").annotate(n=Count("pk")).order_by("-n")[:30]
    )
    return {
        "state": [(State(s).label, s, by_state[s]) for s in STATE_ORDER if by_state.get(s)],
        "kind": [(row["kind"], row["n"]) for row in by_kind],
        "unit": [(row["responsible_unit__name"] or _("no unit"), row["n"]) for row in by_unit],
    }


class ObligationBoardView(ObjectListView):
    """The board of a node (`?node=`) with the one FilterSet and counts by state, kind and unit."""

    model = Obligation
    url_base = "obligations:obligation"
    filterset_class = ObligationFilterSet
    select_related = list(RELATED)
    template_name = "obligations/board.html"
    partial_template_name = "obligations/_board.html"
    paginate_by = 50
    sort_columns = {"title": (_l("Obligation"), "title"), "state": (_l("State"), "urgency"),
                    "due_at": (_l("Due at"), "due_at"), "jurisdiction": (_l("Node"), "jurisdiction__name"),
                    "responsible_unit": (_l("Responsible unit"), "responsible_unit__name"),
                    "responsible_person": (_l("Responsible person"), "responsible_person__name")}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["now"] = self.now
        return kwargs

    def get(self, request, *args, **kwargs):
        self.now = timezone.now()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().most_urgent_first(self.now)

    def get_context_data(self, **kwargs):
        ctx = super(ObjectListView, self).get_context_data(**kwargs)
        ctx["partial_template"] = self.partial_template_name
        ctx["list_url"] = self.request.path
        ctx["now"] = self.now
        ctx["sort_headers"] = sort_headers(self.get_sort_spec(), getattr(self, "sort", ""))
        ctx["counts"] = counts_by(self.object_list, self.now)
        for ob in ctx["object_list"]:
            ob.current_state = ob.state_at(self.now)
        return ctx


class ObligationDetailView(ScopedMixin, DetailView):
    model = Obligation
    url_base = "obligations:obligation"
    select_related = list(RELATED)
    template_name = "obligations/obligation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ob, user, now = self.object, self.request.user, timezone.now()
        state = ob.state_at(now)
        pending = state not in (State.MET, State.MET_LATE, State.WAIVED)
        ctx.update(
            now=now, state=state, lateness=ob.lateness(now), subject=_subject(ob), history=history_of(ob, user),
            notifications=ob.notifications.select_related("recipient").order_by("created_at", "pk"),
            deliveries=Delivery.objects.filter(obligation=ob).select_related(
                "webhook", "notification__recipient__person").order_by("created_at", "pk"),
            can_manage_channels=can_at(user, "obligations", "delete", ob.scope_path),
            rule_value=_rule_value(ob),
            can_waive=pending and can_at(user, "obligations", "waive", ob.scope_path),
            can_meet=pending and now >= ob.opens_at and can_at(user, "obligations", "change", ob.scope_path),
            can_reopen=not pending and can_at(user, "obligations", "change", ob.scope_path),
            waive_form=kwargs.get("waive_form") or WaiveForm(), meet_form=kwargs.get("meet_form") or MeetForm(),
        )
        return ctx


def _subject(ob):
    if ob.subject_type_id is None:
        return None
    try:
        subject = ob.subject
    except Exception:  # its app's model is gone
        return None
    if subject is None:
        return {"label": _("(deleted)"), "url": None}
    url = getattr(subject, "get_absolute_url", None)
    return {"label": str(subject), "url": url() if url else None}


def _rule_value(ob):
    """The rule's entry in the frozen policy version, when it can be found by name."""
    if ob.policy_version is None or not ob.rule:
        return None
    for section in ob.policy_version.rules.values():
        items = section if isinstance(section, list) else [section] if isinstance(section, dict) else []
        for item in items:
            if isinstance(item, dict) and ob.rule in (item.get("rule"), item.get("slot"), item.get("name")):
                return item
    return None


class ObligationAction(ObjectActionView):
    """Meet, waive or reopen: the service checks the right (a refusal is a 403 page)."""

    model = Obligation
    right = None
    denied_as_message = False
    select_related = RELATED


class WaiveView(ObligationAction):
    form_class = WaiveForm

    def perform(self, ob, form):
        services.waive(ob, reason=form.cleaned_data["reason"], by=self.request.user)


class MeetView(ObligationAction):
    form_class = MeetForm

    def perform(self, ob, form):
        services.meet(ob, by=self.request.user, evidence=form.cleaned_data["evidence"])


class ReopenView(ObligationAction):
    def perform(self, ob, form):
        services.reopen(ob, by=self.request.user)


@login_required
def inbox(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in NotificationKind.values else ""
    groups = inbox_groups(request.user, unread=bool(request.GET.get("unread")), kind=kind)
    page = Paginator(groups, 20).get_page(request.GET.get("page"))
    ctx = {"page_obj": page, "groups": page.object_list, "unread": unread_count(request.user),
           "kinds": NotificationKind.choices, "kind": kind, "unread_only": bool(request.GET.get("unread"))}
    return render(request, partial_or_page(request, "obligations/_inbox.html", "obligations/inbox.html"), ctx)


@login_required
def inbox_open(request, pk):
    """A message's link: read it, then go to its record (one's own messages only)."""
    note = get_object_or_404(Notification.objects.select_related("obligation"), pk=pk, recipient=request.user)
    mark_read(request.user, [note.pk])
    return redirect(note.obligation.get_absolute_url() if note.obligation_id else note.url or "obligations:inbox")


@login_required
def inbox_count(request):
    """The navigation badge refreshes itself from here (shouwang/badge.js)."""
    return JsonResponse({"unread": unread_count(request.user)})


@login_required
@require_POST
def inbox_read(request):
    pks = request.POST.getlist("notification") or None
    done = mark_read(request.user, pks)
    if pks and len(pks) == 1 and not is_partial(request):
        note = Notification.objects.filter(recipient=request.user, pk=pks[0]).select_related("obligation").first()
        if note is not None and note.obligation_id:
            return redirect(note.obligation)
    if not is_partial(request):
        messages.success(request, _("%(n)s marked as read.") % {"n": done})
    return redirect("obligations:inbox")


class WebhookPages:
    model = Webhook
    url_base = "obligations:webhook"
    form_class = WebhookForm
    select_related = ["jurisdiction"]


class WebhookListView(WebhookPages, ObjectListView):
    filterset_class = WebhookFilterSet

    @property
    def columns(self):  # the URL (it may carry a token) only for who sets webhooks up
        manages = can(self.request.user, "obligations", "add")
        return ["name", "url", "jurisdiction", "active"] if manages else ["name", "jurisdiction", "active"]


class WebhookDetailView(WebhookPages, ObjectDetailView):
    @property
    def fields(self):
        manages = can_at(self.request.user, "obligations", "add", self.object.scope_path)
        return ["name", "url", "jurisdiction", "active"] if manages else ["name", "jurisdiction", "active"]


class WebhookCreateView(WebhookPages, ObjectCreateView):
    pass


class WebhookUpdateView(WebhookPages, ObjectUpdateView):
    pass


class WebhookDeleteView(WebhookPages, ObjectDeleteView):
    pass
