"""Running a drill with a moved clock: the exercise incident opened through the incident intake,
injects delivered at their offsets exactly once however often the sweep runs, pauses that stop the
drill's clock, contingency injects offered once when an expected action is late, actions logged
once from the phone, the evacuation timed against the policy's target, and the end that measures
and closes everything."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.core import scheduler
from shouwang.incidents import services as incidents
from shouwang.incidents.choices import LogKind, Status
from shouwang.incidents.models import Incident, LogEntry
from shouwang.obligations.models import Notification, Obligation
from shouwang.plans import queries, services
from shouwang.plans.choices import DrillState, InjectState
from shouwang.plans.models import Drill, Inject

from .conftest import T0


def _injects(drill):
    return {i.title: i for i in Inject.objects.filter(drill=drill)}


def _delivered(drill):
    return sorted(i.title for i in Inject.objects.filter(drill=drill, state=InjectState.DELIVERED))


def test_injects_fire_at_their_offsets_exactly_once_with_the_sweep_run_twice(org, drill):
    office = org.user("office")
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=office)
    assert _delivered(drill) == ["接警：市场有人持刀伤人"]  # offset 0 goes out with the start
    grid_inbox = Notification.objects.filter(recipient=org.user("grid1"), title__startswith="【演练】")
    assert grid_inbox.count() == 1
    with time_machine.travel(T0 + timedelta(minutes=4, seconds=59), tick=False):
        assert scheduler.run_job("plans.sweep_drills")["delivered"] == 0
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        first = services.sweep_drills()
        second = services.sweep_drills()
        assert (first["delivered"], second["delivered"]) == (1, 0)
    second_inject = _injects(drill)["嫌疑人逃入市场内部"]
    assert second_inject.state == InjectState.DELIVERED and second_inject.delivered_at == T0 + timedelta(minutes=5)
    assert _delivered(drill) == ["嫌疑人逃入市场内部", "接警：市场有人持刀伤人"]
    incident = Incident.objects.drills().get(drill=drill)
    injected = LogEntry.objects.filter(incident=incident, text__contains="嫌疑人逃入市场内部")
    assert injected.count() == 1  # in the exercise incident's log once
    # the group's members each got the message once (patrol1 is a member)
    assert Notification.objects.filter(recipient=org.user("patrol1"), title="【演练】嫌疑人逃入市场内部").count() == 1
    with time_machine.travel(T0 + timedelta(minutes=12), tick=False):
        services.sweep_drills()
        services.sweep_drills()
    assert len(_delivered(drill)) == 3
    assert Notification.objects.filter(recipient=org.user("patrol1"), title="【演练】伤员转运").count() == 1


def test_a_pause_stops_the_drills_clock(org, drill):
    office = org.user("office")
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=office)
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        services.pause_drill(drill, user=office)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.sweep_drills()
        assert len(_delivered(drill)) == 1  # paused: nothing more
        services.resume_drill(drill, user=office)  # 27 minutes of pause
        assert len(_delivered(drill)) == 1  # exercise time is 3 minutes
    with time_machine.travel(T0 + timedelta(minutes=32), tick=False):
        services.sweep_drills()
        assert _delivered(drill) == ["嫌疑人逃入市场内部", "接警：市场有人持刀伤人"]  # exercise minute 5
        drill.refresh_from_db()
        assert drill.elapsed() == timedelta(minutes=5) and drill.paused_seconds == 27 * 60
        due = {row.inject.title: row.due_at for row in queries.timeline(drill)}
        assert due["伤员转运"] == T0 + timedelta(minutes=12 + 27)


def test_a_contingency_inject_is_offered_once_when_an_expected_action_is_late(org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    contingency = Inject.objects.get(drill=drill, contingency_for__isnull=False)
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        services.sweep_drills()
        contingency.refresh_from_db()
        assert contingency.state == InjectState.PENDING  # the window (3 min) has not passed yet
    with time_machine.travel(T0 + timedelta(minutes=3, seconds=1), tick=False):
        assert services.sweep_drills()["offered"] == 1
        assert services.sweep_drills()["offered"] == 0
    contingency.refresh_from_db()
    assert contingency.state == InjectState.OFFERED and contingency.offered_at == T0 + timedelta(minutes=3, seconds=1)
    assert [i.pk for i in queries.offered(drill)] == [contingency.pk]
    with time_machine.travel(T0 + timedelta(minutes=4), tick=False):
        services.deliver_inject(contingency, user=org.user("office"))
    contingency.refresh_from_db()
    assert contingency.state == InjectState.DELIVERED
    with pytest.raises(ValidationError):
        services.skip_inject(contingency, user=org.user("office"))


def test_no_contingency_when_the_action_is_logged_in_time(org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    action = Inject.objects.get(drill=drill, offset_minutes=0, contingency_for__isnull=True).actions.get()
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        services.log_action(action, user=org.user("grid1"))
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert services.sweep_drills()["offered"] == 0


def test_a_player_logs_his_action_once_and_others_may_not(org, drill, people):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    action = Inject.objects.get(drill=drill, offset_minutes=0, contingency_for__isnull=True).actions.get()
    key = uuid.uuid4()
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        with pytest.raises(PermissionDenied):
            services.log_action(action, user=org.user("grid2"))
        services.log_action(action, user=org.user("grid1"), client_uuid=key, note="已电话报告")
    with time_machine.travel(T0 + timedelta(minutes=8), tick=False):
        again = services.log_action(action, user=org.user("grid1"), client_uuid=key)
        later = services.log_action(action, user=org.user("grid1"))
    assert again.done_at == later.done_at == T0 + timedelta(minutes=2)  # the first logging stands
    incident = Incident.objects.get(drill=drill)
    assert LogEntry.objects.filter(incident=incident, text__contains="电话报告城运中心").count() == 1
    row = queries.timeline(drill)[0]
    assert row.actions[0].scored.earned == 20 and row.actions[0].scored.in_window
    # a later inject's action cannot be logged before it is delivered
    pending = Inject.objects.get(drill=drill, offset_minutes=12).actions.get()
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False), pytest.raises(ValidationError):
        services.log_action(pending, user=org.user("patrol1"))


def test_scores_follow_time_and_rating(org, drill, people):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        services.sweep_drills()
    report = Inject.objects.get(drill=drill, offset_minutes=0, contingency_for__isnull=True).actions.get()
    seal = Inject.objects.get(drill=drill, offset_minutes=5).actions.get()
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        services.log_action(report, user=org.user("grid1"))  # 6 minutes: its window was 3
        services.log_action(seal, user=org.user("patrol1"))  # in time
        services.evaluate(seal, user=org.user("inspector1"), rating="S", observation="南门封控慢")
        with pytest.raises(PermissionDenied):
            services.evaluate(seal, user=org.user("grid1"), rating="P")
    rows = {row.inject.title: row for row in queries.timeline(drill)}
    assert rows["接警：市场有人持刀伤人"].actions[0].scored.earned == 10.0  # late: half of 20
    assert rows["嫌疑人逃入市场内部"].actions[0].scored.earned == 15.0  # S: three quarters of 20
    totals = queries.scores(list(rows.values()))
    assert totals == {"possible": 50, "earned": 25.0, "percent": 50, "done": 2, "in_window": 1, "count": 3}


def test_the_exercise_incident_goes_through_the_intake_with_its_clocks(org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    incident = Incident.objects.get(drill=drill)
    assert incident.is_drill and incident.title == "【演练】涉恐涉暴事件处置演练"
    assert incident.number == "S-YL-2026-0001"  # a sequence of its own: real numbers have no gaps
    assert incident.policy_version is not None and incident.received_at == T0
    clocks = Obligation.objects.for_subject(incident)
    assert clocks.count() == 2 and set(clocks.values_list("drill", flat=True)) == {True}
    assert all(ob.title.startswith("【演练】") for ob in clocks)
    real, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="真实警情", category="fire",
                               level="IV", address="某路")
    assert real.number == "S-2026-0001" and not real.is_drill


def test_activating_the_exercise_incident_opens_the_plan_checklist_as_tasks(org, drill, plan):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    incident = Incident.objects.get(drill=drill)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        incidents.activate(incident, user=org.user("leader"), plan_version=plan.current)
    incident.refresh_from_db()
    assert incident.plan_version == plan.current and incident.plan_name == "涉恐涉暴事件应急预案"
    assert incident.lead_group.name == "重大治安刑事案件工作组"
    tasks = {t.title: t for t in incident.tasks.all()}
    assert set(tasks) == {"派出所先期处置，封控现场", "设立现场指挥部", "疏散周边群众"}
    assert tasks["设立现场指挥部"].due_at == T0 + timedelta(minutes=25)
    assert tasks["设立现场指挥部"].person.name == "office本人"  # the deputy of the lead group
    assert tasks["疏散周边群众"].person.name == "patrol1本人"
    task_obligations = Obligation.objects.for_subject(incident).of_kind("incidents.task")
    assert task_obligations.count() == 3 and not task_obligations.real().exists()


def test_the_evacuation_is_timed_against_the_policy_target(org, presets, schools):
    office = org.user("office")
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        drill = services.create_drill(
            node=org.c1, user=office, title="一社区小学疏散演练", kind="evacuation", unit=schools["primary"],
            scheduled_at=T0, category="fire", level="IV", address="一社区小学", storeys=4,
            injects=[{"title": "火警", "message": "二楼起火", "offset_minutes": 0,
                      "recipient_person": _person(org, "grid1")}])
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=office)
        with pytest.raises(ValidationError):
            services.time_evacuation(drill, user=office, what="all_clear")
        services.time_evacuation(drill, user=office, what="signal")
    with time_machine.travel(T0 + timedelta(seconds=131), tick=False):
        services.time_evacuation(drill, user=office, what="all_clear")
    drill.refresh_from_db()
    assert drill.target_seconds == 120 and "教基一厅〔2014〕2号" in drill.target_basis
    assert drill.evacuation_seconds == 131 and drill.evacuation_met is False


def _person(org, username):
    from shouwang.core.models import Person

    return Person.objects.get_or_create(user=org.user(username), defaults={
        "jurisdiction": org.c1, "name": f"{username}本人"})[0]


def test_ending_measures_the_clocks_and_closes_the_exercise_incident(org, drill):
    office = org.user("office")
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=office)
    incident = Incident.objects.get(drill=drill)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        incidents.submit_report(incident, user=office, kind="first", means="phone", reported_by="城运中心",
                                reported_to="区综治指挥平台", addressee="command_platform")
    with time_machine.travel(T0 + timedelta(minutes=150), tick=False):
        services.end_drill(drill, user=office)
        with pytest.raises(ValidationError):
            services.end_drill(drill, user=office)
    drill.refresh_from_db()
    assert drill.state == DrillState.ENDED
    states = {c["label"]: c["state"] for c in drill.clocks}
    assert states == {"1小时内口头报告综治（城运）指挥平台": "met", "2小时内书面报告": "missed"}
    incident.refresh_from_db()
    assert incident.status == Status.CLOSED and incident.closed_at == T0 + timedelta(minutes=150)
    # nothing of the drill stays pending to escalate
    assert not Obligation.objects.for_subject(incident).pending().exists()
    assert LogEntry.objects.filter(incident=incident, kind=LogKind.CLOSURE).count() == 1
    with pytest.raises(ValidationError):
        services.log_action(Inject.objects.filter(drill=drill).first().actions.first(), user=office)


def test_a_drills_public_alert_is_an_exercise_in_cap(org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
        message = incidents.issue_alert(Incident.objects.get(drill=drill), user=org.user("office"), headline="演练")
    assert "<status>Exercise</status>" in message.xml and "<status>Actual</status>" not in message.xml


def test_only_a_planned_drill_changes_and_only_its_runner_starts_it(org, drill):
    with pytest.raises(PermissionDenied):
        services.start_drill(drill, user=org.user("viewer"))
    with pytest.raises(PermissionDenied):
        services.start_drill(drill, user=org.user("grid1"))  # a player, not who runs drills
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with pytest.raises(ValidationError):
        services.edit_drill(drill, user=org.user("office"), title="改")
    with pytest.raises(ValidationError):
        services.add_inject(Drill.objects.get(pk=drill.pk), user=org.user("office"), title="x", message="y",
                            recipient_group=None, recipient_person=None)
