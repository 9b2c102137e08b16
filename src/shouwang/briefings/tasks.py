"""Periodic work of the briefings app (Celery tasks when deployed; in-process when embedded)."""

from celery import shared_task

from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource

TASK_OPEN_DAILY_REPORTS = "shouwang.briefings.tasks.open_daily_reports"


def open_daily_reports():
    """Open today's and tomorrow's report obligations (idempotent; runs every five minutes)."""
    from .services import open_upcoming_daily_obligations

    return open_upcoming_daily_obligations()


@shared_task(name=TASK_OPEN_DAILY_REPORTS)
def open_daily_reports_task():
    with change_context(source=ChangeSource.TASK):
        return open_daily_reports()
