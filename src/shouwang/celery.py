"""Celery app: workers on Redis when REDIS_URL is set; tasks run in-process otherwise.

The beat schedule is the scheduler registry (`shouwang.core.scheduler.JOBS`) that apps fill
in their AppConfig.ready(), so `shouwang worker` (worker + beat) runs the same periodic jobs
as the thread inside `shouwang serve`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
app = Celery("shouwang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule():
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from shouwang.core.scheduler import JOBS

    return {name: {"task": task_name, "schedule": float(interval)} for name, (interval, task_name, _f) in JOBS.items()}


@app.on_after_configure.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}
