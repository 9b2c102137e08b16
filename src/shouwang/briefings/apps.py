from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "shouwang.briefings"
    label = "briefings"
    verbose_name = _("Briefings")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import RULE_LABELS, TILES
        from shouwang.obligations import kinds

        from . import tiles
        from .choices import KIND_LABELS
        from .tasks import open_daily_reports

        for kind, label in KIND_LABELS.items():
            kinds.register(kind, label)
        RULE_LABELS.register("daily_reports.morning", _("morning report due time"))
        RULE_LABELS.register("daily_reports.evening", _("evening report due time"))
        scheduler.register("open_daily_reports", open_daily_reports, 300)
        TILES.register("briefings.today", tiles.reports_today)
        from shouwang.core.registry import POLICY_TERMS

        from .choices import Slot

        POLICY_TERMS.register("slot", {slot.value: slot.label for slot in Slot})
        TILES.register("briefings.mine", tiles.my_report)
