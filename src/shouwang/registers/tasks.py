"""Periodic jobs of the registers (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.registers.tasks.rate_today", ignore_result=True)
def rate_today():
    """Every place gets its rule colour for a day nobody rated."""
    return services.rate_unrated()
