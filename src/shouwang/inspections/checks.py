"""The facts behind the four checks of a supervision visit (督查): what the system itself reads for a
community on the day, set beside the inspector's own judgement. Reads only, never writes.

A fact is stored on the visit as `{"key", "count", "items", "problem"}` (items are the names of
the places, defences, windows or orders concerned), so the page and the bulletin show the
label of the key in the reader's language; `count` is None for a fact not available yet.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.clock import local_datetime
from shouwang.core.models import Unit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.patrols.choices import WindowState
from shouwang.patrols.models import Schedule
from shouwang.patrols.queries import windows_on
from shouwang.registers.choices import KIND_DEFENCE_CHECK, KIND_REVIEW, WorkingState
from shouwang.registers.models import Defence, KeyPlace

from .choices import OPEN_STATES, Check, OrderState
from .models import RectificationOrder

MAX_ITEMS = 30  # names listed per fact; the count is always complete

LABELS = {
    "places": _("Key places on the register"),
    "review_overdue": _("Key places past their review period"),
    "defence_check_overdue": _("Defences whose check is overdue"),
    "defences_not_working": _("Defences recorded as faulty or out of order"),
    "windows_today": _("Patrol check-in windows of the day"),
    "windows_met": _("Windows met"),
    "windows_missed": _("Windows missed"),
    "places_without_route": _("Key places on no patrol route"),
    "duty_roster": _("Duty roster"),
    "places_without_responsible": _("Key places without a responsible person"),
    "units_without_responsible": _("Units without a first responsible person"),
    "units_without_liaison": _("Units without a liaison"),
    "open_orders": _("Open rectification orders"),
    "overdue_orders": _("Rectification orders past their deadline"),
    "supervised_orders": _("Major hazards listed for supervision"),
}
UNAVAILABLE = {"duty_roster": _("not available until duty rosters exist")}


def _fact(key, items=None, *, count=None, problem=True):
    items = list(items or [])
    count = len(items) if count is None else count
    return {"key": key, "count": count, "items": [str(i) for i in items[:MAX_ITEMS]],
            "problem": bool(problem and count)}


def _unavailable(key):
    return {"key": key, "count": None, "items": [], "problem": False}


def as_of(day, now=None):
    """The moment the facts are read: now for today, the end of the day for a past day."""
    now = now or timezone.now()
    end = local_datetime(day + timedelta(days=1)) - timedelta(seconds=1)
    return min(now, end)


def ledgers(node, now):
    """Ledgers true and complete: the register's freshness."""
    places = KeyPlace.objects.filter(jurisdiction__path__startswith=node.path)
    missed = Obligation.objects.in_state(State.MISSED, now)
    overdue_ids = missed.of_kind(KIND_REVIEW).for_subjects(KeyPlace, places.values_list("pk", flat=True)) \
        .values_list("subject_id", flat=True)
    overdue = places.filter(pk__in=[int(i) for i in overdue_ids if i.isdigit()]).order_by("name")
    defences = Defence.objects.filter(place__jurisdiction__path__startswith=node.path).select_related("place")
    unchecked_ids = missed.of_kind(KIND_DEFENCE_CHECK).for_subjects(Defence, defences.values_list("pk", flat=True)) \
        .values_list("subject_id", flat=True)
    unchecked = defences.filter(pk__in=[int(i) for i in unchecked_ids if i.isdigit()]).order_by("place__name", "name")
    broken = defences.exclude(state=WorkingState.WORKING).order_by("place__name", "name")
    return [
        _fact("places", places.order_by("name").values_list("name", flat=True), problem=False),
        _fact("review_overdue", overdue.values_list("name", flat=True)),
        _fact("defence_check_overdue", [f"{d.place.name} · {d.name}" for d in unchecked]),
        _fact("defences_not_working", [f"{d.place.name} · {d.name}（{d.get_state_display()}）" for d in broken]),
    ]


def forces(node, day, now):
    """Forces deployed as the ledger says: the day's patrol windows and the places no route passes."""
    schedules = list(Schedule.objects.filter(jurisdiction__path__startswith=node.path, active=True)
                     .select_related("team").order_by("name"))
    rows = [row for found in windows_on(schedules, day, now).values() for row in found]
    rows.sort(key=lambda r: r.start)

    def name(row):
        local = timezone.localtime(row.start)
        return f"{row.schedule.team.name} · {row.schedule.name} {local:%H:%M}–{timezone.localtime(row.end):%H:%M}"

    met = [name(r) for r in rows if r.state in (WindowState.DONE, WindowState.LATE)]
    missed = [name(r) for r in rows if r.state == WindowState.MISSED]
    no_route = (KeyPlace.objects.filter(jurisdiction__path__startswith=node.path)
                .annotate(routes=Count("checkpoints__route", distinct=True)).filter(routes=0).order_by("name"))
    return [
        _fact("windows_today", [name(r) for r in rows], problem=False),
        _fact("windows_met", met, problem=False),
        _fact("windows_missed", missed),
        _fact("places_without_route", no_route.values_list("name", flat=True)),
        _unavailable("duty_roster"),
    ]


def measures(node):
    """Measures and responsibilities in place: who answers for each place and unit."""
    places = KeyPlace.objects.filter(jurisdiction__path__startswith=node.path)
    units = Unit.objects.filter(Q(jurisdiction__path__startswith=node.path) | Q(key_places__in=places)
                                | Q(responsible_places__in=places)).distinct().order_by("name")
    return [
        _fact("places_without_responsible",
              places.filter(responsible_person__isnull=True).order_by("name").values_list("name", flat=True)),
        _fact("units_without_responsible", units.filter(responsible_person__isnull=True).values_list("name", flat=True)),
        _fact("units_without_liaison", units.filter(liaison__isnull=True).values_list("name", flat=True)),
    ]


def hazards(node, now):
    """Main hazards known and handled: the community's open and overdue rectification orders."""
    orders = (RectificationOrder.objects.filter(jurisdiction__path__startswith=node.path, state__in=OPEN_STATES)
              .select_related("finding").order_by("deadline", "pk"))

    def name(order):
        return f"{order.number} {order.finding.description[:40]}"

    overdue = orders.filter(state__in=[OrderState.ORDERED, OrderState.IN_PROGRESS], deadline__lt=now)
    return [
        _fact("open_orders", [name(o) for o in orders], problem=False),
        _fact("overdue_orders", [name(o) for o in overdue]),
        _fact("supervised_orders", [name(o) for o in orders.filter(supervised=True)]),
    ]


def facts(node, day, now=None):
    """{check: [fact]} for the community `node` on `day`."""
    at = as_of(day, now)
    return {
        Check.LEDGERS.value: ledgers(node, at),
        Check.FORCES.value: forces(node, day, at),
        Check.MEASURES.value: measures(node),
        Check.HAZARDS.value: hazards(node, at),
    }


def problems(found) -> int:
    """How many facts of a check (or of all checks) point at something to put right."""
    if isinstance(found, dict):
        return sum(problems(v) for v in found.values())
    return sum(1 for f in found if f.get("problem"))


def labelled(fact):
    """A stored fact for people: its label, its count or why it is not known, its items."""
    key = fact.get("key", "")
    count = fact.get("count")
    return {
        "label": LABELS.get(key, key),
        "count": count,
        "value": UNAVAILABLE.get(key, "") if count is None else count,
        "items": fact.get("items") or [],
        "more": max(0, (count or 0) - len(fact.get("items") or [])),
        "problem": fact.get("problem", False),
    }
