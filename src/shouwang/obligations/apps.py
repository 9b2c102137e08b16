from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "shouwang.obligations"
    label = "obligations"
    verbose_name = _("Obligations")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.navigation import BADGES

        from .escalation import sweep
        from .notify import unread_count

        BADGES["inbox"] = unread_count
        scheduler.register("sweep", 30, sweep, "shouwang.obligations.tasks.sweep")
