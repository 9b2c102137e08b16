"""Duty's services on a frozen clock: rosters from a pattern, publishing only what the checker passes,
swaps refused with the rule named, overrides and absences, the one-tap confirmation, handovers,
the sweep's obligations (each escalating once), and the audit listing them."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.audit import queries as audit
from shouwang.core.models import ChangeLogEntry, Holiday, Person
from shouwang.duty import rosters, services
from shouwang.duty.choices import (
    KIND_CONFIRM,
    KIND_HANDOVER,
    KIND_UNSTAFFED,
    Pattern,
    Post,
    SwapState,
)
from shouwang.duty.models import Assignment, SwapRequest
from shouwang.obligations.escalation import sweep as escalate
from shouwang.obligations.models import Notification, Obligation
from tests.conftest import make_user
from tests.crud import log_rows

from .conftest import CN, FIRST, make_rota

NEXT_DAY = datetime(2026, 12, 3, tzinfo=CN)


def _on(roster, person, day):
    return Assignment.objects.live().get(roster=roster, person=person, day=day)


def _shift(roster, person, day):
    return Assignment.objects.live().filter(roster=roster, person=person, day=day).values_list("shift", flat=True).first()


# --- Patterns, checker, publishing -------------------------------------------------------------

def test_four_teams_three_shifts_fill_every_shift_with_one_team_resting(rota, crew):
    rows = list(Assignment.objects.filter(roster=rota))
    assert len(rows) == 28 * 3 * 2  # 28 days, three shifts, two people each
    for d in range(28):
        day = FIRST + timedelta(days=d)
        on = {a.person_id for a in rows if a.day == day}
        assert len(on) == 6, day  # one team of two rests every day
        for shift in ("early", "middle", "night"):
            assert len([a for a in rows if a.day == day and a.shift == shift]) == 2
    # team 1 (the first two) rotates early, early, middle, middle, night, night, rest, rest
    assert [_shift(rota, crew[0], FIRST + timedelta(days=d)) for d in range(8)] == [
        "early", "early", "middle", "middle", "night", "night", None, None]
    assert rosters.check(rota)["ok"]


def test_publishing_is_refused_with_the_rule_named_until_the_checker_passes(org, rota, crew):
    a = _on(rota, crew[0], FIRST)
    a.delete()
    with pytest.raises(ValidationError) as refused:
        services.publish(rota, user=org.user("office1"))
    text = " ".join(refused.value.messages)
    assert text == "值班表违反规则，不能发布：每班需求人数：需2人、已排1人（12-01 早班）"
    rota.refresh_from_db()
    assert not rota.is_published


def test_the_four_teams_pattern_needs_four_teams_and_the_three_shifts(org, team, owner, clock, crew):
    roster = make_rota(org, team, owner, generate=False)
    with pytest.raises(ValidationError) as bad:
        services.generate(roster, pattern=Pattern.FOUR_TEAMS, groups=[crew[:2], crew[2:4], crew[4:6]],
                          user=org.user("office1"))
    assert "groups" in bad.value.message_dict
    assert not Assignment.objects.filter(roster=roster).exists()


def test_only_the_office_of_the_node_writes_rosters(org, team, owner, clock):
    with pytest.raises(PermissionDenied):
        make_rota(org, team, owner, node=org.c2)
    with pytest.raises(PermissionDenied):
        services.create_roster(node=org.c1, name="x", starts_on=FIRST, days=7, shifts=[], demand=[],
                               user=org.user("viewer"))


def test_a_generated_roster_is_in_the_change_log_row_by_row(rota):
    assert ChangeLogEntry.objects.filter(content_type__model="assignment", action="create").count() == 168


def test_bad_shifts_are_refused_on_their_field(org, clock):
    with pytest.raises(ValidationError) as bad:
        services.create_roster(node=org.c1, name="坏的", starts_on=FIRST, days=7,
                               shifts=[{"id": "a", "start": "25:00", "end": "08:00"}],
                               demand=[{"shift": "b", "role": "patrol", "count": 1}], user=org.user("office1"))
    assert set(bad.value.message_dict) == {"shifts", "demand"}


# --- Swaps and overrides --------------------------------------------------------------------------

def test_a_swap_that_breaks_the_rest_rule_is_refused_naming_it(org, published, crew):
    # crew[6] (team 4) is on the early shift on 3 Dec; crew[4] (team 3) came off the night shift at 06:00.
    early = _on(published, crew[6], date(2026, 12, 3))
    assert early.shift == "early" and _shift(published, crew[4], date(2026, 12, 2)) == "night"
    swap = services.request_swap(assignment=early, colleague=crew[4], user=org.user("office1"))
    assert swap.state == SwapState.REFUSED
    assert swap.refusal == f"不予同意：两班之间最少休息：两班之间休息不足11小时（12-02 {crew[4].name}）"
    assert Assignment.objects.live().get(pk=early.pk).person == crew[6]


def test_a_swap_asked_accepted_and_approved_moves_the_shift(org, published, crew):
    patrol1 = org.user("patrol1")  # crew[0], early on 1 and 2 Dec
    mine = _on(published, crew[0], date(2026, 12, 2))
    # a team member resting that day would work 7 days in 7: the team's reserve takes it
    reserve = Person.objects.create(jurisdiction=org.c1, name="备班", user=make_user("reserve"))
    published.members.add(reserve)
    refused = services.request_swap(assignment=mine, colleague=crew[6], user=patrol1)
    assert refused.state == SwapState.REFUSED and "7天内最多班次" in refused.refusal
    swap = services.request_swap(assignment=mine, colleague=reserve, reason="家中有事", user=patrol1)
    assert swap.state == SwapState.REQUESTED, swap.refusal
    with pytest.raises(PermissionDenied):
        services.accept_swap(swap, user=patrol1)  # only the colleague accepts
    services.accept_swap(swap, user=reserve.user)
    with pytest.raises(PermissionDenied):
        services.decide_swap(swap, approve=True, user=patrol1)
    services.decide_swap(swap, approve=True, user=org.user("office1"))
    swap.refresh_from_db()
    assert swap.state == SwapState.APPROVED
    taken = Assignment.objects.live().get(roster=published, day=date(2026, 12, 2), shift="early", person=reserve)
    old = Assignment.objects.get(pk=mine.pk)
    assert old.removed_at is not None and old.sequence == 1 and taken.pk != old.pk
    assert rosters.check(published)["ok"]


def test_a_retried_swap_request_is_the_same_request(org, published, crew):
    mine = _on(published, crew[0], date(2026, 12, 2))
    key = "7e1f6c2a-79c4-4a4b-9a3b-0b7c9b2b7a11"
    first = services.request_swap(assignment=mine, colleague=crew[5], user=org.user("patrol1"), client_uuid=key)
    again = services.request_swap(assignment=mine, colleague=crew[5], user=org.user("patrol1"), client_uuid=key)
    assert first.pk == again.pk and SwapRequest.objects.count() == 1


def test_an_override_is_checked_like_a_swap(org, published, crew):
    night = _on(published, crew[4], date(2026, 12, 2))
    with pytest.raises(ValidationError) as refused:
        services.override(_on(published, crew[6], date(2026, 12, 3)), person=crew[4], user=org.user("office1"))
    assert "两班之间最少休息" in " ".join(refused.value.messages)
    outsider = Person.objects.create(jurisdiction=org.c1, name="临时替班")
    new = services.override(night, person=outsider, reason="病假", user=org.user("office1"))
    assert new.person == outsider and Assignment.objects.get(pk=night.pk).removal_reason == "病假"


def test_stand_down_leaves_a_hole_the_optimiser_fills_with_the_least_change(org, published, crew):
    absent = _on(published, crew[2], date(2026, 12, 8))
    services.stand_down(absent, reason="病假", user=org.user("office1"))
    verdict = rosters.check(published)
    assert verdict["by_rule"] == {"coverage": 1}
    services.enter_leave(person=crew[2], starts_on=date(2026, 12, 8), ends_on=date(2026, 12, 8), reason="病假",
                         user=org.user("office1"))
    run = services.start_solve(published, seconds=5, workers=2, user=org.user("office1"))
    services.run_solve(run.pk)
    run.refresh_from_db()
    assert run.state == "done" and run.result["checker"]["ok"], run.message
    # the hole filled with the least change: a few neighbours move (7 days in 7 is not allowed), the rest stays
    assert run.result["previous"] == 167 and run.result["kept"] >= 155
    assert run.result["terms"]["changes"] == run.result["previous"] - run.result["kept"]
    services.apply_run(run, user=org.user("office1"))
    assert rosters.check(published)["ok"]
    assert not Assignment.objects.live().filter(roster=published, person=crew[2], day=date(2026, 12, 8)).exists()


# --- On duty and handovers ---------------------------------------------------------------------

def test_the_one_tap_confirmation_meets_the_slot_and_an_unconfirmed_one_is_missed(org, duty24, clock):
    assert services.sweep()["confirmations"] == 2  # 1 Dec's pair, on duty since 08:30 and not confirmed by 08:45
    clock.move_to(datetime(2026, 12, 2, 8, 10, tzinfo=CN))
    stats = services.sweep()
    assert stats["confirmations"] == 2  # the leader and the duty officer of 2 Dec, 08:30
    leader = Assignment.objects.get(roster=duty24, day=date(2026, 12, 2), post=Post.LEADER)
    officer = Assignment.objects.get(roster=duty24, day=date(2026, 12, 2), post=Post.DUTY_OFFICER)
    officer.person.user = make_user("officer2")
    officer.person.save()
    services.confirm_on_duty(officer, user=officer.person.user)
    with pytest.raises(PermissionDenied):
        services.confirm_on_duty(leader, user=org.user("office1"))
    clock.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=CN))
    assert services.sweep()["confirmations"] == 0  # opened once
    states = dict(Obligation.objects.of_kind(KIND_CONFIRM).due_between(datetime(2026, 12, 2, tzinfo=CN), NEXT_DAY)
                  .with_state().values_list("responsible_person", "state_db"))
    assert states == {officer.person_id: "met", leader.person_id: "missed"}
    assert set(Obligation.objects.of_kind(KIND_CONFIRM).due_between(datetime(2026, 12, 1, tzinfo=CN),
                                                                    datetime(2026, 12, 2, tzinfo=CN))
               .with_state().values_list("state_db", flat=True)) == {"missed"}


def test_a_confirmation_outside_its_shift_is_refused(org, duty24, clock):
    later = Assignment.objects.get(roster=duty24, day=date(2026, 12, 5), post=Post.DUTY_OFFICER)
    if later.person.user_id is None:
        later.person.user = make_user("officer5")
        later.person.save()
    with pytest.raises(ValidationError):
        services.confirm_on_duty(later, user=later.person.user)


def test_a_handover_unacknowledged_for_30_minutes_escalates_once(org, duty24, clock):
    clock.move_to(datetime(2026, 12, 2, 8, 0, tzinfo=CN))
    outgoing = Assignment.objects.get(roster=duty24, day=date(2026, 12, 1), post=Post.DUTY_OFFICER)
    incoming = services.next_on_duty(outgoing)
    assert [p.pk for p in incoming] == [Assignment.objects.get(roster=duty24, day=date(2026, 12, 2),
                                                               post=Post.DUTY_OFFICER).person_id]
    incoming[0].user = org.user("grid1")
    incoming[0].save()
    handover = services.write_handover(assignment=outgoing, incoming=incoming[0], open_items="二号楼电梯困人已处置，待回访",
                                       user=org.user("office1"))
    ob = Obligation.objects.of_kind(KIND_HANDOVER).get()
    assert ob.due_at == handover.written_at + timedelta(minutes=30) and ob.responsible_person == incoming[0]
    clock.move_to(datetime(2026, 12, 2, 9, 45, tzinfo=CN))
    escalate()
    after_first = Notification.objects.filter(obligation=ob).count()
    escalate()
    assert after_first > 0 and Notification.objects.filter(obligation=ob).count() == after_first
    services.acknowledge_handover(handover, user=org.user("grid1"))
    assert Obligation.objects.of_kind(KIND_HANDOVER).with_state().get().state_db == "met_late"


# --- Unstaffed slots ---------------------------------------------------------------------------

def test_an_unstaffed_slot_24_hours_ahead_becomes_the_owners_obligation_and_escalates_once(org, published, crew,
                                                                                         owner, clock):
    services.stand_down(_on(published, crew[0], date(2026, 12, 2)), reason="病假", user=org.user("office1"))
    clock.move_to(datetime(2026, 12, 1, 5, 0, tzinfo=CN))  # 25 hours before the early shift of 2 Dec
    assert services.sweep()["unstaffed"] == 0
    clock.move_to(datetime(2026, 12, 1, 7, 0, tzinfo=CN))
    assert services.sweep()["unstaffed"] == 1
    assert services.sweep()["unstaffed"] == 0  # once
    ob = Obligation.objects.of_kind(KIND_UNSTAFFED).get()
    assert ob.responsible_person == owner and ob.due_at == datetime(2026, 12, 2, 6, 0, tzinfo=CN)
    assert ob.title == "缺岗：一社区巡防四班三倒 12-02 早班（巡逻岗 需2人已排1人）"
    clock.move_to(datetime(2026, 12, 2, 7, 30, tzinfo=CN))
    escalate()
    sent = Notification.objects.filter(obligation=ob).count()
    escalate()
    services.sweep()
    assert sent > 0 and Notification.objects.filter(obligation=ob).count() == sent
    assert Obligation.objects.of_kind(KIND_UNSTAFFED).count() == 1


def test_a_slot_staffed_again_meets_its_obligation(org, published, crew, clock):
    hole = _on(published, crew[0], date(2026, 12, 2))
    services.stand_down(hole, reason="病假", user=org.user("office1"))
    services.sweep()
    spare = Person.objects.create(jurisdiction=org.c1, name="替班")
    with pytest.raises(ValidationError) as full:  # a full shift takes nobody more
        services.fill_slot(published, person=spare, day=date(2026, 12, 2), shift="middle", post=Post.PATROL,
                           user=org.user("office1"))
    assert " ".join(full.value.messages) == "不予同意：每班需求人数：需2人、已排3人（12-02 中班）"
    services.fill_slot(published, person=spare, day=date(2026, 12, 2), shift="early", post=Post.PATROL,
                       user=org.user("office1"))
    services.sweep()
    assert Obligation.objects.of_kind(KIND_UNSTAFFED).with_state().get().state_db == "met"


def test_the_audit_lists_unstaffed_and_unconfirmed_slots(org, published, duty24, crew, clock):
    services.stand_down(_on(published, crew[0], date(2026, 12, 2)), reason="病假", user=org.user("office1"))
    services.sweep()  # 1 Dec 09:00: the early shift of 2 Dec is within 24 hours and lacks one
    clock.move_to(datetime(2026, 12, 2, 8, 15, tzinfo=CN))
    services.sweep()
    clock.move_to(datetime(2026, 12, 2, 12, 0, tzinfo=CN))
    report = audit.build(org.c1, date(2026, 12, 1), date(2026, 12, 2))
    kinds = sorted({row.obligation.kind for row in report.rows})
    assert kinds == [KIND_CONFIRM, KIND_UNSTAFFED]
    assert {row.kind_label for row in report.rows} == {"值班缺岗", "到岗确认"}
    assert all(row.finding == "missed" for row in report.rows)


def test_a_run_interrupted_by_a_restart_ends_failed_and_the_roster_can_be_solved_again(org, rota, clock):
    first = services.start_solve(rota, seconds=30, user=org.user("office1"))
    assert services.start_solve(rota, seconds=30, user=org.user("office1")).pk == first.pk  # one at a time
    clock.shift(timedelta(minutes=4))
    assert services.start_solve(rota, seconds=30, user=org.user("office1")).pk == first.pk  # may still be working
    clock.shift(timedelta(minutes=30))
    second = services.start_solve(rota, seconds=30, user=org.user("office1"))
    first.refresh_from_db()
    assert second.pk != first.pk and first.state == "failed" and first.message.startswith("优化排班被中断")


def test_a_sensitive_period_of_the_calendar_asks_a_leader_on_every_shift(org, published, crew, clock):
    chief = Person.objects.create(jurisdiction=org.c1, name="带班领导甲")
    published.leaders.add(chief)
    assert rosters.check(published)["ok"]  # no sensitive day yet: no leader asked
    Holiday.objects.create(jurisdiction=org.street, name="重要会议期间", kind="sensitive", starts_on=date(2026, 12, 3),
                           ends_on=date(2026, 12, 3))
    verdict = rosters.check(published)
    lacks = sorted((v["day"], v["shift"]) for v in verdict["violations"] if v["rule"] == "leader_in_sensitive_period")
    assert lacks == [("2026-12-03", "early"), ("2026-12-03", "middle"), ("2026-12-03", "night")]
    services.fill_slot(published, person=chief, day=date(2026, 12, 3), shift="early", post=Post.LEADER,
                       user=org.user("office1"))
    still = [v for v in rosters.check(published)["violations"] if v["rule"] == "leader_in_sensitive_period"]
    assert [v["shift"] for v in still] == ["middle", "night"]


def test_an_optimiser_runs_steps_are_in_the_change_log(org, rota):
    run = services.start_solve(rota, seconds=2, user=org.user("office1"))
    services.run_solve(run.pk)
    run.refresh_from_db()
    states = [(row.before or {}).get("state") for row in log_rows(run).order_by("pk")]
    assert states == [None, "queued", "running"] and run.state == "done"
