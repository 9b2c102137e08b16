import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "shouwang.obligations"
    label = "obligations"
    verbose_name = _("Obligations")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import BADGES, TILES

        from . import tiles
        from .notify import unread_count
        from .tasks import sweep

        BADGES.register("inbox", unread_count)
        TILES.register("obligations.mine", tiles.my_duties)
        TILES.register("obligations.unit", tiles.unit_duties)
        TILES.register("obligations.alerts", tiles.alerts)
        TILES.register("obligations.due", tiles.due_summary)
        # Every 30 s; SHOUWANG_SWEEP_SECONDS shortens it (the Celery beat test uses 1 s).
        interval = float(os.environ.get("SHOUWANG_SWEEP_SECONDS") or 30)
        scheduler.register("sweep", sweep, interval)
