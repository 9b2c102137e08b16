"""Periodic jobs. Deployed: Celery beat runs them on workers. Embedded: a thread in `serve`.

Apps register their jobs at start-up (`register(...)` in AppConfig.ready()); both runners
read the same list, so the embedded default and a deployment run the same functions.
"""

import logging
import threading
import time

from django.db import close_old_connections

from .changelog import change_context
from .choices import ChangeSource

log = logging.getLogger(__name__)

# name -> (interval seconds, dotted task name for Celery, callable)
JOBS: dict[str, tuple[float, str, object]] = {}


def register(name, interval, func, task_name):
    JOBS[name] = (interval, task_name, func)


def run_job(name):
    interval, task_name, func = JOBS[name]
    with change_context(source=ChangeSource.TASK):
        return func()


class SchedulerThread(threading.Thread):
    """Runs every registered job at its interval until stopped."""

    def __init__(self, tick=1.0):
        super().__init__(name="shouwang-scheduler", daemon=True)
        self.stop_event = threading.Event()
        self.tick = tick
        self.next_run = {}

    def run(self):
        while not self.stop_event.is_set():
            now = time.monotonic()
            for name, (interval, _task, _func) in list(JOBS.items()):
                if self.next_run.get(name, 0) <= now:
                    self.next_run[name] = now + interval
                    try:
                        run_job(name)
                    except Exception:  # keep the scheduler alive; the next tick tries again
                        log.exception("scheduled job %s failed", name)
                    finally:
                        close_old_connections()
            self.stop_event.wait(self.tick)

    def stop(self):
        self.stop_event.set()
