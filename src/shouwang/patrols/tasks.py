"""Periodic jobs of the patrols app (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.patrols.tasks.open_patrol_windows", ignore_result=True)
def open_patrol_windows():
    """Open the check-in obligations of the coming windows (idempotent)."""
    return services.open_patrol_windows()
