"""Periodic jobs of schools (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.schools.tasks.open_school_days", ignore_result=True)
def open_school_days():
    """Open today's and tomorrow's gate windows and camera checks as obligations (idempotent)."""
    return services.open_school_days()


@app.task(name="shouwang.schools.tasks.flag_visitors_inside", ignore_result=True)
def flag_visitors_inside():
    """Flag the visitors still inside at closing time and tell the school's staff (once)."""
    return services.flag_visitors_inside()


@app.task(name="shouwang.schools.tasks.purge_visitor_logs", ignore_result=True)
def purge_visitor_logs():
    """Delete visitor and vehicle records past the policy's retention, each deletion logged."""
    return services.purge_visitor_logs()
