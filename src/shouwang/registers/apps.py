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
        from shouwang.obligations import kinds

        from .choices import KIND_DEFENCE_CHECK, KIND_REVIEW, KIND_STOCK_CHECK

        kinds.register(KIND_REVIEW, _("register review"))
        kinds.register(KIND_DEFENCE_CHECK, _("defence check"))
        kinds.register(KIND_STOCK_CHECK, _("hazardous stock check"))
        scheduler.register("registers.rate_today", rate_today, 3600)
