"""Periodic jobs of the inspections app (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.inspections.tasks.open_planned_inspections", ignore_result=True)
def open_planned_inspections():
    """Open the planned inspections (routine, pre-holiday, campaigns) now due as obligations (idempotent)."""
    return services.open_planned_inspections()
