"""Drills owed by policy, with a moved clock: under preset E a school owes an evacuation drill each
month and a kindergarten each quarter (教基一厅〔2014〕2号); a period without one is missed; a drill
held in the period meets it; the street owes a drill a year per working category of its plans
(preset B); each plan's expert review falls due a cycle after its approval or last review."""

from datetime import date, timedelta

import pytest
import time_machine
import yaml
from django.core.exceptions import ValidationError

from shouwang.core import scheduler
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.plans import rules, services
from shouwang.plans.choices import KIND_DRILL, KIND_PLAN_REVIEW
from shouwang.policies.services import PRESETS_DIR

from .conftest import at


def _owed(subject):
    return Obligation.objects.for_subject(subject).of_kind(KIND_DRILL).order_by("due_at")


def _drill(org, unit, when):
    drill = services.create_drill(node=unit.jurisdiction, user=org.user("office"), title=f"{unit.name}疏散演练",
                                  kind="evacuation", unit=unit, scheduled_at=when, category="fire", level="IV",
                                  address=unit.name, storeys=3,
                                  injects=[{"title": "火警", "message": "起火", "recipient_group": _group(org)}])
    services.start_drill(drill, user=org.user("office"), at=when)
    services.end_drill(drill, user=org.user("office"), at=when + timedelta(minutes=20))
    return drill


def _group(org):
    from shouwang.core.models import Group

    return Group.objects.get_or_create(jurisdiction=org.street, name="疏散引导组", kind="working",
                                       defaults={"working_kind": "accidents"})[0]


def test_preset_e_names_its_source_and_asks_monthly_and_quarterly():
    data = yaml.safe_load((PRESETS_DIR / "school-prevention-plan-e.yaml").read_text(encoding="utf-8"))
    drills = data["rules"]["drills"]
    assert "教基一厅〔2014〕2号" in drills["source"]
    cadence = {tuple(e["unit_kinds"]): e["every_months"] for e in drills["evacuation"]}
    assert cadence == {("school",): 1, ("kindergarten",): 3}
    assert drills["evacuation_targets"] == [{"name": "evacuation_four_storeys", "label": "四层及以下建筑2分钟内疏散完毕",
                                             "max_storeys": 4, "seconds": 120}]
    assert "evacuation_per_semester" not in drills


def test_a_school_owes_a_drill_each_month_and_a_month_without_one_is_missed(org, presets, schools):
    school = schools["primary"]
    with time_machine.travel(at(2026, 9, 1, 0, 30), tick=False):
        assert scheduler.run_job("plans.open_planned_drills") >= 2
        services.open_planned_drills()  # a second sweep opens nothing again
        september = _owed(school).get()
        assert (september.opens_at, september.due_at) == (at(2026, 9, 1, 0, 0), at(2026, 9, 30, 23, 59, 59))
        assert september.state == State.OPEN and september.rule == "school_evacuation_monthly"
        assert september.policy_version.policy.code == "school-prevention-plan-e"
    with time_machine.travel(at(2026, 10, 1, 0, 30), tick=False):
        services.open_planned_drills()
        september.refresh_from_db()
        assert september.state == State.MISSED  # September went by without a drill
        october = _owed(school).last()
        assert october.due_at == at(2026, 10, 31, 23, 59, 59) and october.state == State.OPEN
    with time_machine.travel(at(2026, 10, 15, 10, 0), tick=False):
        _drill(org, school, at(2026, 10, 15, 9, 0))
    october.refresh_from_db()
    assert october.state == State.MET and october.met_at == at(2026, 10, 15, 9, 20)
    assert _owed(school).count() == 2


def test_a_kindergarten_owes_one_each_quarter(org, presets, schools):
    kindergarten = schools["kindergarten"]
    with time_machine.travel(at(2026, 10, 2), tick=False):
        services.open_planned_drills()
    with time_machine.travel(at(2026, 11, 2), tick=False):
        services.open_planned_drills()
    with time_machine.travel(at(2026, 12, 30), tick=False):
        services.open_planned_drills()
        quarter = _owed(kindergarten).get()  # one for October to December
        assert quarter.due_at == at(2026, 12, 31, 23, 59, 59) and quarter.state == State.OPEN
    with time_machine.travel(at(2027, 1, 1, 1, 0), tick=False):
        services.open_planned_drills()
        quarter.refresh_from_db()
        assert quarter.state == State.MISSED
        assert [o.due_at.date() for o in _owed(kindergarten)] == [date(2026, 12, 31), date(2027, 3, 31)]


def test_a_drill_done_before_the_sweep_opens_the_period_meets_it_at_once(org, presets, schools):
    school = schools["primary"]
    with time_machine.travel(at(2026, 11, 1, 0, 30), tick=False):
        _drill(org, school, at(2026, 11, 1, 0, 0))  # held just after midnight, before the hourly sweep
    with time_machine.travel(at(2026, 11, 1, 1, 0), tick=False):
        services.open_planned_drills()
    assert _owed(school).get().state == State.MET


def test_without_preset_e_a_school_owes_nothing(org, schools):
    with time_machine.travel(at(2026, 11, 1, 1, 0), tick=False):
        assert services.open_planned_drills() == 0
    assert not Obligation.objects.of_kind(KIND_DRILL).exists()


def test_the_street_owes_a_drill_a_year_per_working_category_of_its_plans(org, plan, drill):
    with time_machine.travel(at(2026, 11, 20), tick=False):
        services.open_planned_drills()
        yearly = Obligation.objects.for_subject(plan).of_kind(KIND_DRILL).get()
        assert yearly.due_at == at(2026, 12, 31, 23, 59, 59) and yearly.rule == "plans.drill_every_months"
        assert yearly.responsible_person.name == "leader本人"  # the lead group's leader
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        services.end_drill(drill, user=org.user("office"))
    yearly.refresh_from_db()
    assert yearly.state == State.MET
    with time_machine.travel(at(2027, 1, 2), tick=False):
        services.open_planned_drills()
    assert Obligation.objects.for_subject(plan).of_kind(KIND_DRILL).count() == 2


def test_periods_tile_the_year():
    assert rules.period_of(date(2026, 11, 20), 1) == (date(2026, 11, 1), date(2026, 12, 1))
    assert rules.period_of(date(2026, 11, 20), 3) == (date(2026, 10, 1), date(2027, 1, 1))
    assert rules.period_of(date(2026, 2, 3), 12) == (date(2026, 1, 1), date(2027, 1, 1))
    assert rules.period_of(date(2026, 8, 3), 6) == (date(2026, 7, 1), date(2027, 1, 1))


def test_a_plan_review_is_due_a_year_after_approval_and_a_review_meets_it(org, plan):
    review = Obligation.objects.for_subject(plan).of_kind(KIND_PLAN_REVIEW).get()
    assert review.due_at == at(2027, 1, 5, 23, 59, 59)  # approved 2026-01-05, policy: 12 months
    with time_machine.travel(at(2027, 1, 6), tick=False):
        assert review.state_at() == State.MISSED
    with time_machine.travel(at(2026, 12, 10), tick=False):
        services.record_review(plan, user=org.user("leader"), reviewed_on=date(2026, 12, 10),
                               experts="区应急管理局 何建国", conclusion="fit")
    review.refresh_from_db()
    assert review.state_at(at(2027, 2, 1)) == State.MET
    following = Obligation.objects.for_subject(plan).of_kind(KIND_PLAN_REVIEW).pending().get()
    assert following.due_at == at(2027, 12, 10, 23, 59, 59)
    with pytest.raises(ValidationError):  # a review dated in the future
        services.record_review(plan, user=org.user("leader"), reviewed_on=date(2030, 1, 1), experts="x",
                               conclusion="fit")
