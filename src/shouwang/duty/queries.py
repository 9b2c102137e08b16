"""Reads of duty for pages, the API, the home page, the directory and incidents: who is on duty
now, a person's duties, a roster's grid and what each shift lacks, the posture in force at a node,
and required against rostered per force and shift (the posture panel)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.choices import TeamKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction, Team
from shouwang.policies.services import effective

from . import staffing
from .choices import LEVEL_RANK, Post, PostureLevel, RosterState
from .ical import Event
from .models import Assignment, Leave, Posture, Roster

AVERAGE_DAYS = 28  # an auxiliary force's daily average is taken over the four weeks before


def _chain(node):
    return [*node.ancestors(), node]


# --- Posture ------------------------------------------------------------------------------------

def posture_at(node, when=None):
    """The level in force at `node` at `when`: the highest of its own and its ancestors' (a lower
    node inherits unless it raises it), with the Posture record it comes from (None: normal)."""
    when = when or timezone.now()
    found = list(Posture.objects.filter(jurisdiction__in=_chain(node), starts_at__lte=when, ends_at__gt=when)
                 .select_related("jurisdiction", "set_by"))
    if not found:
        return PostureLevel.NORMAL, None
    best = max(found, key=lambda p: (LEVEL_RANK[p.level], p.starts_at))
    return best.level, best


def _postures_over(paths, start, end):
    """Postures on any of these node paths overlapping [start, end)."""
    return list(Posture.objects.filter(jurisdiction__path__in=list(paths), starts_at__lt=end, ends_at__gt=start)
                .select_related("jurisdiction"))


def _chain_paths(path):
    """The paths of the node with `path` and of the nodes above it."""
    step = Jurisdiction.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _day_level(postures, path, day):
    """The highest level in force at any moment of `day` at the node with `path` (its own postures
    and those of the nodes above it)."""
    start, end = local_datetime(day), local_datetime(day + timedelta(days=1))
    live = [p for p in postures if path.startswith(p.jurisdiction.path) and p.starts_at < end and p.ends_at > start]
    return max((p.level for p in live), key=lambda level: LEVEL_RANK[level], default=PostureLevel.NORMAL)


# --- On duty ------------------------------------------------------------------------------------

def on_duty(queryset, now=None):
    """Assignments of published rosters whose shift covers `now`, leaders first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (queryset.published().filter(day__in=[today - timedelta(days=1), today])
            .select_related("roster", "person", "jurisdiction"))
    return in_call_order([a for a in rows if a.starts_at <= now < a.ends_at])


def in_call_order(rows):
    """Leaders on duty first, then duty officers, then the rest; by node, then name."""
    return sorted(rows, key=lambda a: (a.post != Post.LEADER, a.post != Post.DUTY_OFFICER, a.jurisdiction.path,
                                       a.person.name))


def on_duty_for(node, now=None):
    """Who is on duty now for `node`: the published rosters of the node and of the nodes above it
    (the street's leader on duty answers for its communities too), nearest node first."""
    rows = on_duty(Assignment.objects.filter(jurisdiction__in=_chain(node)), now)
    return sorted(rows, key=lambda a: (-a.jurisdiction.depth, a.post != Post.LEADER, a.post != Post.DUTY_OFFICER,
                                       a.person.name))


def leaders_on_duty(node, now=None):
    """The leaders on duty now at `node` or above, nearest first (whom an activation tells first)."""
    seen, out = set(), []
    for a in on_duty_for(node, now):
        if a.post == Post.LEADER and a.person_id not in seen:
            seen.add(a.person_id)
            out.append(a.person)
    return out


def my_duties(person, since=None, days=14):
    """A person's standing duties on published rosters from `since` (today) for `days` days."""
    since = since or timezone.localdate()
    return list(Assignment.objects.published().filter(person=person, day__gte=since - timedelta(days=1),
                                                      day__lt=since + timedelta(days=days))
                .select_related("roster", "jurisdiction").order_by("day", "pk"))


# --- A roster's demand: its own, raised by the posture ------------------------------------------

def _leave_days(person_ids, start, end):
    """{person id: set of days} on leave from `start` to `end` (inclusive)."""
    out = defaultdict(set)
    for person, first, last in (Leave.objects.filter(person__in=list(person_ids), starts_on__lte=end,
                                                     ends_on__gte=start)
                                .values_list("person_id", "starts_on", "ends_on")):
        day = max(first, start)
        while day <= min(last, end):
            out[person].add(day)
            day += timedelta(days=1)
    return out


def _daily_average(team_ids, before, days=AVERAGE_DAYS):
    """Distinct people of these teams' published rosters on duty per day, averaged over the `days`
    days before `before` (0 when none was on duty)."""
    rows = (Assignment.objects.published().filter(roster__team__in=list(team_ids), day__gte=before - timedelta(days=days),
                                                  day__lt=before)
            .order_by().values_list("day", "person_id").distinct())
    per_day = Counter(day for day, _person in rows)
    return sum(per_day.values()) / days


def _planned(roster):
    """{shift id: planned people on the force's posts} of a roster (its leaders left out)."""
    planned = Counter()
    for row in roster.demand:
        if row["role"] != Post.LEADER:
            planned[row["shift"]] += int(row["count"])
    return planned


def main_post(roster):
    posts = [p for p in roster.posts() if p != Post.LEADER]
    return posts[0] if posts else Post.DUTY_OFFICER


def _team_rosters(team_ids, first, last):
    """The published rosters of these teams with a day from `first` to `last`, by id."""
    found = Roster.objects.filter(team__in=list(team_ids), state=RosterState.PUBLISHED, starts_on__lte=last,
                                  starts_on__gt=first - timedelta(days=92)).order_by("pk")
    return [r for r in found if r.ends_on >= first]


def force_need(need, rosters, day):
    """{(roster id, shift id) or None: at least how many} of a force on `day`: its requirement
    spread over the shifts of its rosters that day (staffing.spread), rosters by id, shifts in
    their order. The panel and the optimiser's coverage both read it, so they agree."""
    planned = {}
    for r in sorted(rosters, key=lambda r: r.pk):
        if not r.starts_on <= day <= r.ends_on:
            continue
        mine = _planned(r)
        for shift in r.shifts:
            planned[(r.pk, shift["id"])] = mine.get(shift["id"], 0)
    return staffing.spread(need, planned)


def posture_demand(roster):
    """{(day, shift id): at least how many} the posture asks of the roster's force, day by day: the
    force's requirement spread over its published rosters' shifts and this one's, this roster's
    share (empty for a roster of no force, or a force the policy gives no ratio)."""
    team = roster.team
    if team is None:
        return {}
    rules = effective(roster.jurisdiction).get("posture") or {}
    end = roster.ends_on
    postures = _postures_over(_chain_paths(team.jurisdiction.path), local_datetime(roster.starts_on),
                              local_datetime(end + timedelta(days=1)))
    members = set(team.members.values_list("pk", flat=True))
    leave = _leave_days(members, roster.starts_on, end)
    average = _daily_average([team.pk], roster.starts_on)
    rosters = [r for r in _team_rosters([team.pk], roster.starts_on, end) if r.pk != roster.pk] + [roster]
    out = {}
    for d in range(roster.days):
        day = roster.starts_on + timedelta(days=d)
        level = _day_level(postures, team.jurisdiction.path, day)
        if level not in rules:
            continue
        available = sum(1 for p in members if day not in leave.get(p, ()))
        need = staffing.required(level, team.kind, available=available, daily_average=average, posture_rules=rules)
        for key, count in force_need(need, rosters, day).items():
            if key is not None and key[0] == roster.pk and count:
                out[(day, key[1])] = count
    return out


def roster_demand(roster, with_posture=True):
    """{(day, shift id, post): people required}: the roster's own demand every day, the force's
    main post raised to what the posture asks where that is more."""
    out = {}
    for d in range(roster.days):
        day = roster.starts_on + timedelta(days=d)
        for row in roster.demand:
            if int(row["count"]) > 0:
                out[(day, row["shift"], row["role"])] = int(row["count"])
    if with_posture:
        post = main_post(roster)
        for (day, shift_id), count in posture_demand(roster).items():
            if count > out.get((day, shift_id, post), 0):
                out[(day, shift_id, post)] = count
    return out


# --- A roster's grid ----------------------------------------------------------------------------

@dataclass
class Grid:
    roster: Roster
    days: list
    shifts: list
    cells: dict = field(default_factory=dict)  # (day, shift id) -> [assignment]
    shortfalls: dict = field(default_factory=dict)  # (day, shift id) -> [(post label, have, need)]

    def rows(self):
        """[(day, [(shift, [assignments], [shortfalls])])] for the templates."""
        return [(day, [(s, self.cells.get((day, s["id"]), []), self.shortfalls.get((day, s["id"]), []))
                       for s in self.shifts]) for day in self.days]

    @property
    def short_count(self):
        return sum(need - have for lacks in self.shortfalls.values() for _l, have, need in lacks if need > have)


def grid(roster, start=None, days=None, assignments=None, demand=None):
    """The roster's days × shifts with who stands which post, and what each shift lacks or has too
    many of (against its demand, posture included). `assignments`: a proposal's instead of the
    roster's own."""
    start = max(start or roster.starts_on, roster.starts_on)
    last = roster.starts_on + timedelta(days=roster.days)
    days = max(min(days or roster.days, (last - start).days), 0)
    day_list = [start + timedelta(days=d) for d in range(days)]
    out = Grid(roster, day_list, roster.shifts)
    if assignments is None:
        assignments = (Assignment.objects.live().filter(roster=roster, day__in=day_list).select_related("person")
                       .order_by("post", "person__name"))
    wanted = set(day_list)
    for a in assignments:
        if a.day in wanted:
            out.cells.setdefault((a.day, a.shift), []).append(a)
    order = {p: i for i, p in enumerate(Post.values)}
    for cell in out.cells.values():
        cell.sort(key=lambda a: (order.get(a.post, 9), a.person.name))
    demand = roster_demand(roster) if demand is None else demand
    labels = dict(Post.choices)
    for day in day_list:
        for shift in roster.shifts:
            have = Counter(a.post for a in out.cells.get((day, shift["id"]), []))
            for post in sorted({p for (d, s, p) in demand if d == day and s == shift["id"]} | set(have),
                               key=lambda p: order.get(p, 9)):
                need = demand.get((day, shift["id"], post), 0)
                if have[post] != need:
                    out.shortfalls.setdefault((day, shift["id"]), []).append(
                        (labels.get(post, post), have[post], need))
    return out


def week_start(day):
    return day - timedelta(days=day.weekday())


# --- The posture panel --------------------------------------------------------------------------

@dataclass
class ShiftNeed:
    label: str
    required: int
    rostered: int

    @property
    def short(self):
        return max(0, self.required - self.rostered)


@dataclass
class ForceDay:
    kind: str
    label: str
    available: int
    required: int
    rostered: int  # distinct people of the force on duty that day
    shifts: list  # [ShiftNeed]

    @property
    def short(self):
        return sum(s.short for s in self.shifts)


@dataclass
class PanelDay:
    day: object
    level: str
    forces: list  # [ForceDay]

    @property
    def short(self):
        return sum(f.short for f in self.forces)

    @property
    def level_label(self):
        return PostureLevel(self.level).label


def staffing_panel(node, start=None, days=30):
    """Required against rostered per force and shift for each of `days` days from `start`, at the
    posture level of each day (the highest in force that day at the force's node or above).

    Available: a force's members not on leave that day. Rostered: its people on the force's
    published rosters. Required: the policy's ratio at that level (staffing.required), spread over
    the force's shifts that day (staffing.spread). Read in a handful of queries, whatever the size."""
    start = start or timezone.localdate()
    end = start + timedelta(days=days - 1)
    rules = effective(node).get("posture") or {}
    teams = list(Team.objects.filter(jurisdiction__path__startswith=node.path).select_related("jurisdiction")
                 .prefetch_related("members"))
    members = {t.pk: {p.pk for p in t.members.all()} for t in teams}
    leave = _leave_days(set().union(set(), *members.values()), start, end)
    paths = set(_chain_paths(node.path)) | {p for t in teams for p in _chain_paths(t.jurisdiction.path)}
    postures = _postures_over(paths, local_datetime(start), local_datetime(end + timedelta(days=1)))
    rosters = _team_rosters([t.pk for t in teams], start, end)
    on = defaultdict(set)  # (roster, day, shift) -> person ids
    by_team_day = defaultdict(set)  # (team, day) -> person ids
    team_of = {r.pk: r.team_id for r in rosters}
    for roster_id, day, shift_id, person in (Assignment.objects.published().filter(roster__in=rosters, day__gte=start,
                                                                                   day__lte=end)
                                             .values_list("roster_id", "day", "shift", "person_id")):
        on[(roster_id, day, shift_id)].add(person)
        by_team_day[(team_of[roster_id], day)].add(person)
    averages = {t.pk: _daily_average([t.pk], start) for t in teams if t.kind in staffing.AUXILIARY}
    kinds = [k for k in TeamKind.values if any(t.kind == k for t in teams)]
    labels = dict(TeamKind.choices)
    out = []
    for d in range(days):
        day = start + timedelta(days=d)
        forces = []
        for kind in kinds:
            total = ForceDay(kind, labels[kind], 0, 0, 0, [])
            shown = False
            for team in (t for t in teams if t.kind == kind):
                level = _day_level(postures, team.jurisdiction.path, day)
                if level not in rules:
                    continue
                available = sum(1 for p in members[team.pk] if day not in leave.get(p, ()))
                need = staffing.required(level, kind, available=available, daily_average=averages.get(team.pk, 0),
                                         posture_rules=rules)
                if need is None:
                    continue
                shown = True
                mine = [r for r in rosters if r.team_id == team.pk and r.starts_on <= day <= r.ends_on]
                spread = force_need(need, mine, day)
                names = {(r.pk, sh["id"]): sh.get("label") or sh["id"] if len(mine) == 1 else
                         f"{r.name} {sh.get('label') or sh['id']}" for r in mine for sh in r.shifts}
                total.available += available
                total.required += need.required if kind not in staffing.PLANNED_STRENGTH else sum(spread.values())
                total.rostered += len(by_team_day.get((team.pk, day), ()))
                for key, required in spread.items():
                    rostered = len(on.get((key[0], day, key[1]), ())) if key is not None else 0
                    total.shifts.append(ShiftNeed(names.get(key, "") if key else "", required, rostered))
            if shown and (total.required or total.rostered or any(x.label for x in total.shifts)):
                forces.append(total)  # a force asked for nobody and with no roster says nothing
        out.append(PanelDay(day, _day_level(postures, node.path, day), forces))
    return out


def shortfalls(panel):
    """[(day, force label, shift label, required, rostered)] of every short shift of a panel."""
    return [(p.day, f.label, s.label or _("whole day"), s.required, s.rostered) for p in panel for f in p.forces
            for s in f.shifts if s.short]


def open_shortfalls(node, start=None, days=30):
    """The panel's days that lack people (for tiles and messages)."""
    return [p for p in staffing_panel(node, start, days) if p.short]


# --- Calendar feeds -----------------------------------------------------------------------------

FEED_PAST_DAYS = 60


def feed_events(feed, domain):
    """The VEVENTs of a calendar link: the duties of its person (or its roster) on published rosters
    from 60 days back, a removed one as cancelled; UIDs from the assignment's id, so they stay."""
    since = timezone.localdate() - timedelta(days=FEED_PAST_DAYS)
    rows = Assignment.objects.filter(roster__state=RosterState.PUBLISHED, day__gte=since)
    rows = rows.filter(person=feed.person) if feed.person_id else rows.filter(roster=feed.roster)
    out = []
    for a in rows.select_related("roster__jurisdiction", "person").order_by("day", "pk"):
        start, end = a.bounds
        who = "" if feed.person_id else f"{a.person.name} "
        out.append(Event(uid=f"duty-{a.pk}@{domain}", start=start, end=end,
                         summary=f"{who}{a.shift_label} {a.get_post_display()} · {a.roster.name}",
                         sequence=a.sequence, cancelled=a.removed_at is not None,
                         location=a.roster.jurisdiction.name,
                         description=f"{a.roster.name}：{a.shift_label} {start:%H:%M}–{end:%H:%M}"))
    return out


def feed_name(feed):
    if feed.person_id:
        return _("Duties of %(name)s") % {"name": feed.person.name}
    return feed.roster.name
