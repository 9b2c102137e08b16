"""Background tasks of the obligation engine (Celery when deployed, the serve thread otherwise)."""

from celery import shared_task

from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource


@shared_task(name="shouwang.obligations.tasks.sweep", ignore_result=True)
def sweep():
    """Escalate what the clock has reached; safe when two workers run it at once."""
    from .escalation import sweep as run_sweep

    with change_context(source=ChangeSource.TASK):
        return run_sweep()
