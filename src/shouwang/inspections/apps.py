from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "shouwang.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import POLICY_TERMS
        from shouwang.obligations import kinds
        from shouwang.registers.choices import Category

        from . import tasks
        from .choices import KIND_PLANNED, KIND_RECTIFY, KIND_VERIFY, Severity

        kinds.register(KIND_PLANNED, _("planned inspection"))
        scheduler.register("inspections.open_planned", tasks.open_planned_inspections, 3600)
        kinds.register(KIND_RECTIFY, _("hazard rectification"))
        kinds.register(KIND_VERIFY, _("rectification verification"))
        # Signals into the rest (receivers.py): the suggested risk colour, the comprehensive
        # ledger's figures, and the office told of a patrol's hazard sighting.
        from shouwang.patrols.signals import sighting_reported
        from shouwang.registers.ledger import register_ledger_figure
        from shouwang.registers.risk_signals import register_risk_signal

        from . import receivers

        register_risk_signal("inspections.open_hazards", receivers.open_hazard_risk)
        register_ledger_figure("inspections.open_hazards", _("open hazards"), receivers.open_hazards)
        register_ledger_figure("inspections.overdue_rectifications", _("overdue rectifications"),
                               receivers.overdue_rectifications)
        sighting_reported.connect(receivers.hazard_sighting, dispatch_uid="inspections_hazard_sighting")
        from shouwang.core.registry import TILES

        from . import tiles

        TILES.register("inspections.open", tiles.open_hazards)
        TILES.register("inspections.to_verify", tiles.to_verify)
        TILES.register("inspections.mine", tiles.my_orders)
        # The policy page reads these codes by their labels.
        POLICY_TERMS.register("finding_threshold", {s.value: s.label for s in Severity})
        POLICY_TERMS.register("routine_days", {**{c.value: c.label for c in Category}, "default": _("other places")})
