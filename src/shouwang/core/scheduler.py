"""Periodic jobs. Deployed: Celery beat sends them to the workers. Embedded: one worker
process of `shouwang serve`, elected by a lock file, runs them in a thread.

A job is a Celery task (`@app.task(name="shouwang.<app>.tasks.<job>")`, body = one service
call); apps register the task object in AppConfig.ready(). Both runners call the task the
same way, so each run has the same change-log context and leaves the same heartbeat, which
/healthz reads.
"""

import contextlib
import fcntl
import logging
import os
import threading
import time
from datetime import timedelta
from typing import NamedTuple

from django.db import close_old_connections, connections
from django.db.models import F
from django.utils import timezone

from shouwang.celery import app

from . import registry
from .changelog import change_context
from .choices import ChangeSource
from .models import JobHeartbeat

log = logging.getLogger(__name__)


class Job(NamedTuple):
    interval: float
    task_name: str
    task: object


# short name -> Job (core.registry.JOBS); the beat schedule and the embedded thread read it.
JOBS = registry.JOBS


def register(name, task, interval):
    job = JOBS.register(name, Job(float(interval), task.name, task))
    app.conf.beat_schedule = {**app.conf.beat_schedule, name: {"task": job.task_name, "schedule": job.interval}}


def run_job(name):
    """Run one job here and now, as the embedded scheduler does."""
    return JOBS[name].task()


@contextlib.contextmanager
def job_run(task_name):
    """The context of every job run: the change log says "task"; the heartbeat says when."""
    _beat(task_name, started_at=timezone.now())
    ok = False
    try:
        with change_context(source=ChangeSource.TASK):
            yield
        ok = True
    finally:
        try:
            _beat(task_name, finished_at=timezone.now(), ok=ok)
        except Exception:  # the job's own error matters more than its heartbeat's
            log.exception("could not record the heartbeat of %s", task_name)


def _beat(task_name, started_at=None, finished_at=None, ok=True):
    if started_at is not None:
        fields = {"started_at": started_at}
    else:
        fields = {"finished_at": finished_at, "runs": F("runs") + 1, "failures": 0 if ok else F("failures") + 1}
    if not JobHeartbeat.objects.filter(name=task_name).update(**fields):
        JobHeartbeat.objects.get_or_create(name=task_name)
        JobHeartbeat.objects.filter(name=task_name).update(**fields)


def health(now=None, started_at=None):
    """The scheduler's state for /healthz: (report, healthy).

    A job is late when it has not started within twice its interval plus a minute, stuck
    when a run has lasted ten minutes, failing after three failures in a row. A job that
    never ran counts from `started_at` (when this server started), so a fresh start is not
    late. No mode (tests, management commands): nothing is expected to run.
    """
    mode = os.environ.get("SHOUWANG_SCHEDULER", "")
    if not mode:
        return {"mode": "off", "status": "ok"}, True
    now = now or timezone.now()
    beats = {b.name: b for b in JobHeartbeat.objects.filter(name__in=[j.task_name for j in JOBS.values()])}
    jobs, problems = {}, []
    for name, job in sorted(JOBS.items()):
        beat = beats.get(job.task_name)
        late_after = timedelta(seconds=2 * job.interval + 60)
        state = "ok"
        if beat is None or beat.started_at is None:
            if started_at is None or now - started_at > late_after:
                state = "late"
        elif beat.finished_at is None or beat.finished_at < beat.started_at:
            if now - beat.started_at > max(late_after, timedelta(minutes=10)):
                state = "stuck"
        elif beat.failures >= 3:
            state = "failing"
        elif now - beat.started_at > late_after:
            state = "late"
        jobs[name] = {
            "status": state,
            "last_run": timezone.localtime(beat.started_at).isoformat() if beat and beat.started_at else None,
        }
        if state != "ok":
            problems.append(name)
    runs = [b.started_at for b in beats.values() if b.started_at]
    report = {
        "mode": mode,
        "status": "ok" if not problems else "error",
        "last_run": timezone.localtime(max(runs)).isoformat() if runs else None,
        "jobs": jobs,
    }
    return report, not problems


class SchedulerThread(threading.Thread):
    """Runs every registered job at its interval, in the one process holding `lock_path`.

    Started in each web worker after the fork (never in gunicorn's master, so no worker
    inherits a database connection or lock from it). The workers that do not hold the lock
    try again every few seconds, so another takes over when the leader dies.
    """

    def __init__(self, lock_path=None, tick=1.0, retry=5.0):
        super().__init__(name="shouwang-scheduler", daemon=True)
        self.stop_event = threading.Event()
        self.lock_path = lock_path
        self.tick = tick
        self.retry = retry
        self.next_run = {}
        self._lock_file = None

    @property
    def leader(self):
        return self.lock_path is None or self._lock_file is not None

    def _try_lead(self):
        f = open(self.lock_path, "a+")  # noqa: SIM115 - held for the life of the thread
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            return False
        self._lock_file = f
        log.info("process %s runs the periodic jobs", os.getpid())
        return True

    def run(self):
        try:
            while not self.stop_event.is_set():
                if self.leader or self._try_lead():
                    self._run_due()
                    self.stop_event.wait(self.tick)
                else:
                    self.stop_event.wait(self.retry)
        finally:
            connections.close_all()
            if self._lock_file is not None:
                self._lock_file.close()

    def _run_due(self):
        now = time.monotonic()
        for name, job in list(JOBS.items()):
            if self.stop_event.is_set():
                return
            if self.next_run.get(name, 0) <= now:
                self.next_run[name] = now + job.interval
                try:
                    run_job(name)
                except Exception:  # keep the scheduler alive; the next tick tries again
                    log.exception("scheduled job %s failed", name)
                finally:
                    close_old_connections()

    def stop(self):
        self.stop_event.set()
