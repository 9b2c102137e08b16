"""Duty in the rest of the product: an incident's activation tells the leader on duty first; the
duty jobs are Celery tasks registered with the scheduler; the optimiser's run starts in a thread
when embedded and on a worker when REDIS_URL is set."""

from datetime import datetime

import time_machine

from shouwang.core.registry import JOBS
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
