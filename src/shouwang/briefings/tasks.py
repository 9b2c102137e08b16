"""Periodic jobs of the briefings app (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.briefings.tasks.open_daily_reports", ignore_result=True)
def open_daily_reports():
    """Open today's and tomorrow's report obligations (idempotent; every five minutes)."""
    return services.open_upcoming_daily_obligations()
