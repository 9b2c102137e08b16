"""Periodic jobs of the obligation engine: Celery tasks, run by the workers when deployed and
by the embedded scheduler otherwise (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import escalation


@app.task(name="shouwang.obligations.tasks.sweep", ignore_result=True)
def sweep():
    """Escalate what the clock has reached; safe when two workers run it at once."""
    return escalation.sweep()
