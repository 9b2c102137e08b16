"""Inspection plans as obligations: routine every N days by category from policy, pre-holiday
N days before a holiday, campaigns at their deadline; the hourly sweep opens each once, an
inspection meets it, a missed one is missed (all states read from obligations)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shouwang.celery import JobTask, app
from shouwang.core import scheduler
from shouwang.core.choices import HolidayKind, PersonKind, Role, UnitKind
from shouwang.core.models import Holiday, Person, Unit
from shouwang.inspections import planning, services
from shouwang.inspections.choices import KIND_PLANNED, PlanKind
from shouwang.inspections.models import InspectionPlan, InspectorAssignment
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user

from .conftest import inspect

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=SH)


def planned(place=None):
    qs = Obligation.objects.of_kind(KIND_PLANNED)
    return qs.for_subject(place) if place is not None else qs


@pytest.fixture
def preset_d(org):
    from shouwang.policies.services import assign, load_presets

    with time_machine.travel(at(2026, 1, 1), tick=False):
        presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-prevention-plan-d"])


@pytest.fixture
def places(org, station):
    market_unit = Unit.objects.create(jurisdiction=org.c1, name="一社区农贸市场管理处", kind=UnitKind.BUSINESS)
    market = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区农贸市场", kind="unit", category="market",
                                     unit=market_unit)
    hospital = KeyPlace.objects.create(jurisdiction=org.c2, name="二社区医院", kind="unit", category="hospital")
    return {"station": station, "market": market, "hospital": hospital}


@pytest.fixture
def inspectors(org, station):
    """冯立新 covers 一社区 (assigned there); the street's own inspector is on no community."""
    person = Person.objects.create(jurisdiction=org.street, name="冯立新", kind=PersonKind.STAFF,
                                   user=org.user("inspector1"))
    InspectorAssignment.objects.create(jurisdiction=org.c1, inspector=person, since=date(2026, 1, 1))
    return {"c1": person}


def test_routine_due_every_n_days_by_category_from_policy(org, places, inspectors, preset_d):
    with time_machine.travel(at(2026, 10, 20, 10), tick=False):
        inspect(org.user("inspector1"), places["market"],
                services.create_template(node=org.street, name="市场检查表", category="market",
                                         items=[{"section": "消防", "text": "通道畅通", "answer_type": "yes_no",
                                                 "severity": "general"}]).current)
    plan = services.create_plan(node=org.street, kind=PlanKind.ROUTINE, name="重点单位日常检查",
                                starts_on=date(2026, 11, 2), user=org.user("office"))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        assert services.open_planned_inspections() == 3
    station = planned(places["station"]).get()
    # petroleum every 30 days from the plan's start (never inspected), due at the end of the day
    assert station.due_at == at(2026, 12, 2, 23, 59, 59) and station.opens_at == at(2026, 11, 2, 0)
    assert station.rule == "inspections.routine_days" and station.policy_version is not None
    assert station.responsible_person == inspectors["c1"]  # the community's assigned inspector
    assert station.responsible_unit == places["station"].unit
    # market every 60 days from its last inspection (10-20), opened the day after it
    market = planned(places["market"]).get()
    assert market.due_at == at(2026, 12, 19, 23, 59, 59) and market.opens_at == at(2026, 11, 2, 0)
    # a hospital is "default": every 90 days; 二社区 has no inspector of its own
    hospital = planned(places["hospital"]).get()
    assert hospital.due_at == at(2027, 1, 31, 23, 59, 59) and hospital.responsible_person is None
    assert str(plan) in station.title and places["station"].name in station.title


def test_plan_inspector_is_responsible_and_categories_limit_places(org, places, inspectors, preset_d):
    street_inspector = Person.objects.create(jurisdiction=org.street, name="褚国庆", kind=PersonKind.STAFF)
    services.create_plan(node=org.street, kind=PlanKind.ROUTINE, name="加油站日常检查", categories=["petroleum"],
                         starts_on=date(2026, 11, 2), inspector=street_inspector)
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        assert services.open_planned_inspections() == 1
    assert planned().get().responsible_person == street_inspector


def test_pre_holiday_opens_n_days_before_guoqing(org, places, inspectors, preset_d):
    guoqing = Holiday.objects.create(jurisdiction=org.street, name="国庆节", starts_on=date(2026, 10, 1),
                                     ends_on=date(2026, 10, 7))
    services.create_plan(node=org.c1, kind=PlanKind.PRE_HOLIDAY, name="国庆节前安全检查", holiday=guoqing,
                         categories=["petroleum", "market"], starts_on=date(2026, 9, 1))
    with time_machine.travel(at(2026, 9, 15), tick=False):
        assert services.open_planned_inspections() == 0  # weeks ahead: nothing yet
    with time_machine.travel(at(2026, 9, 22), tick=False):
        assert services.open_planned_inspections() == 2  # within the look-ahead: shown as upcoming
        assert planned().in_state(State.UPCOMING).count() == 2
    ob = planned(places["station"]).get()
    # preset D: 3 days before; due the day before the holiday starts, at the end of the day
    assert ob.opens_at == at(2026, 9, 28, 0) and ob.due_at == at(2026, 9, 30, 23, 59, 59)
    assert ob.rule == "inspections.pre_holiday_days"
    with time_machine.travel(at(2026, 9, 28, 8), tick=False):
        assert services.open_planned_inspections() == 0
        assert planned().in_state(State.OPEN).count() == 2
    with time_machine.travel(at(2026, 10, 2), tick=False):
        assert services.open_planned_inspections() == 0  # the holiday has begun: nothing new
        assert planned().in_state(State.MISSED).count() == 2


def test_pre_holiday_before_holiday_inspection_does_not_meet_it(org, places, template, preset_d):
    guoqing = Holiday.objects.create(jurisdiction=org.street, name="国庆节", starts_on=date(2026, 10, 1),
                                     ends_on=date(2026, 10, 7))
    services.create_plan(node=org.c1, kind=PlanKind.PRE_HOLIDAY, name="国庆节前安全检查", holiday=guoqing,
                         places=[places["station"]], starts_on=date(2026, 9, 1))
    with time_machine.travel(at(2026, 9, 25), tick=False):
        services.open_planned_inspections()
        inspect(org.user("inspector1"), places["station"], template.current)  # too early: before it opens
    assert planned().pending().count() == 1
    with time_machine.travel(at(2026, 9, 29, 15), tick=False):
        inspect(org.user("inspector1"), places["station"], template.current)
        assert planned().in_state(State.MET).count() == 1


def test_campaign_due_at_its_deadline_sweep_twice_opens_once(org, places, inspectors):
    with time_machine.travel(at(2026, 12, 1), tick=False):
        plan = services.create_plan(node=org.street, kind=PlanKind.CAMPAIGN, name="燃气安全专项整治",
                                    places=[places["station"], places["market"]], starts_on=date(2026, 12, 1),
                                    deadline=date(2026, 12, 15), user=org.user("office"))
        assert services.open_planned_inspections() == 2
        assert services.open_planned_inspections() == 0  # the same sweep twice opens once
        assert scheduler.run_job("inspections.open_planned") == 0  # the hourly job, the same service
    assert planned().count() == 2
    assert {o.due_at for o in planned()} == {at(2026, 12, 15, 23, 59, 59)}
    assert {o.opens_at for o in planned()} == {at(2026, 12, 1, 0)}
    keys = {o.key for o in planned()}
    assert keys == {f"{KIND_PLANNED}:{plan.pk}:{p.pk}:2026-12-15" for p in (places["station"], places["market"])}


def test_an_inspection_meets_it_and_the_next_routine_one_counts_from_it(org, places, template, inspectors, preset_d):
    services.create_plan(node=org.c1, kind=PlanKind.ROUTINE, name="加油站日常检查", categories=["petroleum"],
                         starts_on=date(2026, 11, 2))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        services.open_planned_inspections()
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        inspect(org.user("inspector1"), places["station"], template.current)
        assert [o.state_db for o in planned().with_state()] == [State.MET]
        assert services.open_planned_inspections() == 1  # the next cycle, from this inspection
    nxt = planned().pending().get()
    assert nxt.due_at == at(2026, 12, 20, 23, 59, 59) and nxt.opens_at == at(2026, 11, 21, 0)
    with time_machine.travel(at(2026, 11, 20, 11), tick=False):
        assert services.open_planned_inspections() == 0


def test_a_missed_one_is_missed_and_no_second_opens_while_it_is_pending(org, places, template, preset_d):
    services.create_plan(node=org.c1, kind=PlanKind.ROUTINE, name="加油站日常检查", places=[places["station"]],
                         starts_on=date(2026, 11, 2))
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        services.open_planned_inspections()
    with time_machine.travel(at(2026, 12, 3, 9), tick=False):
        assert planned().in_state(State.MISSED).count() == 1
        assert services.open_planned_inspections() == 0  # still owed: no second one
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        inspect(org.user("inspector1"), places["station"], template.current)
        assert [o.state_db for o in planned().with_state()] == [State.MET_LATE]


def test_plan_refusals_name_their_field(org, places):
    office = org.user("office")
    with time_machine.travel(at(2026, 12, 10), tick=False):
        with pytest.raises(ValidationError) as exc:
            services.create_plan(node=org.street, kind=PlanKind.CAMPAIGN, name="专项整治", places=[places["station"]],
                                 starts_on=date(2026, 12, 1), deadline=date(2026, 12, 9), user=office)
        assert "deadline" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.create_plan(node=org.street, kind=PlanKind.CAMPAIGN, name="专项整治", starts_on=date(2026, 12, 1),
                                 deadline=date(2026, 12, 20), user=office)
        assert "places" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.create_plan(node=org.street, kind=PlanKind.PRE_HOLIDAY, name="节前检查",
                                 starts_on=date(2026, 12, 1), user=office)
        assert "holiday" in exc.value.message_dict
        school = Holiday.objects.create(jurisdiction=org.street, name="寒假", kind=HolidayKind.SCHOOL,
                                        starts_on=date(2027, 1, 23), ends_on=date(2027, 2, 21))
        with pytest.raises(ValidationError) as exc:
            services.create_plan(node=org.street, kind=PlanKind.PRE_HOLIDAY, name="节前检查", holiday=school,
                                 starts_on=date(2026, 12, 1), user=office)
        assert "holiday" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:  # a place outside the plan's node
            services.create_plan(node=org.c2, kind=PlanKind.CAMPAIGN, name="专项整治", places=[places["station"]],
                                 starts_on=date(2026, 12, 1), deadline=date(2026, 12, 20), user=office)
        assert "places" in exc.value.message_dict
        with pytest.raises(PermissionDenied):  # 一社区's office may not plan for 二社区
            services.create_plan(node=org.c2, kind=PlanKind.CAMPAIGN, name="专项整治", places=[places["hospital"]],
                                 starts_on=date(2026, 12, 1), deadline=date(2026, 12, 20), user=org.user("office1"))
    assert InspectionPlan.objects.count() == 0


def test_editing_a_campaign_keeps_its_past_deadline_and_waives_removed_places(org, places):
    with time_machine.travel(at(2026, 12, 1), tick=False):
        plan = services.create_plan(node=org.c1, kind=PlanKind.CAMPAIGN, name="专项整治",
                                    places=[places["station"], places["market"]], starts_on=date(2026, 12, 1),
                                    deadline=date(2026, 12, 15))
        services.open_planned_inspections()
    with time_machine.travel(at(2026, 12, 20), tick=False):
        services.edit_plan(plan, name="燃气专项整治", places=[places["station"]], user=org.user("office"))
        with pytest.raises(ValidationError) as exc:
            services.edit_plan(plan, deadline=date(2026, 12, 18), user=org.user("office"))
        assert "deadline" in exc.value.message_dict
    assert planned(places["market"]).get().waived_at is not None
    assert planned(places["station"]).get().waived_at is None


def test_the_sweep_is_an_hourly_celery_task():
    job = scheduler.JOBS["inspections.open_planned"]
    assert job.interval == 3600 and isinstance(job.task, JobTask)
    assert job.task_name == "shouwang.inspections.tasks.open_planned_inspections"
    assert isinstance(app.tasks[job.task_name], JobTask)  # registered under its name
    assert app.conf.beat_schedule["inspections.open_planned"]["task"] == job.task_name


def test_planning_is_plain_computation():
    rules = {"routine_days": {"petroleum": 30, "default": 90}, "pre_holiday_days": 5}
    station, square = planning.Place(1, "0001", "petroleum"), planning.Place(2, "0001", "square")
    dues = planning.routine([station, square], {1: date(2026, 3, 1)}, date(2026, 1, 1), rules)
    assert [(d.place_id, d.opens_on, d.due_on) for d in dues] == [(1, date(2026, 3, 2), date(2026, 3, 31)),
                                                                 (2, date(2026, 1, 1), date(2026, 4, 1))]
    assert planning.routine([station], {}, date(2026, 1, 1), rules, deadline=date(2026, 1, 20)) == []
    (before,) = planning.pre_holiday([station], [date(2026, 10, 1)], rules)
    assert (before.opens_on, before.due_on) == (date(2026, 9, 26), date(2026, 9, 30))
    assert planning.nearest("000100020003", {"0001": "street", "00010002": "community"}) == "community"
    assert planning.nearest("0009", {"0001": "street"}) is None
    assert planning.plan_of_key("inspections.planned:7:3:2026-12-15") == 7
    counts = planning.progress([1, 2, 3], [(1, "met", 1), (2, "missed", 1), (2, "open", 2)])[1]
    assert counts == {"inspected": 1, "pending": 1, "missed": 0, "waiting": 1}


# --- pages ------------------------------------------------------------------------------------

def test_plan_pages_show_progress_from_obligations_and_a_link_to_inspect(login, org, places, template, monkeypatch):
    from shouwang.inspections.views import plans as plan_views

    monkeypatch.setattr(plan_views, "_phone_url", lambda: "/inspections/m/")  # the phone page (built apart)
    with time_machine.travel(at(2026, 12, 1), tick=False):
        plan = services.create_plan(node=org.c1, kind=PlanKind.CAMPAIGN, name="燃气安全专项整治",
                                    places=[places["station"], places["market"]], starts_on=date(2026, 12, 1),
                                    deadline=date(2026, 12, 15))
        services.open_planned_inspections()
        inspect(org.user("inspector1"), places["station"], template.current)
    client = login(org.user("office"))
    with time_machine.travel(at(2026, 12, 16), tick=False):
        page = client.get(reverse("inspections:inspectionplan_list")).content.decode()
        assert "燃气安全专项整治" in page and "专项整治" in page
        row = page[page.index("燃气安全专项整治"):]
        assert 'data-progress="1/0/1"' in row  # inspected / pending / missed
        detail = client.get(reverse("inspections:inspectionplan_detail", args=[plan.pk])).content.decode()
    assert "东湖加油站" in detail and "一社区农贸市场" in detail
    assert "已超时" in detail  # the market, missed (the state named by obligations)
    assert f"/inspections/m/?place={places['market'].pk}&amp;plan={plan.pk}" in detail  # a link to inspect it


def test_plan_create_and_edit_pages(login, org, places):
    client = login(org.user("office"))
    with time_machine.travel(at(2026, 12, 10), tick=False):
        assert client.get(reverse("inspections:inspectionplan_create")).status_code == 200
        data = {"jurisdiction": org.c1.pk, "kind": PlanKind.CAMPAIGN, "name": "消防通道专项整治",
                "places": [places["station"].pk, places["market"].pk], "starts_on": "2026-12-10",
                "deadline": "2026-12-01"}
        response = client.post(reverse("inspections:inspectionplan_create"), data)
        assert response.status_code == 200 and "deadline" in response.context["form"].errors
        assert "过去" in response.content.decode()
        response = client.post(reverse("inspections:inspectionplan_create"), data | {"deadline": "2026-12-31"})
        assert response.status_code == 302
        plan = InspectionPlan.objects.get()
        assert set(plan.places.all()) == {places["station"], places["market"]}
        response = client.post(reverse("inspections:inspectionplan_edit", args=[plan.pk]),
                               data | {"deadline": "2026-12-31", "name": "消防通道专项整治（二）"})
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.name == "消防通道专项整治（二）"
        assert client.get(reverse("inspections:inspectionplan_detail", args=[plan.pk])).status_code == 200


def test_plan_pages_are_scoped(login, org, places):
    with time_machine.travel(at(2026, 12, 1), tick=False):
        other = services.create_plan(node=org.c2, kind=PlanKind.CAMPAIGN, name="二社区专项整治",
                                     places=[places["hospital"]], starts_on=date(2026, 12, 1),
                                     deadline=date(2026, 12, 15))
    org.users["inspector_c1"] = make_user("inspector_c1", Role.INSPECTOR, org.c1)
    client = login(org.user("inspector_c1"))
    assert "二社区专项整治" not in client.get(reverse("inspections:inspectionplan_list")).content.decode()
    assert client.get(reverse("inspections:inspectionplan_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("inspections:inspectionplan_edit", args=[other.pk])).status_code == 404
