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
from .choices import KIND_CCTV, KIND_GATE, Colour, GateRole
from .models import (
    Camera,
    CameraCheck,
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


# --- gate ----------------------------------------------------------------------------------------

@dataclass
class WindowRow:
    window: object
    state: str
    roles: list = field(default_factory=list)  # [{"role", "label", "rostered": [names], "confirmed": conf}]

    @property
    def missing(self):
        return [r["label"] for r in self.roles if r["confirmed"] is None]


def _states(model, ids, kind, now):
    rows = (Obligation.objects.for_subjects(model, ids).of_kind(kind).with_state(now)
            .values_list("subject_id", "state_db"))
    return {int(subject): state for subject, state in rows}


def gate_rows(windows, now=None):
    """The windows with their obligation's state, who is rostered in each role, who confirmed."""
    now = now or timezone.now()
    windows = list(windows)
    if not windows:
        return []
    states = _states(GateWindow, [w.pk for w in windows], KIND_GATE, now)
    confirmations = defaultdict(dict)
    for c in (windows[0].confirmations.model.objects.filter(window__in=windows).select_related("person")):
        confirmations[c.window_id][c.role] = c
    out = []
    for w in windows:
        on_roster = gate.rostered(w)
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


def guard_intervals(school, day, days=2):
    """(person id, start, end) of the gate guards on the school's rosters in the `days` up to `day`
    (the day before too: a night or 24-hour shift reaches into the day)."""
    qs = (Assignment.objects.published().filter(roster__in=school.rosters.all(), post=Post.GATE_GUARD,
                                                day__gt=day - timedelta(days=days), day__lte=day)
          .select_related("roster"))
    return [(a.person_id, *a.bounds) for a in qs]


def staffing_of(school, day=None, policy_rules=None):
    day = day or timezone.localdate()
    policy_rules = policy_rules or rules.of(school)
    required, tier = staffing.required_guards(school.pupils, policy_rules.section.get("guards"))
    people = [p for p in school.security_staff.all() if p.active]
    start, end = day_span(day)
    intervals = guard_intervals(school, day)
    week = {pid for pid, _a, _b in guard_intervals(school, day, days=7)}
    issued = equipment.issued([p.pk for p in people])
    return Staffing(
        pupils=school.pupils, required=required, tier_label=(tier or {}).get("label", ""), source=policy_rules.source,
        on_staff=len(people), rostered=len(week),
        gatehouse_hours=staffing.covered_hours([(a, b) for _p, a, b in intervals], start, end),
        gatehouse_required=policy_rules.gatehouse_hours,
        equipped=None if issued is None else sum(1 for p in people if issued.get(p.pk)),
        people=[{"name": p.name, "phone": p.phone, "equipment": None if issued is None else issued.get(p.pk, 0)}
                for p in people])


# --- cameras -------------------------------------------------------------------------------------

def camera_rows(school, day):
    """Each camera with today's check and the open rectification of its failure, if any."""
    cameras = list(Camera.objects.filter(school=school, active=True).select_related("spot"))
    today = {c.camera_id: c for c in CameraCheck.objects.filter(school=school, day=day).select_related("checked_by__person")}
    faults = {}
    for check in (CameraCheck.objects.filter(school=school, finding__order__state__in=OPEN_STATES)
                  .select_related("finding__order").order_by("day")):
        faults[check.camera_id] = check.finding.order
    return [{"camera": c, "check": today.get(c.pk), "order": faults.get(c.pk)} for c in cameras]


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

def drills_of(school, now=None):
    """The evacuation drills the policy asks of the school (plans' obligations on its unit), the
    drills held with their measured evacuation time against the target, oldest first."""
    now = now or timezone.now()
    owed = list(Obligation.objects.real().for_subject(school.unit).of_kind(KIND_DRILL).with_state(now)
                .order_by("-due_at")[:6])
    held = list(Drill.objects.filter(unit=school.unit, kind=DrillKind.EVACUATION, state=DrillState.ENDED)
                .order_by("started_at", "pk"))
    trend = [{"day": timezone.localdate(d.started_at), "seconds": d.evacuation_seconds, "target": d.target_seconds,
              "met": d.evacuation_met, "drill": d} for d in held]
    return {"owed": owed, "current": owed[0] if owed else None, "held": held, "trend": trend}


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

def open_orders(school):
    return (RectificationOrder.objects.filter(state__in=OPEN_STATES)
            .filter(Q(responsible_unit=school.unit) | Q(finding__unit=school.unit)).select_related("finding")
            .order_by("deadline"))


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
    windows = gate_rows(GateWindow.objects.filter(school=school, day=day).order_by("starts_at"), now)
    cameras = camera_rows(school, day)
    patrols = patrol_rows(school, day, policy_rules)
    drills = drills_of(school, now)
    orders = list(open_orders(school))
    staff = staffing_of(school, day, policy_rules)
    yesterday_missed = school.pk in _cctv_missed([school], day - timedelta(days=1), now)
    return {
        "school": school, "day": day, "rules": policy_rules, "windows": windows, "cameras": cameras,
        "patrols": patrols, "clearance": clearance(school, day), "drills": drills, "orders": orders, "staffing": staff,
        "handovers": handover_rows(school, day),
        "inside": VisitorEntry.objects.filter(school=school).inside().count(),
        "vehicles_inside": VehicleEntry.objects.filter(school=school).inside().count(),
        "colours": {"gate": gate_colour(windows), "cameras": camera_colour(cameras, yesterday_missed), "patrols": patrol_colour(patrols),
                    "drills": drill_colour(drills["owed"], now), "staffing": staff.colour,
                    "hazards": hazard_colour(orders, now)},
    }


def street_rows(user, now=None, day=None):
    """The street's table: one row per school in the user's scope, each column with its colour."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    schools = list(School.objects.restrict(user, "view").select_related("unit", "jurisdiction", "policy")
                   .prefetch_related("security_staff", "rosters"))
    if not schools:
        return []
    windows = defaultdict(list)
    for row in gate_rows(GateWindow.objects.filter(school__in=schools, day=day).select_related("school")
                         .order_by("starts_at"), now):
        windows[row.window.school_id].append(row)
    yesterday = _cctv_missed(schools, day - timedelta(days=1), now)
    out = []
    for school in schools:
        policy_rules = rules.of(school)
        cams = camera_rows(school, day)
        drills = drills_of(school, now)
        orders = list(open_orders(school))
        staff = staffing_of(school, day, policy_rules)
        colours = {"gate": gate_colour(windows[school.pk]), "drills": drill_colour(drills["owed"], now),
                   "cameras": camera_colour(cams, school.pk in yesterday), "staffing": staff.colour,
                   "hazards": hazard_colour(orders, now)}
        out.append({
            "school": school, "windows": windows[school.pk], "drills": drills, "cameras": cams,
            "faults": sum(1 for c in cams if c["order"] is not None), "staffing": staff, "orders": orders,
            "overdue": sum(1 for o in orders if o.deadline < now and o.state != "reported"),
            "colours": colours, "colour": worst(colours.values()),
        })
    return out


def _cctv_missed(schools, day, now):
    start, end = day_span(day)
    rows = (Obligation.objects.real().for_subjects(School, [s.pk for s in schools]).of_kind(KIND_CCTV)
            .due_between(start, end).in_state(State.MISSED, now).values_list("subject_id", flat=True))
    return {int(pk) for pk in rows}


def colour_words(colour):
    return {Colour.GREEN: _("in order"), Colour.ORANGE: _("needs attention"), Colour.RED: _("shortfall"),
            Colour.GREY: _("not known yet")}[Colour(colour)]
