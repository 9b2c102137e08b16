"""Dashboards of a node (reads only): today at a glance, trends over 7 / 30 / 90 days from the daily
rollups, the comparison of the node's children (which community is late), and the wall's tiles.

Today is counted live from the records (one day, indexed); earlier days come from the rollups, so
a 90-day trend reads a few thousand small rows however large the check-in table grows.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from shouwang.core.models import Jurisdiction
from shouwang.incidents import queries as incident_queries
from shouwang.incidents.choices import Status
from shouwang.inspections.choices import OPEN_STATES
from shouwang.inspections.models import RectificationOrder
from shouwang.patrols.choices import KIND_CHECKIN
from shouwang.registers.choices import COLOUR_ORDER, colour_rank
from shouwang.registers.models import KeyPlace
from shouwang.registers.queries import colour_subquery

from .choices import KIND_OF_SLOT
from .period import Period
from .sections import obligation_states

REPORT_KINDS = tuple(KIND_OF_SLOT.values())
REPORTS = tuple(f"ob:{k}:" for k in REPORT_KINDS)
PATROLS = f"ob:{KIND_CHECKIN}:"
PREFIXES = ("incident:", *REPORTS, PATROLS, "finding:", "order:closed", "checkin")


def _rate(part, whole):
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class ChildRow:
    node: Jurisdiction
    reports: dict = field(default_factory=dict)
    patrols: dict = field(default_factory=dict)
    incidents: int = 0
    found: int = 0
    open_orders: int = 0
    overdue_orders: int = 0
    colour: str = ""
    colours: dict = field(default_factory=dict)
    open_incidents: int = 0
    reports_today: dict = field(default_factory=dict)

    @property
    def punctuality(self):
        return _rate(self.reports.get("met", 0), self.reports.get("ended", 0) - self.reports.get("waived", 0))

    @property
    def patrol_rate(self):
        done = self.patrols.get("met", 0) + self.patrols.get("met_late", 0)
        return _rate(done, self.patrols.get("ended", 0) - self.patrols.get("waived", 0))

    @property
    def late(self) -> int:
        return self.reports.get("met_late", 0) + self.reports.get("missed", 0)


def worst_colours(node, day) -> dict:
    """{child id: {"colour": the worst colour of its key places on `day`, "counts": {colour: n}}}."""
    children = list(Jurisdiction.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path"))
    places = (KeyPlace.objects.filter(jurisdiction__path__startswith=node.path).annotate(colour=colour_subquery(day))
              .values_list("jurisdiction__path", "colour"))
    out = {c.pk: {"colour": "", "counts": Counter()} for c in children}
    for path, colour in places:
        if not colour:
            continue
        for child in children:
            if path.startswith(child.path):
                entry = out[child.pk]
                entry["counts"][colour] += 1
                if colour_rank(colour) > colour_rank(entry["colour"]):
                    entry["colour"] = colour
                break
    return out


def _orders(node, now):
    """{child path prefix: (open, overdue)} in one query over the node's open orders."""
    rows = (RectificationOrder.objects.filter(jurisdiction__path__startswith=node.path, state__in=OPEN_STATES)
            .values_list("jurisdiction__path", "deadline", "state"))
    return [(path, deadline < now and state != "reported") for path, deadline, state in rows]


@dataclass
class Dashboard:
    node: Jurisdiction
    days: int
    now: object
    period: Period = None
    today: dict = field(default_factory=dict)
    trend: dict = field(default_factory=dict)
    children: list = field(default_factory=list)

    @property
    def latest(self):
        """The child that is most behind: the most late and missing reports, then the worst patrol rate."""
        rows = [c for c in self.children if c.late or (c.patrol_rate is not None and c.patrol_rate < 100)]
        return sorted(rows, key=lambda c: (-c.late, c.patrol_rate if c.patrol_rate is not None else 101))[:1]


def build(node, days=7, now=None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = Period(node, today - timedelta(days=days - 1), today, as_of=now)
    board = Dashboard(node=node, days=days, now=now, period=period)
    per_day = period.per_day(*PREFIXES)

    def series(prefix):
        return [sum(values[i] for kind, values in per_day.items() if kind.startswith(prefix)) for i in range(period.length)]

    def state_series(prefixes, states):
        return [sum(values[i] for kind, values in per_day.items()
                    if kind.startswith(prefixes) and kind.rsplit(":", 1)[1] in states) for i in range(period.length)]

    ended = ("met", "met_late", "missed")
    reports_met, reports_ended = state_series(REPORTS, ("met",)), state_series(REPORTS, ended)
    patrols_done, patrols_ended = state_series((PATROLS,), ("met", "met_late")), state_series((PATROLS,), ended)
    board.trend = {
        "labels": [d.strftime("%m-%d") for d in period.days],
        "incidents": series("incident:"),
        "punctuality": [_rate(a, b) for a, b in zip(reports_met, reports_ended, strict=True)],
        "coverage": [_rate(a, b) for a, b in zip(patrols_done, patrols_ended, strict=True)],
        "found": [a - b for a, b in zip(series("finding:"), series("finding:note"), strict=True)],
        "closed": series("order:closed"),
        "checkins": series("checkin"),
    }
    # Today: the last column of the same counts (live), and what stands open now.
    i = period.length - 1
    reports = obligation_states({k: v[i] for k, v in per_day.items() if k.startswith(REPORTS)}, REPORT_KINDS)
    patrols = obligation_states({k: v[i] for k, v in per_day.items() if k.startswith(PATROLS)}, KIND_CHECKIN)
    open_incidents = list(incident_queries.counted_incidents().filter(jurisdiction__path__startswith=node.path, status=Status.OPEN)
                          .values_list("jurisdiction__path", flat=True))
    orders = _orders(node, now)
    colours = worst_colours(node, today)
    tally = Counter()
    for entry in colours.values():
        tally.update(entry["counts"])
    board.today = {
        "incidents": board.trend["incidents"][i], "open_incidents": len(open_incidents),
        "reports": reports, "patrols": patrols,
        "open_orders": len(orders), "overdue_orders": sum(1 for _p, late in orders if late),
        "colours": [(c, tally[c]) for c in reversed(COLOUR_ORDER)],
    }
    per_child = period.per_child(*PREFIXES)
    today_child = {}
    for (node_id, day, kind), n in period.rows.items():
        if day == today and kind.startswith(REPORTS):
            child = period.child_of(node_id)
            if child is not None:
                today_child.setdefault(child, {}).setdefault(kind, 0)
                today_child[child][kind] += n
    for child in period.children:
        counts = per_child.get(child.pk, {})
        row = ChildRow(node=child,
                       reports=obligation_states({k: v for k, v in counts.items() if k.startswith(REPORTS)}, REPORT_KINDS),
                       patrols=obligation_states({k: v for k, v in counts.items() if k.startswith(PATROLS)}, KIND_CHECKIN),
                       incidents=sum(v for k, v in counts.items() if k.startswith("incident:")),
                       found=sum(v for k, v in counts.items() if k.startswith("finding:") and k != "finding:note"),
                       colour=colours.get(child.pk, {}).get("colour", ""),
                       colours=dict(colours.get(child.pk, {}).get("counts", {})),
                       reports_today=obligation_states(today_child.get(child.pk, {}), REPORT_KINDS))
        row.open_orders = sum(1 for path, _late in orders if path.startswith(child.path))
        row.overdue_orders = sum(1 for path, late in orders if late and path.startswith(child.path))
        row.open_incidents = sum(1 for path in open_incidents if path.startswith(child.path))
        board.children.append(row)
    return board
