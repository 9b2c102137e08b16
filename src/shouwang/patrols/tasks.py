"""Periodic patrol jobs: Celery tasks in a deployment, the same functions in the embedded scheduler."""

from celery import shared_task

from . import services


def open_patrol_windows():
    return services.open_patrol_windows()


@shared_task(name="shouwang.patrols.tasks.open_patrol_windows")
def open_patrol_windows_task():
    from shouwang.core.scheduler import run_job

    return run_job("open_patrol_windows")
