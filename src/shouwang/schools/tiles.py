"""Home-page tiles of schools: a school's security staff and leaders see their school's day (gate
windows, visitors inside, cameras, handovers, guard shortfall); the street office sees its schools'
shortfalls (gate windows missed, cameras failing, guards short) in a few grouped queries; a host
sees the visitors waiting for his confirmation."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile
from shouwang.inspections.choices import OPEN_STATES
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from . import queries, rules, staffing
from .choices import KIND_CCTV, KIND_GATE
from .models import CameraCheck, School, VisitorEntry


def my_school(home):
    """The school's day for its own security staff and leaders (the first two schools they serve)."""
    schools = list(School.objects.filter(Q(security_staff__user=home.user) | Q(leaders__user=home.user))
                   .select_related("unit", "jurisdiction", "policy").distinct()[:2])
    if not schools:
        return None
    days = [queries.school_day(s, home.today, home.now) for s in schools]
    return Tile(_("My school today"), "schools/tiles/my_school.html", order=3, wide=True,
                url=reverse("schools:phone"), context={"days": days})


def street_schools(home):
    """The office's schools: how many, gate windows missed today and yesterday, cameras failing,
    schools short of guards by the standard."""
    if not home.oversees:
        return None
    schools = list(School.objects.restrict(home.user, "view").select_related("jurisdiction")
                   .annotate(guards=Count("security_staff", filter=Q(security_staff__active=True), distinct=True)))
    if not schools:
        return None
    policy = rules.for_schools(schools, home.now)
    short = [s for s in schools
             if (need := staffing.required_guards(s.pupils, policy[s.pk].section.get("guards"))[0]) is not None
             and s.guards < need]
    since = home.day_start - timedelta(days=1)
    # the cameras' and the gates' duties of the schools in scope, in one grouped query
    counts = (Obligation.objects.real().restrict(home.user, "view").of_kind(KIND_CCTV, KIND_GATE)
              .due_between(since, home.day_end).state_counts(home.now))
    faults = (CameraCheck.objects.filter(school__in=schools, finding__order__state__in=OPEN_STATES)
              .values("camera").distinct().count())
    figures = {"schools": len(schools), "short": short,
               "gate_missed": counts.get((KIND_GATE, State.MISSED), 0),
               "gate_open": counts.get((KIND_GATE, State.OPEN), 0) + counts.get((KIND_GATE, State.DUE_SOON), 0),
               "cctv_missed": counts.get((KIND_CCTV, State.MISSED), 0), "faults": faults}
    return Tile(_("Schools"), "schools/tiles/street.html", order=22, url=reverse("schools:school_list"),
                context={"f": figures})


def my_visitors(home):
    """A host: his visitors of today still to confirm."""
    waiting = list(VisitorEntry.objects.filter(host__user=home.user, host_confirmed_at__isnull=True,
                                               entered_at__gte=home.day_start).select_related("school__unit")[:8])
    if not waiting:
        return None
    return Tile(_("My visitors to confirm"), "schools/tiles/my_visitors.html", order=2,
                url=reverse("schools:phone"), context={"visitors": waiting})
