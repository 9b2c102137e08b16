"""Periodic jobs of resources (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.resources.tasks.sync_obligations", ignore_result=True)
def sync_obligations():
    """Hourly: bring the stock-take, point-check and expiry obligations in line with the policy in force
    (a period the office changed moves the pending ones; idempotent)."""
    return services.sync_all()
