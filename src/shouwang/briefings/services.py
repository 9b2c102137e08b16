"""Scheduled daily reports: opening their obligations and submitting reports.

Each community (the levels named in its policy's `daily_reports.levels`) owes one report per
slot per day. `open_daily_obligations(day)` opens those obligations, idempotently (one key per
node, day and slot), at the times of the node's effective policy. `submit_report(...)` writes
the report and meets its obligation, late if after the deadline. Both accept explicit days and
times, so that the demo and imports can record the past.

Who answers for a community's report: the residents' committee (居委会) of the community as
responsible unit, and as responsible person that committee's liaison (联络员, the person each
unit names for reporting); without one, the first active grid worker of the community.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction, Person, Unit
from shouwang.core.scope import can_at
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import meet, obligation_key, open_obligation
from shouwang.policies.models import NodePolicy, PolicyVersion
from shouwang.policies.services import effective

from .choices import KIND_OF_SLOT, Cell, Slot, kind_of
from .models import DailyReport

log = logging.getLogger(__name__)
# A phone may sync a day or two late; older reports are the office's business.
MAX_DAYS_BACK = 7


def daily_key(node, day: date, slot: str) -> str:
    """The obligation's natural key; `node` may be a node or its id."""
    return obligation_key("daily", node, day, slot)


def _candidate_levels() -> set[str]:
    """Every level any policy version asks daily reports of (a small table)."""
    levels: set[str] = set()
    for rules in PolicyVersion.objects.values_list("rules", flat=True):
        levels.update(((rules or {}).get("daily_reports") or {}).get("levels", []))
    return levels


def reporting_nodes(under=None) -> list[tuple[Jurisdiction, object]]:
    """(node, effective policy) for every node whose own policy asks it for daily reports."""
    levels = _candidate_levels()
    if not levels:
        return []
    nodes = Jurisdiction.objects.filter(level__in=levels)
    if under is not None:
        nodes = nodes.filter(path__startswith=under.path)
    assigned = set(NodePolicy.objects.values_list("jurisdiction__path", flat=True))
    cache: dict[tuple, object] = {}
    result = []
    for node in nodes:
        # Nodes under the same assignments share one effective policy: compute it once.
        chain = tuple(sorted(p for p in assigned if node.path.startswith(p)))
        if chain not in cache:
            cache[chain] = effective(node)
        eff = cache[chain]
        rules = eff.get("daily_reports") or {}
        if node.level in rules.get("levels", []) and rules.get("slots"):
            result.append((node, eff))
    return result


def slots_of(eff) -> list[dict]:
    """The policy's slots that this product knows how to report (morning, evening)."""
    known = set(Slot.values)
    slots = []
    for slot in (eff.get("daily_reports") or {}).get("slots", []):
        if slot.get("slot") in known:
            slots.append(slot)
        else:
            log.warning("daily report slot %r is not one of %s; skipped", slot.get("slot"), sorted(known))
    return slots


def responsible_for(node) -> tuple[Unit | None, Person | None]:
    unit = (
        Unit.objects.filter(jurisdiction=node, kind=UnitKind.RESIDENTS_COMMITTEE)
        .select_related("liaison").order_by("pk").first()
    )
    person = unit.liaison if unit is not None and unit.liaison is not None and unit.liaison.active else None
    if person is None:
        person = (
            Person.objects.filter(jurisdiction__path__startswith=node.path, kind=PersonKind.GRID_WORKER, active=True)
            .order_by("jurisdiction__depth", "pk").first()
        )
    return unit, person


def _title(node, day, slot) -> str:
    # Stored text, read in official documents: always in the site's language, whoever triggered it.
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(node)s %(report)s %(date)s") % {"node": node.name, "report": Slot(slot).label, "date": day.isoformat()}


def open_daily_obligations(day: date, *, under=None) -> list[Obligation]:
    """Open the day's report obligations of every reporting node (below `under`). Idempotent."""
    opened = []
    for node, eff in reporting_nodes(under):
        version = eff.version_of("daily_reports")
        unit, person = responsible_for(node)
        for slot in slots_of(eff):
            name = slot["slot"]
            opened.append(open_obligation(
                kind=kind_of(name),
                title=_title(node, day, name),
                jurisdiction=node,
                opens_at=local_datetime(day, slot.get("opens", "00:00")),
                due_at=local_datetime(day, slot["due"]),
                responsible_unit=unit,
                responsible_person=person,
                policy_version=version,
                rule=f"daily_reports.{name}",
                key=daily_key(node, day, name),
            ))
    return opened


def open_upcoming_daily_obligations(now=None) -> int:
    """The periodic job: today's and tomorrow's obligations, so the day's first one is never late to open."""
    today = timezone.localdate(now or timezone.now())
    return len(open_daily_obligations(today)) + len(open_daily_obligations(today + timedelta(days=1)))


def obligation_for(node, day: date, slot: str) -> Obligation | None:
    """The report's obligation, opened now if the periodic job has not done so yet."""
    key = daily_key(node, day, slot)
    found = Obligation.objects.with_keys([key]).first()
    if found is None:
        open_daily_obligations(day, under=node)
        found = Obligation.objects.with_keys([key]).first()
    return found


def submit_report(*, jurisdiction, date, slot, user=None, submitted_at=None, client_uuid=None, **fields):
    """Write a report and meet its obligation. Returns (report, created).

    The same `client_uuid` twice returns the first report. A slot already reported is
    refused: a report is not changed after submission (a correction goes to the office).
    """
    if client_uuid:
        existing = DailyReport.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing, False
    at = submitted_at or timezone.now()
    if user is not None and not can_at(user, "briefings", "add", jurisdiction.path):
        raise PermissionDenied(_("This community is outside your jurisdiction."))
    names = {"node": jurisdiction.name, "report": Slot(slot).label, "date": date.isoformat()}
    sent_on = timezone.localdate(at)
    if date > sent_on:
        raise ValidationError({"date": _("A report cannot be sent for a day that has not begun.")})
    if date < sent_on - timedelta(days=MAX_DAYS_BACK):
        raise ValidationError({"date": _("A report more than %(n)s days old cannot be sent here; tell the office.")
                               % {"n": MAX_DAYS_BACK}})
    try:
        with transaction.atomic():
            if DailyReport.objects.filter(jurisdiction=jurisdiction, date=date, slot=slot).exists():
                raise ValidationError({"slot": _(
                    "The %(report)s of %(node)s for %(date)s has already been submitted. "
                    "Reports are not changed afterwards; tell the office about a correction.") % names})
            obligation = obligation_for(jurisdiction, date, slot)
            if obligation is None:
                raise ValidationError({"jurisdiction": _(
                    "The policy of %(node)s does not ask it for a %(report)s.") % names})
            if at < obligation.opens_at:
                raise ValidationError({"slot": _("The %(report)s of %(date)s opens at %(time)s; it cannot be submitted earlier.")
                                       % {**names, "time": formats.date_format(timezone.localtime(obligation.opens_at), "Y-m-d H:i")}})
            report = DailyReport(jurisdiction=jurisdiction, date=date, slot=slot, submitted_by=user,
                                 submitted_at=at, client_uuid=client_uuid, **fields)
            report.full_clean(validate_unique=False, validate_constraints=False)
            report.save()
            meet(obligation, at=at, by=user, evidence=_("daily report %(id)s") % {"id": report.pk})
    except IntegrityError:
        # Two submissions raced: the same client id returns the first; otherwise the slot is taken.
        if client_uuid:
            existing = DailyReport.objects.filter(client_uuid=client_uuid).first()
            if existing is not None:
                return existing, False
        raise ValidationError({"slot": _(
            "The %(report)s of %(node)s for %(date)s has already been submitted. "
            "Reports are not changed afterwards; tell the office about a correction.") % names}) from None
    return report, True


# --- the office's table ---------------------------------------------------------------


@dataclass
class TableCell:
    slot: str
    state: str = Cell.NONE
    obligation: Obligation | None = None
    report: DailyReport | None = None

    @property
    def label(self):
        return Cell(self.state).label

    @property
    def lateness(self):
        if self.obligation is None or self.state not in (Cell.LATE, Cell.MISSING):
            return None
        return self.obligation.lateness(self._now)

    _now: datetime | None = None


@dataclass
class TableRow:
    node: Jurisdiction
    cells: list[TableCell] = field(default_factory=list)


_CELL_OF_STATE = {
    "met": Cell.ON_TIME, "met_late": Cell.LATE, "missed": Cell.MISSING, "due_soon": Cell.DUE_SOON,
    "open": Cell.OPEN, "upcoming": Cell.NOT_YET_DUE, "waived": Cell.WAIVED,
}


def cell_of(obligation, now=None) -> Cell:
    return Cell(_CELL_OF_STATE[obligation.state_at(now or timezone.now()).value])


def report_table(day: date, nodes, slots: list[str], now=None):
    """Rows of (node, one cell per slot) and counts per cell state, in four queries."""
    now = now or timezone.now()
    nodes = list(nodes)
    keys = {daily_key(n, day, s): (n.pk, s) for n in nodes for s in slots}
    obligations = {
        keys[o.key]: o for o in Obligation.objects.with_keys(keys).of_kind(*KIND_OF_SLOT.values())
    }
    reports = {
        (r.jurisdiction_id, r.slot): r
        for r in DailyReport.objects.filter(date=day, jurisdiction__in=nodes).select_related("submitted_by")
    }
    counts = dict.fromkeys(Cell.values, 0)
    rows = []
    for node in nodes:
        row = TableRow(node=node)
        for slot in slots:
            ob = obligations.get((node.pk, slot))
            cell = TableCell(slot=slot, obligation=ob, report=reports.get((node.pk, slot)), _now=now)
            if ob is not None:
                cell.state = cell_of(ob, now)
            elif cell.report is not None:
                cell.state = Cell.ON_TIME
            counts[cell.state] += 1
            row.cells.append(cell)
        rows.append(row)
    return rows, counts


def states_of(reports, now=None) -> dict[int, str]:
    """{report id: cell state} for a page of reports, in one query."""
    keys = {daily_key(r.jurisdiction_id, r.date, r.slot): r.pk for r in reports}
    return {keys[o.key]: cell_of(o, now).value for o in Obligation.objects.with_keys(keys)}
