"""Reads of the daily reports: which nodes report, who answers for them, and the office's table.

The natural key of a report's obligation is `daily_key(node, day, slot)`.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.models import Jurisdiction, Person, Unit
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import obligation_key
from shouwang.policies.models import NodePolicy, PolicyVersion
from shouwang.policies.services import effective

from .choices import KIND_OF_SLOT, Cell, Slot
from .models import DailyReport

log = logging.getLogger(__name__)


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


CELL_OF_STATE = {
    "met": Cell.ON_TIME, "met_late": Cell.LATE, "missed": Cell.MISSING, "due_soon": Cell.DUE_SOON,
    "open": Cell.OPEN, "upcoming": Cell.NOT_YET_DUE, "waived": Cell.WAIVED,
}


def cell_of(obligation, now=None) -> Cell:
    return Cell(CELL_OF_STATE[obligation.state_at(now or timezone.now()).value])


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
        for r in DailyReport.objects.filter(date=day, jurisdiction__in=nodes, withdrawn_at__isnull=True)
        .select_related("submitted_by").order_by("pk")  # the latest correction comes last and wins
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
