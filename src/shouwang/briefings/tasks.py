"""Periodic jobs of the briefings app (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.briefings.tasks.open_daily_reports", ignore_result=True)
def open_daily_reports():
    """Open today's and tomorrow's report obligations (idempotent; every five minutes)."""
    return services.open_upcoming_daily_obligations()


@app.task(name="shouwang.briefings.tasks.open_scheduled_briefings", ignore_result=True)
def open_scheduled_briefings():
    """Open the obligations of the briefings the policy schedules, due today and tomorrow (idempotent)."""
    return services.open_upcoming_briefing_obligations()


@app.task(name="shouwang.briefings.tasks.refresh_rollups", ignore_result=True)
def refresh_rollups():
    """Roll up the days that ended and recompute the days late data touched (idempotent)."""
    result = services.refresh_rollups()
    return {"rows": result.rows, "recomputed": [d.isoformat() for d in result.recomputed]}
