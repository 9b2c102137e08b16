"""Supervision (督查): inspectors per community, visits whose four checks hold the facts the system
reads (registers' freshness, the day's patrol windows, responsibilities, open orders), findings of
a visit with their orders, and the pages."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from shouwang.core.choices import PersonKind, Role
from shouwang.core.models import Person, Team
from shouwang.inspections import checks, services
from shouwang.inspections.choices import FindingSource, OrderState
from shouwang.inspections.models import (
    Finding,
    InspectorAssignment,
    RectificationOrder,
    SupervisionVisit,
)
from shouwang.obligations.models import Obligation
from shouwang.patrols import services as patrols
from shouwang.patrols.models import Checkpoint, Route, Schedule
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user

from .conftest import inspect, png_data_url

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 12, 7, 6, 0, tzinfo=SH)
ALL_OK = {c: {"ok": True, "note": ""} for c in ("ledgers", "forces", "measures", "hazards")}


def fact(visit_or_facts, check, key):
    found = visit_or_facts.checks[check]["facts"] if hasattr(visit_or_facts, "checks") else visit_or_facts[check]
    return next(f for f in found if f["key"] == key)


def visit(user, node, **kw):
    data = {"visited_on": timezone.localdate(), "method": "unannounced", "inspectors": "督查员甲、督查员乙",
            "judgements": ALL_OK, **kw}
    return services.record_visit(user, node=node, **data)


@pytest.fixture
def gate(org):
    """C1: a school gate on a route walked 07:15–07:45 every day by the school-security team."""
    leader = Person.objects.create(jurisdiction=org.c1, name="队长乙", kind=PersonKind.PATROL)
    team = Team.objects.create(jurisdiction=org.c1, name="护校队", kind="school", leader=leader)
    school = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区小学", kind="unit", category="school",
                                     responsible_person=leader)
    route = Route.objects.create(jurisdiction=org.c1, name="校门路线")
    Checkpoint.objects.create(route=route, order=1, name="校门", lat=31.231, lon=121.4705, radius_m=80,
                              must_visit=True, key_place=school)
    Schedule.objects.create(jurisdiction=org.c1, name="护校签到", team=team, route=route, days="every",
                            windows=[{"name": "morning", "start": "07:15", "end": "07:45"}])
    return school


def test_a_key_place_past_its_review_shows_in_the_ledger_check(org, station):
    with time_machine.travel(MONDAY, tick=False):
        fresh = KeyPlace.objects.create(jurisdiction=org.c1, name="新建仓库", kind="unit", category="warehouse",
                                        review_period_days=30)
        station.review_period_days, station.last_reviewed_at = 2, MONDAY
        station.save()
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        before = checks.facts(org.c1, timezone.localdate())
        assert fact(before, "ledgers", "review_overdue")["count"] == 0
    with time_machine.travel(MONDAY + timedelta(days=5), tick=False):
        made = visit(org.user("inspector1"), org.c1)
    overdue = fact(made, "ledgers", "review_overdue")
    assert overdue["items"] == ["东湖加油站"] and overdue["problem"] is True
    assert fresh.name not in overdue["items"]
    assert fact(made, "ledgers", "places")["count"] == 2
    # the other community's ledger is not this one's
    assert fact(checks.facts(org.c2, MONDAY.date() + timedelta(days=5), MONDAY + timedelta(days=5)),
                "ledgers", "review_overdue")["count"] == 0


def test_a_missed_window_of_the_day_shows_in_the_forces_check(org, station, gate):
    with time_machine.travel(MONDAY, tick=False):
        patrols.open_patrol_windows()
    with time_machine.travel(MONDAY.replace(hour=7, minute=30), tick=False):
        running = checks.facts(org.c1, MONDAY.date())
        assert fact(running, "forces", "windows_today")["count"] == 1
        assert fact(running, "forces", "windows_missed")["count"] == 0
    with time_machine.travel(MONDAY.replace(hour=9), tick=False):
        made = visit(org.user("inspector1"), org.c1)
    missed = fact(made, "forces", "windows_missed")
    assert missed["count"] == 1 and missed["problem"] and "护校队 · 护校签到 07:15–07:45" in missed["items"]
    # the fuel station is on no route; the school is
    assert fact(made, "forces", "places_without_route")["items"] == ["东湖加油站"]
    roster = fact(made, "forces", "duty_roster")
    with override("en"):
        assert roster["count"] is None and str(checks.labelled(roster)["value"]) == "not available until duty rosters exist"


def test_measures_and_hazards_read_responsibilities_and_open_orders(org, station, template):
    KeyPlace.objects.create(jurisdiction=org.c1, name="无人负责的仓库", kind="unit", category="warehouse")
    with time_machine.travel(MONDAY, tick=False):
        inspect(org.user("inspector1"), station, template.current, **{"灭火器在有效期内": "no", "消防通道畅通": "no"})
    with time_machine.travel(MONDAY + timedelta(days=8), tick=False):  # the serious one (7 days) is overdue
        made = visit(org.user("inspector1"), org.c1)
    assert fact(made, "measures", "places_without_responsible")["items"] == ["无人负责的仓库"]
    assert fact(made, "measures", "units_without_liaison")["items"] == ["东湖加油站有限公司"]
    assert fact(made, "measures", "units_without_responsible")["count"] == 0
    assert fact(made, "hazards", "open_orders")["count"] == 2
    overdue = fact(made, "hazards", "overdue_orders")
    assert overdue["count"] == 1 and "消防通道畅通" in overdue["items"][0]


def test_a_visits_findings_have_their_orders_in_the_same_transaction(org, station):
    with time_machine.travel(MONDAY, tick=False):
        made = visit(org.user("inspector1"), org.c1, judgements={**ALL_OK, "hazards": {"ok": False, "note": "油罐区堆放杂物"}},
                     findings=[{"description": "油罐区堆放杂物", "severity": "serious", "place": station.pk,
                                "photos": [png_data_url()]},
                               {"description": "应急照明损坏", "severity": "general", "place": station,
                                "requirement": "三日内更换应急照明"}])
    findings = list(Finding.objects.filter(visit=made).order_by("pk"))
    assert [f.source for f in findings] == [FindingSource.SUPERVISION] * 2
    orders = [f.order for f in findings]
    assert [o.state for o in orders] == [OrderState.ORDERED] * 2
    assert orders[0].deadline == MONDAY + timedelta(days=7) and orders[0].responsible_person.name == "钱晓东"
    assert orders[1].requirement == "三日内更换应急照明"
    assert orders[0].photos.count() == 1
    assert Obligation.objects.for_subjects(RectificationOrder, [o.pk for o in orders]).pending().count() == 2
    assert made.checks["hazards"] | {"facts": None} == {"ok": False, "note": "油罐区堆放杂物", "facts": None,
                                                       "read_at": made.checks["hazards"]["read_at"]}


def test_bad_visits_are_refused_by_field_and_nothing_is_written(org, station):
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ValidationError) as exc:
        visit(org.user("inspector1"), org.c1, visited_on=date(2026, 12, 9), method="phone", inspectors=" ",
              judgements={**ALL_OK, "forces": {"ok": False, "note": ""}, "measures": {}},
              findings=[{"description": "", "severity": "note", "place": station.pk},
                        {"description": "x", "severity": "general", "photos": ["data:image/png;base64,aGVsbG8="]}])
    assert set(exc.value.message_dict) == {
        "visited_on", "method", "inspectors", "forces_note", "measures_ok", "findings.1.description",
        "findings.1.severity", "findings.2.photos"}
    with pytest.raises(ValidationError) as exc:
        visit(org.user("inspector1"), org.street)
    assert set(exc.value.message_dict) == {"jurisdiction"}
    assert SupervisionVisit.objects.count() == 0 and Finding.objects.count() == 0


def test_a_visit_outside_the_users_scope_is_refused(org):
    from django.core.exceptions import PermissionDenied

    c2_inspector = make_user("inspector_c2", Role.INSPECTOR, org.c2)
    with pytest.raises(PermissionDenied):
        visit(c2_inspector, org.c1)


# --- pages ------------------------------------------------------------------------------------

def test_coverage_flags_communities_without_an_inspector(org, login):
    person = Person.objects.create(jurisdiction=org.street, name="督查员张三", kind=PersonKind.STAFF)
    services.assign_inspector(node=org.c1, inspector=person, user=org.user("office"))
    page = login(org.user("office")).get(reverse("inspections:coverage"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-community="一社区" data-covered="yes"' in html and "督查员张三" in html
    assert 'data-community="二社区" data-covered="no"' in html
    assert html.count('class="cell-missing"') == 1


def test_assignment_pages_create_list_and_delete(org, login):
    person = Person.objects.create(jurisdiction=org.street, name="督查员李四", kind=PersonKind.STAFF)
    client = login(org.user("office"))
    form = client.get(reverse("inspections:inspectorassignment_create"))
    assert form.status_code == 200
    bad = client.post(reverse("inspections:inspectorassignment_create"),
                      {"jurisdiction": org.street.pk, "inspector": person.pk, "since": "2026-12-01"})
    assert bad.status_code == 200 and "督查员包保的是社区，请选择一个社区。" in bad.content.decode()
    ok = client.post(reverse("inspections:inspectorassignment_create"),
                     {"jurisdiction": org.c2.pk, "inspector": person.pk, "since": "2026-12-01"})
    assignment = InspectorAssignment.objects.get()
    assert ok.status_code == 302 and ok.url == assignment.get_absolute_url()
    assert "督查员李四" in client.get(reverse("inspections:inspectorassignment_list")).content.decode()
    assert client.get(assignment.get_absolute_url()).status_code == 200
    gone = client.post(reverse("inspections:inspectorassignment_delete", args=[assignment.pk]))
    assert gone.status_code == 302 and not InspectorAssignment.objects.exists()


def test_the_visit_form_shows_the_facts_and_names_its_errors(org, station, login):
    station.review_period_days = 1
    station.save()
    client = login(org.user("inspector1"))
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        url = reverse("inspections:supervisionvisit_create") + f"?jurisdiction={org.c1.pk}"
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "超过复核期限的重点场所" in html and "东湖加油站" in html
        bad = client.post(url, {"jurisdiction": org.c1.pk, "visited_on": timezone.localdate().isoformat(),
                                "method": "site", "inspectors": "督查员甲", "ledgers_ok": "no", "ledgers_note": "",
                                "forces_ok": "yes", "measures_ok": "yes", "hazards_ok": "yes"})
        assert bad.status_code == 200
        assert 'data-field="ledgers_note"' in bad.content.decode()
        assert not SupervisionVisit.objects.exists()
        good = client.post(url, {"jurisdiction": org.c1.pk, "visited_on": timezone.localdate().isoformat(),
                                 "method": "site", "inspectors": "督查员甲", "ledgers_ok": "no",
                                 "ledgers_note": "台账未按期复核", "forces_ok": "yes", "measures_ok": "yes",
                                 "hazards_ok": "yes", "summary": "总体较好",
                                 "finding_description_1": "加油机旁堆放纸箱", "finding_severity_1": "general",
                                 "finding_place_1": station.pk})
        made = SupervisionVisit.objects.get()
        assert good.status_code == 302 and good.url == made.get_absolute_url()
        detail = client.get(made.get_absolute_url()).content.decode()
    assert made.findings.get().order.number in detail
    assert "台账未按期复核" in detail and "东湖加油站" in detail
    assert "实地察看" in detail and ">site<" not in detail  # the method by its label, never its code
    assert client.get(reverse("inspections:supervisionvisit_list")).status_code == 200


def test_visit_pages_are_scoped(org, station, login):
    made = visit(org.user("inspector1"), org.c1)
    outsider = make_user("grid_c2", Role.GRID_WORKER, org.c2)
    assert login(outsider).get(made.get_absolute_url()).status_code == 404


def test_the_visit_page_shows_a_findings_photo_through_its_scoped_address(org, station, login):
    made = visit(org.user("inspector1"), org.c1, findings=[
        {"description": "油罐区堆放杂物", "severity": "serious", "place": station.pk, "photos": [png_data_url()]}])
    photo = made.findings.get().order.photos.get()
    client = login(org.user("inspector1"))
    html = client.get(made.get_absolute_url()).content.decode()
    url = reverse("inspections-photo-file", args=[photo.pk])
    assert f'src="{url}"' in html and "/media/" not in html
    assert client.get(url).status_code == 200
