from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "shouwang.duty"
    label = "duty"
    verbose_name = _("Duty")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import (
            BRIEFING_SECTIONS,
            ON_DUTY,
            RULE_LABELS,
            TILES,
            BriefingSection,
        )
        from shouwang.obligations import kinds

        from . import briefing, receivers, tasks, tiles
        from .choices import KIND_CONFIRM, KIND_HANDOVER, KIND_UNSTAFFED

        kinds.register(KIND_UNSTAFFED, _("unstaffed duty slot"))
        kinds.register(KIND_CONFIRM, _("on-duty confirmation"))
        kinds.register(KIND_HANDOVER, _("handover acknowledgement"))
        RULE_LABELS.register("unstaffed_slot", _("a slot staffed 24 hours before it starts"))
        RULE_LABELS.register("duty_confirmation", _("on duty confirmed at shift start"))
        RULE_LABELS.register("handover_acknowledgement", _("a handover acknowledged within 30 minutes"))
        scheduler.register("duty.sweep", tasks.sweep, 300)
        TILES.register("duty.now", tiles.on_duty_now)
        TILES.register("duty.mine", tiles.my_duties)
        # Who is on duty now, for the contact directory (core cannot import duty).
        ON_DUTY.register("duty.rosters", receivers.on_duty_entries)
        # Its part of the office's briefings (briefings assembles the registered sections).
        BRIEFING_SECTIONS.register("duty", BriefingSection(_("Duty and posture"), 60, briefing.section))
