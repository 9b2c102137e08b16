"""Background tasks of the obligation engine (Celery when deployed, the serve thread otherwise).

Tasks hang on the project's Celery app (not `shared_task`), so `.delay()` uses its broker, or
eager mode without REDIS_URL, even when nothing imported `shouwang.celery` before.
"""

from shouwang.celery import app
from shouwang.core.changelog import change_context
from shouwang.core.choices import ChangeSource


@app.task(name="shouwang.obligations.tasks.sweep", ignore_result=True)
def sweep():
    """Escalate what the clock has reached; safe when two workers run it at once."""
    from .escalation import sweep as run_sweep

    with change_context(source=ChangeSource.TASK):
        return run_sweep()
