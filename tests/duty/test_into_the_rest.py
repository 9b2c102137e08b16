"""Duty in the rest of the product: an incident's activation tells the leader on duty first; the
duty jobs are Celery tasks registered with the scheduler; the optimiser's run starts in a thread
when embedded and on a worker when REDIS_URL is set."""

from datetime import date, datetime

import time_machine

from shouwang.briefings.period import Period
from shouwang.core.registry import BRIEFING_SECTIONS, JOBS
from shouwang.core.scheduler import JOBS as SCHEDULED
from shouwang.duty import services, tasks
from shouwang.duty.choices import Post
from shouwang.duty.models import Assignment
from shouwang.incidents import services as incidents
from shouwang.incidents.models import LogEntry
from shouwang.obligations.models import Notification
from tests.incidents.conftest import lead_group, load_policy, make_incident  # noqa: F401 - fixtures

from .conftest import CN


def test_an_activation_tells_the_leader_on_duty_first(org, duty24, lead_group):  # noqa: F811
    load_policy(org, "street-emergency-plan-a")
    leader = Assignment.objects.get(roster=duty24, day=duty24.starts_on, post=Post.LEADER).person
    leader.user = org.user("office")
    leader.save()
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=CN), tick=False):
        incident = make_incident(org)
        incidents.activate(incident, user=org.user("leader"), plan_name="涉暴预案", lead_group=lead_group)
    told = list(LogEntry.objects.filter(incident=incident, kind="notification").order_by("pk")
                .values_list("text", flat=True))
    assert told[0] == f"已通知{leader.name}：请响应{incident}"  # before the lead group's members
    assert [t.split("：")[0] for t in told[1:]] == ["已通知队员甲", "已通知队员乙", "已通知队员丙"]
    first_message = Notification.objects.filter(recipient=org.user("office")).order_by("pk").first()
    assert first_message is not None and incident.number in first_message.title


def test_the_duty_jobs_are_celery_tasks_on_the_scheduler():
    assert SCHEDULED["duty.sweep"].task is tasks.sweep and tasks.sweep.name == "shouwang.duty.tasks.sweep"
    assert JOBS["duty.sweep"].interval == 300
    assert tasks.solve_roster.name == "shouwang.duty.tasks.solve_roster"


def test_the_optimiser_runs_in_a_thread_when_embedded_and_on_a_worker_with_redis(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.solve_roster, "delay", lambda run_id: calls.append(("celery", run_id)))
    monkeypatch.setattr(services, "_in_thread", lambda task, run_id: calls.append(("thread", run_id)))
    settings.REDIS_URL = ""
    thread = services.dispatch(7)
    thread.join(timeout=5)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert services.dispatch(8) is None
    assert calls == [("thread", 7), ("celery", 8)]


def test_dutys_part_of_the_briefings_says_the_posture_and_the_missed_duties(org, posture_c, published, crew,
                                                                           clock):
    period = Period(org.street, date(2026, 12, 1), date(2026, 12, 7), as_of=datetime(2026, 12, 8, 9, 0, tzinfo=CN))
    entry = BRIEFING_SECTIONS["duty"]
    assert entry.build(period) is None  # nothing to say yet
    services.set_posture(node=org.street, level="enhanced", starts_at=datetime(2026, 12, 2, tzinfo=CN),
                         ends_at=datetime(2026, 12, 5, tzinfo=CN), reason="展会", user=org.user("leader"))
    services.stand_down(Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 2)),
                        reason="病假", user=org.user("office1"))
    services.sweep()
    clock.move_to(datetime(2026, 12, 8, 9, 0, tzinfo=CN))
    part = entry.build(period)
    assert part["text"][0] == "本期防控等级调整：测试街道12月2日至12月4日加强（展会）。"
    assert part["text"][1] == "值班到岗确认0次，未确认0次；班次开始前24小时仍缺人1次，开班时仍未补齐1次。"
    assert part["tables"][0]["rows"][1][:2] == ["缺岗（开班前24小时）", 1]
    link = part["tables"][0]["rows"][1][2]
    assert link["text"] == 1 and link["url"].startswith("/obligations/") and "kind=duty.unstaffed" in link["url"]
