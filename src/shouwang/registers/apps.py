from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "shouwang.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self):
        from shouwang.core import scheduler

        from . import receivers, risk_signals  # noqa: F401  (registers the built-in risk signals)
        from .tasks import rate_today

        receivers.connect()
        from shouwang.core.registry import RULE_LABELS, TILES
        from shouwang.obligations import kinds

        from . import tiles
        from .choices import KIND_DEFENCE_CHECK, KIND_REVIEW, KIND_STOCK_CHECK

        for rule, label in (("review_period_days", _("the place's own review period")),
                            ("review_periods.keyplace_days", _("review period of key places")),
                            ("check_period_days", _("the defence's own check period")),
                            ("review_periods.defence_check_days", _("check period of defences")),
                            ("review_periods.hazardous_stock_check_days", _("check period of hazardous stock"))):
            RULE_LABELS.register(rule, label)
        kinds.register(KIND_REVIEW, _("register review"))
        kinds.register(KIND_DEFENCE_CHECK, _("defence check"))
        kinds.register(KIND_STOCK_CHECK, _("hazardous stock check"))
        scheduler.register("registers.rate_today", rate_today, 3600)
        TILES.register("registers.risk", tiles.risk_changes)
        from shouwang.core.registry import SEARCH

        from .queries import search_places

        SEARCH.register("places", (_("Key places"), 20, search_places))
