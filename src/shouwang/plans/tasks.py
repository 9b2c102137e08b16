"""Periodic jobs of plans (see shouwang.core.scheduler)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.plans.tasks.sweep_drills", ignore_result=True)
def sweep_drills():
    """Deliver the injects running drills have reached and offer the contingencies of late actions (idempotent)."""
    return services.sweep_drills()


@app.task(name="shouwang.plans.tasks.open_planned_drills", ignore_result=True)
def open_planned_drills():
    """Open the drills the policy asks for in the current period as obligations (idempotent)."""
    return services.open_planned_drills()


@app.task(name="shouwang.plans.tasks.remind_certificates", ignore_result=True)
def remind_certificates():
    """Remind holders 60, 30 and 7 days before their certificates expire (each reminder once)."""
    return services.remind_certificates()
