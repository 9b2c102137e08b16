from django.apps import AppConfig
from django.apps import apps as django_apps
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    name = "shouwang.briefings"
    label = "briefings"
    verbose_name = _("Briefings")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import (
            BRIEFING_SECTIONS,
            POLICY_TERMS,
            RULE_LABELS,
            TILES,
            BriefingSection,
        )
        from shouwang.obligations import kinds

        from . import tiles
        from .choices import KIND_LABELS, Slot
        from .sections import consultations, daily_reports
        from .tasks import open_daily_reports, open_scheduled_briefings, refresh_rollups

        for kind, label in KIND_LABELS.items():
            kinds.register(kind, label)
        RULE_LABELS.register("daily_reports.morning", _("morning report due time"))
        RULE_LABELS.register("daily_reports.evening", _("evening report due time"))
        RULE_LABELS.register("consultation.decision", _("time limit set by the daily consultation"))
        scheduler.register("open_daily_reports", open_daily_reports, 300)
        scheduler.register("open_scheduled_briefings", open_scheduled_briefings, 900)
        scheduler.register("refresh_rollups", refresh_rollups, 300)
        TILES.register("briefings.today", tiles.reports_today)
        POLICY_TERMS.register("slot", {slot.value: slot.label for slot in Slot})
        TILES.register("briefings.mine", tiles.my_report)
        TILES.register("briefings.briefing", tiles.briefings_today)

        # The briefing sections of the apps that exist now, each when its app is installed; duty,
        # plans and resources register theirs from their own apps.py (core.registry.BriefingSection).
        sections = [("daily_reports", _("Daily reports"), 20, daily_reports.build),
                    ("consultations", _("Consultations and decisions"), 70, consultations.build)]
        if django_apps.is_installed("shouwang.incidents"):
            from .sections import incidents

            sections.append(("incidents", _("Incidents"), 10, incidents.build))
        if django_apps.is_installed("shouwang.patrols"):
            from .sections import patrols

            sections.append(("patrols", _("Patrols and prevention"), 30, patrols.build))
        if django_apps.is_installed("shouwang.inspections"):
            from .sections import inspections

            sections.append(("inspections", _("Hazards and rectification"), 40, inspections.build))
        if django_apps.is_installed("shouwang.registers"):
            from .sections import risk

            sections.append(("risk", _("Risk colours"), 50, risk.build))
        for key, title, order, build in sections:
            BRIEFING_SECTIONS.register(key, BriefingSection(title, order, build))
