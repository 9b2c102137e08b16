from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "shouwang.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from shouwang.obligations import kinds

        from .choices import KIND_PLANNED, KIND_RECTIFY, KIND_VERIFY

        kinds.register(KIND_PLANNED, _("planned inspection"))
        kinds.register(KIND_RECTIFY, _("hazard rectification"))
        kinds.register(KIND_VERIFY, _("rectification verification"))
