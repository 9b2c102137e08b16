import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "shouwang.obligations"
    label = "obligations"
    verbose_name = _("Obligations")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import BADGES

        from .notify import unread_count
        from .tasks import sweep

        BADGES.register("inbox", unread_count)
        # Every 30 s; SHOUWANG_SWEEP_SECONDS shortens it (the Celery beat test uses 1 s).
        interval = float(os.environ.get("SHOUWANG_SWEEP_SECONDS") or 30)
        scheduler.register("sweep", sweep, interval)
