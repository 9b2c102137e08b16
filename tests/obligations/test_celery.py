"""The sweep as deployed: Celery beat + a worker on a real Redis, against the test database.

On PostgreSQL this starts Redis and `shouwang worker` (a real Celery worker with beat, as a
subprocess) pointed at the test database, with the sweep every second: beat sends the task
again and again and we also send it twice by hand at once — each message still goes out once.
On SQLite the test database lives in this process's memory, which another process cannot
open; there the same task runs the embedded way (eagerly, as `shouwang serve` runs it with
no REDIS_URL) and through the scheduler registry that the serve thread reads.
"""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

import shouwang
from shouwang.core import scheduler
from shouwang.obligations import services
from shouwang.obligations.choices import NotificationKind, Step
from shouwang.obligations.models import Notification, Obligation
from shouwang.obligations.tasks import sweep as sweep_task
from shouwang.testing.servers import redis

pytestmark = pytest.mark.django_db(transaction=True)
SRC = str(Path(shouwang.__file__).resolve().parent.parent)


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)  # polling another process, not waiting on the clock under test
    return False


@pytest.fixture
def due_now(org, people, policy_d):
    """Three obligations that were due five minutes ago (real clock: the worker has its own)."""
    now = timezone.now()
    return [
        services.open_obligation(kind="test.celery", title=f"晨报{i}", jurisdiction=org.c1, opens_at=now - timedelta(hours=1),
                                 due_at=now - timedelta(minutes=5), responsible_person=people["grid1"], key=f"celery{i}")
        for i in range(3)
    ]


def test_the_beat_schedule_is_the_scheduler_registry():
    from shouwang.celery import app, beat_schedule

    assert scheduler.JOBS["sweep"][1] == "shouwang.obligations.tasks.sweep"
    assert beat_schedule()["sweep"]["task"] == "shouwang.obligations.tasks.sweep"
    assert app.conf.beat_schedule["sweep"]["task"] == "shouwang.obligations.tasks.sweep"


def _log(tmp_path):
    return (tmp_path / "worker.log").read_text()


def _missed_per_obligation():
    return sorted(Notification.objects.filter(kind=NotificationKind.MISSED).values_list("obligation_id", "recipient__username"))


def test_sweep_runs_on_a_real_worker_or_embedded_and_sends_once(due_now, tmp_path):
    expected = sorted((ob.pk, name) for ob in due_now for name in ("grid1", "office1"))
    if connection.vendor != "postgresql":
        # Embedded: what the serve thread does, then the Celery task in eager mode; twice each.
        scheduler.run_job("sweep")
        sweep_task.delay()
        scheduler.run_job("sweep")
        assert _missed_per_obligation() == expected
        assert set(Obligation.objects.values_list("escalation_step", flat=True)) == {Step.MISSED}
        return
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with redis() as redis_url:
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONPATH": SRC,
               "SHOUWANG_VAR": str(tmp_path), "SHOUWANG_SWEEP_SECONDS": "1",
               "SHOUWANG_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "DJANGO_SETTINGS_MODULE": "shouwang.settings"}
        log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
        worker = subprocess.Popen([sys.executable, "-m", "shouwang.cli", "worker"], cwd=tmp_path, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            client = Celery(broker=redis_url)
            for _ in range(2):  # two at once by hand, on top of beat's every-second sends
                client.send_task("shouwang.obligations.tasks.sweep")
            ok = _wait_for(lambda: len(_missed_per_obligation()) >= len(expected))
            assert ok, _log(tmp_path)[-3000:]
            # Let beat send a few more sweeps (every second); nothing may be sent again.
            assert _wait_for(lambda: _log(tmp_path).count("Sending due task sweep") >= 2
                             and _log(tmp_path).count("succeeded") >= 4, timeout=30), _log(tmp_path)[-3000:]
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
        # Concurrent sweeps may split the three rows between them (SKIP LOCKED): across every
        # sweep the worker ran, each obligation was escalated exactly once.
        escalated = [int(n) for n in re.findall(r"'escalated': (\d+)", _log(tmp_path))]
        assert sum(escalated) == 3 and len(escalated) >= 4, _log(tmp_path)[-3000:]
    assert _missed_per_obligation() == expected
