"""Reads of schools for the pages, the API, the tiles and the briefings: a school's day (gate
windows with who is rostered and who confirmed, cameras, key-spot patrols, handovers), its guard
staffing against the standard, its drills from plans, its open hazards from inspections, and the
street's table of its schools with a colour per column."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.clock import local_datetime
from shouwang.core.models import Unit
from shouwang.duty.choices import Post
from shouwang.duty.models import Assignment
from shouwang.inspections.choices import OPEN_STATES
from shouwang.inspections.models import RectificationOrder
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.patrols.choices import CheckInStatus
from shouwang.patrols.models import CheckIn, Schedule
from shouwang.patrols.windows import windows_of as patrol_windows
from shouwang.plans.choices import KIND_DRILL, DrillKind, DrillState
from shouwang.plans.models import Drill

from . import equipment, gate, rules, staffing
from .choices import KIND_CCTV, KIND_GATE, POST_OF_ROLE, Colour, GateRole
from .models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    PupilClass,
    School,
    VehicleEntry,
    VisitorEntry,
)

WORST = [Colour.RED, Colour.ORANGE, Colour.GREY, Colour.GREEN]


def worst(colours):
    colours = [c for c in colours if c]
    return min(colours, key=WORST.index) if colours else Colour.GREY


def day_span(day):
    return local_datetime(day), local_datetime(day + timedelta(days=1))


# --- the schools' facts, read in a few grouped queries for any number of schools ------------------

class Loaded:
    """What the street's table and a school's page read, for many schools at once: a fixed number of
    queries whatever the number of schools (rosters and their assignments of the week, gate windows
    with their confirmations and states, cameras with the day's checks and open faults, drills owed
    and held, open rectification orders, the policy's section)."""

    def __init__(self, schools, day, now, policy=None):
        self.schools, self.day, self.now = list(schools), day, now
        ids = [s.pk for s in self.schools]
        units = [s.unit_id for s in self.schools]
        self.rosters = defaultdict(set)
        for school_id, roster_id in School.rosters.through.objects.filter(school_id__in=ids).values_list(
                "school_id", "roster_id"):
            self.rosters[school_id].add(roster_id)
        rosters = {r for found in self.rosters.values() for r in found}
        self.assignments = list(
            Assignment.objects.published().filter(roster__in=rosters, day__gt=day - timedelta(days=7), day__lte=day,
                                                  post__in=list(POST_OF_ROLE.values())).select_related("roster", "person")
        ) if rosters else []
        windows = list(GateWindow.objects.filter(school__in=ids, day=day).select_related("school__unit")
                       .order_by("starts_at", "pk"))
        self.gate_rows = defaultdict(list)
        for row in gate_rows(windows, now, assignments=self.assignments):
            self.gate_rows[row.window.school_id].append(row)
        self.cameras = defaultdict(list)
        for camera in Camera.objects.filter(school__in=ids, active=True).select_related("spot"):
            self.cameras[camera.school_id].append(camera)
        self.checks = {c.camera_id: c for c in CameraCheck.objects.filter(school__in=ids, day=day)}
        self.faults = {}
        for check in (CameraCheck.objects.filter(school__in=ids, finding__order__state__in=OPEN_STATES)
                      .select_related("finding__order").order_by("day")):
            self.faults[check.camera_id] = check.finding.order
        self.owed = defaultdict(list)
        for ob in (Obligation.objects.real().for_subjects(Unit, units).of_kind(KIND_DRILL).with_state(now)
                   .order_by("-due_at")):
            self.owed[int(ob.subject_id)].append(ob)
        self.held = defaultdict(list)
        for drill in (Drill.objects.filter(unit__in=units, kind=DrillKind.EVACUATION, state=DrillState.ENDED)
                      .order_by("started_at", "pk")):
            self.held[drill.unit_id].append(drill)
        self.orders = defaultdict(list)
        for order in (RectificationOrder.objects.filter(state__in=OPEN_STATES)
                      .filter(Q(responsible_unit__in=units) | Q(finding__unit__in=units))
                      .select_related("finding").order_by("deadline")):
            for unit in {order.responsible_unit_id, order.finding.unit_id} & set(units):
                self.orders[unit].append(order)
        self.policy = policy if policy is not None else rules.for_schools(self.schools, now)
        self.cctv_missed = _cctv_missed(self.schools, day - timedelta(days=1), now)

    def assignments_of(self, school):
        rosters = self.rosters.get(school.pk, set())
        return [a for a in self.assignments if a.roster_id in rosters]

    def gate(self, school):
        return self.gate_rows.get(school.pk, [])

    def camera_rows(self, school):
        return [{"camera": c, "check": self.checks.get(c.pk), "order": self.faults.get(c.pk)}
                for c in self.cameras.get(school.pk, [])]

    def drills(self, school):
        owed = self.owed.get(school.unit_id, [])[:6]
        held = self.held.get(school.unit_id, [])
        trend = [{"day": timezone.localdate(d.started_at), "seconds": d.evacuation_seconds, "target": d.target_seconds,
                  "met": d.evacuation_met, "drill": d} for d in held]
        return {"owed": owed, "current": owed[0] if owed else None, "held": held, "trend": trend}

    def staffing(self, school):
        return staffing_of(school, self.day, self.policy[school.pk], assignments=self.assignments_of(school))

    def row(self, school):
        """The street's row of one school: each column and its colour, the worst colour the school's."""
        windows, cameras = self.gate(school), self.camera_rows(school)
        drills, orders, staff = self.drills(school), self.orders.get(school.unit_id, []), self.staffing(school)
        colours = {"gate": gate_colour(windows), "drills": drill_colour(drills["owed"], self.now),
                   "cameras": camera_colour(cameras, school.pk in self.cctv_missed), "staffing": staff.colour,
                   "hazards": hazard_colour(orders, self.now)}
        return {"school": school, "windows": windows, "drills": drills, "cameras": cameras,
                "faults": sum(1 for c in cameras if c["order"] is not None),
                "checked": sum(1 for c in cameras if c["check"] is not None), "staffing": staff, "orders": orders,
                "overdue": sum(1 for o in orders if o.deadline < self.now and o.state != "reported"),
                "colours": colours, "colour": worst(colours.values())}


# --- gate ----------------------------------------------------------------------------------------

@dataclass
class WindowRow:
    window: object
    state: str
    roles: list = field(default_factory=list)  # [{"role", "label", "rostered": [names], "confirmed": conf}]

    @property
    def missing(self):
        return [r["label"] for r in self.roles if r["confirmed"] is None]

    @property
    def unrostered(self):
        """Roles nobody holds on the school's rosters (and nobody confirmed): a roster to fill, not a late guard."""
        return [r["label"] for r in self.roles if r["confirmed"] is None and not r["rostered"]]


def _states(model, ids, kind, now):
    rows = (Obligation.objects.for_subjects(model, ids).of_kind(kind).with_state(now)
            .values_list("subject_id", "state_db"))
    return {int(subject): state for subject, state in rows}


def gate_rows(windows, now=None, assignments=None):
    """The windows with their obligation's state, who is rostered in each role (from `assignments`
    when given, else each window's school rosters), who confirmed."""
    now = now or timezone.now()
    windows = list(windows)
    if not windows:
        return []
    states = _states(GateWindow, [w.pk for w in windows], KIND_GATE, now)
    confirmations = defaultdict(dict)
    for c in GateConfirmation.objects.filter(window__in=windows).select_related("person"):
        confirmations[c.window_id][c.role] = c
    rosters = defaultdict(set)
    if assignments is not None:
        for school_id, roster_id in School.rosters.through.objects.filter(
                school_id__in={w.school_id for w in windows}).values_list("school_id", "roster_id"):
            rosters[school_id].add(roster_id)
    out = []
    for w in windows:
        mine = None if assignments is None else [a for a in assignments if a.roster_id in rosters[w.school_id]]
        on_roster = gate.rostered(w, assignments=mine)
        roles = [{"role": role, "label": GateRole(role).label,
                  "rostered": [a.person.name for a in on_roster.get(role, [])],
                  "confirmed": confirmations[w.pk].get(role)} for role in GateRole.values]
        out.append(WindowRow(w, states.get(w.pk, State.UPCOMING), roles))
    return out


def gate_colour(rows):
    states = {r.state for r in rows}
    if State.MISSED in states or State.MET_LATE in states:
        return Colour.RED
    if states & {State.OPEN, State.DUE_SOON}:
        return Colour.ORANGE
    return Colour.GREEN if rows else Colour.GREY


# --- staffing ------------------------------------------------------------------------------------

@dataclass
class Staffing:
    pupils: int
    required: int | None
    tier_label: str
    source: str
    on_staff: int
    rostered: int  # distinct guards on the school's rosters in the week up to the day
    gatehouse_hours: float
    gatehouse_required: int | None
    equipped: int | None  # guards with equipment issued (None: the resources app is not installed)
    people: list = field(default_factory=list)

    @property
    def shortfall(self):
        return self.required is not None and self.on_staff < self.required

    @property
    def roster_shortfall(self):
        return self.required is not None and self.rostered < self.required

    @property
    def gatehouse_short(self):
        return self.gatehouse_required is not None and self.gatehouse_hours < self.gatehouse_required

    @property
    def colour(self):
        if self.required is None:
            return Colour.GREY
        if self.shortfall:
            return Colour.RED
        if self.roster_shortfall or self.gatehouse_short or (self.equipped is not None and self.equipped < self.required):
            return Colour.ORANGE
        return Colour.GREEN


def staffing_of(school, day=None, policy_rules=None, assignments=None):
    """The guards the standard requires against those on staff, on the week's rosters and in the
    gatehouse through the day (gate guards' shifts covering it), and the equipment issued."""
    day = day or timezone.localdate()
    policy_rules = policy_rules or rules.of(school)
    if assignments is None:
        assignments = list(Assignment.objects.published().filter(
            roster__in=school.rosters.all(), post=Post.GATE_GUARD, day__gt=day - timedelta(days=7), day__lte=day)
            .select_related("roster"))
    guards = [a for a in assignments if a.post == Post.GATE_GUARD]
    required, tier = staffing.required_guards(school.pupils, policy_rules.section.get("guards"))
    people = [p for p in school.security_staff.all() if p.active]
    start, end = day_span(day)
    issued = equipment.issued([p.pk for p in people])
    return Staffing(
        pupils=school.pupils, required=required, tier_label=(tier or {}).get("label", ""), source=policy_rules.source,
        on_staff=len(people), rostered=len({a.person_id for a in guards}),
        gatehouse_hours=staffing.covered_hours([a.bounds for a in guards if a.day >= day - timedelta(days=1)],
                                               start, end),
        gatehouse_required=policy_rules.gatehouse_hours,
        equipped=None if issued is None else sum(1 for p in people if issued.get(p.pk)),
        people=[{"name": p.name, "phone": p.phone, "equipment": None if issued is None else issued.get(p.pk, 0)}
                for p in people])


# --- cameras -------------------------------------------------------------------------------------

def camera_colour(rows, yesterday_missed=False):
    if any(r["order"] is not None for r in rows):
        return Colour.RED
    if yesterday_missed:
        return Colour.ORANGE
    return Colour.GREEN if rows else Colour.GREY


# --- key-spot patrols ----------------------------------------------------------------------------

def patrol_rows(school, day, policy_rules=None):
    """Each key spot with a checkpoint: the patrol rounds its schedules plan that day, the rounds
    checked in, against the standard's count; and whether the campus was cleared after school (a
    check-in at a key spot after the dismissal window)."""
    policy_rules = policy_rules or rules.of(school)
    needed = policy_rules.patrols_per_day
    spots = list(school.spots.filter(checkpoint__isnull=False).select_related("checkpoint__route"))
    start, end = day_span(day)
    counts = dict(CheckIn.objects.filter(checkpoint__in=[s.checkpoint_id for s in spots], at__gte=start, at__lt=end)
                  .exclude(status=CheckInStatus.FLAGGED).values_list("checkpoint").annotate(n=Count("pk")))
    planned = defaultdict(int)
    routes = {s.checkpoint.route_id for s in spots}
    for schedule in Schedule.objects.filter(route__in=routes, active=True).select_related("jurisdiction"):
        planned[schedule.route_id] += len(patrol_windows(schedule, day))
    rows = [{"spot": s, "planned": planned.get(s.checkpoint.route_id, 0), "done": counts.get(s.checkpoint_id, 0),
             "needed": needed} for s in spots]
    return rows


def clearance(school, day):
    """The first check-in at the school's key spots after the dismissal window ended (or None)."""
    window = GateWindow.objects.filter(school=school, day=day, kind="dismissal").first()
    if window is None:
        return None
    points = school.spots.filter(checkpoint__isnull=False).values("checkpoint")
    return (CheckIn.objects.filter(checkpoint__in=points, at__gte=window.ends_at, at__lt=day_span(day)[1])
            .exclude(status=CheckInStatus.FLAGGED).order_by("at").first())


def patrol_colour(rows):
    if not rows:
        return Colour.GREY
    if any(r["needed"] and r["planned"] < r["needed"] for r in rows):
        return Colour.ORANGE
    return Colour.GREEN


# --- drills (plans) ------------------------------------------------------------------------------

def drill_colour(owed, now=None):
    """Red when the last period that ended had its drill missed; green otherwise (the current
    period's drill still to come is not late)."""
    now = now or timezone.now()
    if not owed:
        return Colour.GREY
    current = owed[0]
    if current.state_db in (State.MET, State.MET_LATE):
        return Colour.GREEN
    if current.state_db == State.MISSED:
        return Colour.RED
    ended = [o for o in owed[1:] if o.due_at < now]
    if ended and ended[0].state_db == State.MISSED:
        return Colour.RED
    return Colour.GREEN


# --- hazards (inspections) -----------------------------------------------------------------------

def hazard_colour(orders, now=None):
    now = now or timezone.now()
    if any(o.deadline < now and o.state != "reported" for o in orders):
        return Colour.RED
    return Colour.ORANGE if orders else Colour.GREEN


# --- handovers -----------------------------------------------------------------------------------

def handover_rows(school, day):
    classes = list(PupilClass.objects.filter(school=school, young=True).select_related("teacher"))
    done = {h.pupil_class_id: h for h in Handover.objects.filter(school=school, day=day)}
    return [{"pupil_class": c, "handover": done.get(c.pk)} for c in classes]


# --- the school and the street -------------------------------------------------------------------

def school_day(school, day=None, now=None):
    """Everything of a school's day for its page and its staff's home tile."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    policy_rules = rules.of(school)
    loaded = Loaded([school], day, now, policy={school.pk: policy_rules})
    row = loaded.row(school)
    patrols = patrol_rows(school, day, policy_rules)
    return {
        **row, "day": day, "rules": policy_rules, "patrols": patrols, "clearance": clearance(school, day),
        "handovers": handover_rows(school, day),
        "inside": VisitorEntry.objects.filter(school=school).inside().count(),
        "vehicles_inside": VehicleEntry.objects.filter(school=school).inside().count(),
        "colours": {**row["colours"], "patrols": patrol_colour(patrols)},
    }


def street_rows(user, now=None, day=None):
    """The street's table: one row per school in the user's scope, each column with its colour."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    schools = list(School.objects.restrict(user, "view").select_related("unit", "jurisdiction", "policy")
                   .prefetch_related("security_staff"))
    if not schools:
        return []
    loaded = Loaded(schools, day, now)
    return [loaded.row(school) for school in schools]


def _cctv_missed(schools, day, now):
    start, end = day_span(day)
    rows = (Obligation.objects.real().for_subjects(School, [s.pk for s in schools]).of_kind(KIND_CCTV)
            .due_between(start, end).in_state(State.MISSED, now).values_list("subject_id", flat=True))
    return {int(pk) for pk in rows}


def colour_words(colour):
    return {Colour.GREEN: _("in order"), Colour.ORANGE: _("needs attention"), Colour.RED: _("shortfall"),
            Colour.GREY: _("not known yet")}[Colour(colour)]
