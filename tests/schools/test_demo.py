"""The schools demo builds on a fresh database through the services: preset F on the street, four
school profiles, 柳岸小学's gate rosters and last week's windows held by the three roles, visitors
and vehicles (one refused), an old visitor deleted by the retention job; a second run adds nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from shouwang.obligations.models import Obligation
from shouwang.policies.models import NodePolicy
from shouwang.schools import demo, queries
from shouwang.schools.models import (
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
)


def _counts():
    return tuple(m.objects.count() for m in (School, GateWindow, GateConfirmation, VisitorEntry, VehicleEntry,
                                             CameraCheck, Purge, Obligation))


def test_the_demo_has_its_schools_and_a_second_run_adds_nothing(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    counts = _counts()
    assert demo.load(out=lambda *_: None) is False
    call_command("load_demo")
    assert _counts() == counts

    assert NodePolicy.objects.filter(policy__code="school-security-f", jurisdiction__code="QL-WC").exists()
    assert set(School.objects.values_list("unit__name", flat=True)) == {"柳岸小学", "望川中学", "云杉幼儿园",
                                                                     "望川职业技术学校"}
    la = School.objects.get(unit__name="柳岸小学")
    assert la.rosters.count() == 3 and la.security_staff.count() == 2
    assert GateConfirmation.objects.filter(school=la).count() == 3 * GateWindow.objects.filter(
        school=la, confirmations__isnull=False).distinct().count() > 0
    assert VehicleEntry.objects.filter(outcome="refused").count() == 1
    assert Purge.objects.get(school=la).visitors == 1
    office = get_user_model().objects.get(username="office")
    rows = {str(r["school"]): r for r in queries.street_rows(office)}
    assert rows["望川中学"]["colours"]["cameras"] == "missed" and rows["望川中学"]["staffing"].shortfall
    assert rows["柳岸小学"]["colours"]["staffing"] == "met" and rows["柳岸小学"]["colours"]["cameras"] == "met"
    for username in ("guard", "teacher"):
        assert get_user_model().objects.get(username=username).person.unit == la.unit
