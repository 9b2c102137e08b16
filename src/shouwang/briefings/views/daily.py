"""Pages: submit a daily report (phone-friendly), read one, and the office's table of who reported."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.idempotency import KeyTaken, replay
from shouwang.core.scope import can, can_at, nodes_where
from shouwang.core.views.base import (
    CorrectionView,
    ObjectActionView,
    ObjectCreateView,
    ObjectListView,
    ScopedMixin,
    history_of,
    partial_or_page,
)
from shouwang.obligations.models import Obligation
from shouwang.policies.services import rule_label

from .. import queries, services
from ..choices import Cell, Slot
from ..filtersets import DailyReportFilterSet
from ..forms import DailyReportCorrectionForm, DailyReportForm, WithdrawForm
from ..models import DailyReport


class DailyReportListView(ObjectListView):
    model = DailyReport
    url_base = "briefings:dailyreport"
    filterset_class = DailyReportFilterSet
    columns = ["jurisdiction", "date", "slot", "submitted_at", "submitted_by", "police_on_duty",
               "patrol_team_on_duty", "volunteers_on_duty"]
    select_related = ["jurisdiction", "submitted_by"]

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "jurisdiction__path", "slot")


class DailyReportCreateView(ObjectCreateView):
    model = DailyReport
    url_base = "briefings:dailyreport"
    form_class = DailyReportForm
    template_name = "briefings/dailyreport_form.html"

    def get_initial(self):
        initial = super().get_initial()
        for key in ("jurisdiction", "date", "slot"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["already_in"] = self.already_in(ctx["form"])
        return ctx

    def already_in(self, form):
        """The report already filed for the form's community, day and slot: said before typing."""
        if form.is_bound:
            return None
        node, day, slot = (form.initial.get(k) for k in ("jurisdiction", "date", "slot"))
        if not (node and day and slot) or not str(node).isdigit():
            return None
        return (DailyReport.objects.restrict(self.request.user, "view")
                .filter(jurisdiction_id=int(node), date=day, slot=slot, withdrawn_at__isnull=True)
                .order_by("-pk").first())

    def post(self, request, *args, **kwargs):
        # A form sent twice (double tap, retry after a dropped connection) lands on the first report.
        client_uuid = request.POST.get("client_uuid")
        if client_uuid:
            try:
                existing = replay(DailyReport, request.user, client_uuid=client_uuid)
            except (ValidationError, KeyTaken):
                existing = None  # a bad or someone else's key: the form shows the reason when saved
            if existing is not None:
                return HttpResponseRedirect(existing.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def save_form(self, form):
        data = dict(form.cleaned_data)
        report, created = services.submit_report(
            jurisdiction=data.pop("jurisdiction"), date=data.pop("date"), slot=data.pop("slot"),
            client_uuid=data.pop("client_uuid", None), user=self.request.user, **data,
        )
        self.created = created
        return report


class DailyReportDetailView(ScopedMixin, generic.DetailView):
    model = DailyReport
    url_base = "briefings:dailyreport"
    template_name = "briefings/dailyreport_detail.html"
    select_related = ["jurisdiction", "submitted_by"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = self.object
        obligation = Obligation.objects.with_keys([queries.daily_key(report.jurisdiction, report.date, report.slot)]).first()
        corrected_by = DailyReport.objects.filter(corrects=report).first()
        ctx.update(
            obligation=obligation,
            state=queries.cell_of(obligation) if obligation else None,
            lateness=obligation.lateness() if obligation else None,
            rule_label=rule_label(obligation.rule, obligation.policy_version) if obligation else "",
            history=history_of(report, self.request.user),
            table_url=f"{_table_url()}?date={report.date.isoformat()}",
            corrected_by=corrected_by,
            can_correct=corrected_by is None and not report.withdrawn_at
            and can_at(self.request.user, "briefings", "correct", report.scope_path),
            withdraw_form=WithdrawForm(),
        )
        return ctx


class DailyReportCorrectView(CorrectionView):
    """The office files a corrected version of a report, with the reason; the original stays."""

    model = DailyReport
    form_class = DailyReportCorrectionForm
    area = "briefings"

    def correct(self, original, reason, **changed):
        return services.correct_report(original, user=self.request.user, reason=reason, **changed)


class DailyReportWithdrawView(ObjectActionView):
    """The office withdraws a report sent in error; its slot is open again."""

    model = DailyReport
    right = None  # the service checks the office's right
    denied_as_message = False
    form_class = WithdrawForm
    success_message = gettext_lazy("Withdrawn: the report stays on record; its slot is open again.")

    def perform(self, report, form):
        services.withdraw_report(report, user=self.request.user, reason=form.cleaned_data["withdraw_reason"])


def _table_url():
    return reverse("briefings:dailyreport_table")


class TableFilterForm(forms.Form):
    node = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("node (with subtree)"))
    date = forms.DateField(required=False, label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes_where(user, "briefings", "view").exclude(level__in=["area", "grid"])


def _top_node(user):
    nodes = list(nodes_where(user, "briefings", "view").only("pk", "path", "depth", "name", "level")[:1])
    return nodes[0] if nodes else None


@login_required
def dailyreport_table(request):
    """Rows = communities, columns = slots; each cell on time / late / missing / due soon / not yet open."""
    user = request.user
    if not can(user, "briefings", "view"):
        raise PermissionDenied(_("You may not see the daily reports."))
    form = TableFilterForm(request.GET or None, user=user, initial={"date": timezone.localdate()})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    now = timezone.now()
    day = data.get("date") or timezone.localdate(now)
    node = data.get("node") or _top_node(user)
    pairs = [(n, eff) for n, eff in queries.reporting_nodes(under=node) if can_at(user, "briefings", "view", n.path)] \
        if node is not None else []
    slots = []
    for _n, eff in pairs:
        for slot in queries.slots_of(eff):
            if slot["slot"] not in slots:
                slots.append(slot["slot"])
    rows, counts = queries.report_table(day, [n for n, _eff in pairs], slots, now=now)
    ctx = {
        "form": form, "day": day, "node": node, "rows": rows, "now": now,
        "slots": [Slot(s) for s in slots],
        "counts": [(Cell(state), n) for state, n in counts.items() if n or state in (Cell.ON_TIME, Cell.LATE, Cell.MISSING)],
        "can_add": can(user, "briefings", "add"),
        "is_today": day == timezone.localdate(now),
        "submittable": (Cell.OPEN, Cell.DUE_SOON, Cell.MISSING),
    }
    return render(request, partial_or_page(request, "briefings/_dailyreport_table.html",
                                           "briefings/dailyreport_table.html"), ctx)
