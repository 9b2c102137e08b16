"""Jobs of duty (see shouwang.core.scheduler): the periodic sweep of slots, and the optimiser's run
in the background (a Celery worker when REDIS_URL is set, a thread of the server otherwise)."""

from shouwang.celery import app

from . import services


@app.task(name="shouwang.duty.tasks.sweep", ignore_result=True)
def sweep():
    """Unstaffed slots 24 h ahead and on-duty confirmations at shift start become obligations (idempotent)."""
    return services.sweep()


@app.task(name="shouwang.duty.tasks.solve_roster", ignore_result=True)
def solve_roster(run_id):
    """One run of the roster optimiser, its progress stored as it goes."""
    services.run_solve(run_id)
