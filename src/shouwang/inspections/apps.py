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
        # The policy page reads these codes by their labels.
        POLICY_TERMS.register("finding_threshold", {s.value: s.label for s in Severity})
        POLICY_TERMS.register("routine_days", {**{c.value: c.label for c in Category}, "default": _("other places")})
