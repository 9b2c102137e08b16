from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "shouwang.briefings"
    label = "briefings"
    verbose_name = _("Briefings")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.obligations import kinds

        from .choices import KIND_LABELS
        from .tasks import open_daily_reports

        for kind, label in KIND_LABELS.items():
            kinds.register(kind, label)
        scheduler.register("open_daily_reports", open_daily_reports, 300)
