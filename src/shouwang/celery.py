"""Celery app: workers on Redis when REDIS_URL is set; tasks run in-process otherwise.

Every task is a `JobTask`: it runs in the change-log context of a task and leaves a
heartbeat, whether a worker runs it or the embedded scheduler calls it. The beat schedule
is the scheduler registry (`shouwang.core.scheduler.JOBS`) that apps fill in their
AppConfig.ready() (each registration adds its job to `app.conf.beat_schedule`), so `shouwang worker` (worker + beat) runs the same periodic jobs as the
elected thread of `shouwang serve`.
"""

import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")


class JobTask(Task):
    def __call__(self, *args, **kwargs):
        from shouwang.core.scheduler import job_run  # needs the app registry, ready by now

        with job_run(self.name):
            return super().__call__(*args, **kwargs)


app = Celery("shouwang", task_cls=JobTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule():
    """The beat schedule: every job of the scheduler registry at its interval."""
    from shouwang.core.scheduler import JOBS

    return {name: {"task": job.task_name, "schedule": job.interval} for name, job in JOBS.items()}
