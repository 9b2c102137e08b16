"""Reads of duty for pages, the API and the home page: who is on duty now, a person's duties,
a roster's grid, the posture in force at a node and required against rostered per force."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from shouwang.core.choices import TeamKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Team
from shouwang.policies.services import effective

from . import staffing
from .choices import LEVEL_RANK, Post, PostureLevel, RosterState
from .models import Assignment, Posture, Roster


def _ancestors_and_self(node):
    return [*node.ancestors(), node]


def posture_at(node, when=None):
    """The level in force at `node` at `when`: the highest of its own and its ancestors' (a lower
    node inherits unless it raises it), with the Posture record it comes from (None: normal)."""
    when = when or timezone.now()
    found = list(Posture.objects.filter(jurisdiction__in=_ancestors_and_self(node), starts_at__lte=when,
                                        ends_at__gt=when).select_related("jurisdiction", "set_by"))
    if not found:
        return PostureLevel.NORMAL, None
    best = max(found, key=lambda p: (LEVEL_RANK[p.level], p.starts_at))
    return best.level, best


def shift_window(roster, day, shift_id):
    shift = roster.shift(shift_id) or {"start": "00:00", "end": "00:00"}
    start, end = local_datetime(day, shift["start"]), local_datetime(day, shift["end"])
    return start, end if end > start else end + timedelta(days=1)


def on_duty(queryset, now=None):
    """Assignments of published rosters whose shift covers `now`, leaders first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (queryset.filter(roster__state=RosterState.PUBLISHED, day__in=[today - timedelta(days=1), today])
            .select_related("roster", "person", "jurisdiction"))
    out = [a for a in rows if shift_window(a.roster, a.day, a.shift)[0] <= now < shift_window(a.roster, a.day, a.shift)[1]]
    return sorted(out, key=lambda a: (a.post != Post.LEADER, a.post != Post.DUTY_OFFICER, a.jurisdiction.path,
                                      a.person.name))


def leaders_on_duty(node, now=None):
    """The leaders on duty now at `node` or above (whom an activation tells first)."""
    qs = Assignment.objects.filter(jurisdiction__in=_ancestors_and_self(node), post=Post.LEADER)
    return [a.person for a in on_duty(qs, now)]


def my_duties(person, since=None, days=14):
    since = since or timezone.localdate()
    return list(Assignment.objects.filter(person=person, day__gte=since, day__lt=since + timedelta(days=days),
                                          roster__state=RosterState.PUBLISHED)
                .select_related("roster").order_by("day", "pk"))


@dataclass
class Grid:
    roster: Roster
    days: list
    shifts: list
    cells: dict = field(default_factory=dict)  # (day, shift id) -> [assignment]
    shortfalls: dict = field(default_factory=dict)  # (day, shift id) -> [(post label, have, need)]


def grid(roster, start=None, days=None):
    """The roster's days × shifts with who stands which post, and what each shift lacks."""
    start = start or roster.starts_on
    days = min(days or roster.days, (roster.starts_on + timedelta(days=roster.days) - start).days)
    day_list = [start + timedelta(days=d) for d in range(max(days, 0))]
    out = Grid(roster, day_list, roster.shifts)
    rows = (Assignment.objects.filter(roster=roster, day__in=day_list).select_related("person")
            .order_by("post", "person__name"))
    for a in rows:
        out.cells.setdefault((a.day, a.shift), []).append(a)
    labels = dict(Post.choices)
    for day in day_list:
        for shift in roster.shifts:
            have = Counter(a.post for a in out.cells.get((day, shift["id"]), []))
            for row in roster.demand:
                if row["shift"] == shift["id"] and have[row["role"]] < row["count"]:
                    out.shortfalls.setdefault((day, shift["id"]), []).append(
                        (labels.get(row["role"], row["role"]), have[row["role"]], row["count"]))
    return out


@dataclass
class StaffingDay:
    day: object
    level: str
    rows: list  # [(force label, available, required, rostered, shortfall)]

    @property
    def short(self):
        return sum(r[4] for r in self.rows)


def staffing_panel(node, start=None, days=30):
    """Required against rostered per force for each of the next `days`, at the posture level in
    force at noon of that day. Available: the force's members under the node; rostered: those of
    them on a published roster that day; an auxiliary force's daily average over the 28 days before."""
    start = start or timezone.localdate()
    rules = effective(node).get("posture") or {}
    teams = list(Team.objects.filter(jurisdiction__path__startswith=node.path).prefetch_related("members"))
    members = defaultdict(set)
    for team in teams:
        members[team.kind] |= {p.pk for p in team.members.all()}
    end = start + timedelta(days=days)
    on = defaultdict(set)  # day -> person ids rostered
    for day, person in (Assignment.objects.filter(jurisdiction__path__startswith=node.path, day__gte=start - timedelta(days=28),
                                                  day__lt=end, roster__state=RosterState.PUBLISHED)
                        .values_list("day", "person_id")):
        on[day].add(person)
    postures = list(Posture.objects.filter(Q(jurisdiction__in=_ancestors_and_self(node)), ends_at__gt=local_datetime(start),
                                           starts_at__lt=local_datetime(end)))
    labels = dict(TeamKind.choices)
    out = []
    for d in range(days):
        day = start + timedelta(days=d)
        noon = local_datetime(day, "12:00")
        live = [p for p in postures if p.starts_at <= noon < p.ends_at]
        level = max(live, key=lambda p: LEVEL_RANK[p.level]).level if live else PostureLevel.NORMAL
        rows = []
        for kind, people in sorted(members.items()):
            past = [len(on[start - timedelta(days=k)] & people) for k in range(1, 29)]
            average = sum(past) / len(past) if any(past) else 0
            need = staffing.required(level, kind, available=len(people), daily_average=average,
                                     posture_rules=rules) if level in rules else None
            if need is None:
                continue
            rostered = len(on[day] & people)
            rows.append((labels.get(kind, kind), len(people), need.required, rostered, staffing.shortfall(need, rostered)))
        out.append(StaffingDay(day, level, rows))
    return out

