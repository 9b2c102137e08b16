from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "shouwang.resources"
    label = "resources"
    verbose_name = _("Resources")

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
        from shouwang.registers.ledger import register_ledger_figure

        from . import briefing, figures, receivers, tasks, tiles
        from .choices import (
            KIND_ASSEMBLE,
            KIND_EXPIRY,
            KIND_POINT_CHECK,
            KIND_RETURN,
            KIND_STOCKTAKE,
        )

        kinds.register(KIND_STOCKTAKE, _("stock-take of emergency supplies"))
        kinds.register(KIND_EXPIRY, _("supplies near expiry"))
        kinds.register(KIND_RETURN, _("equipment return"))
        kinds.register(KIND_POINT_CHECK, _("check of an evacuation point"))
        kinds.register(KIND_ASSEMBLE, _("reserve member at the assembly point"))
        RULE_LABELS.register("resources.stocktake_days", _("stock-take of each store"))
        RULE_LABELS.register("resources.expiry_remind_days", _("reminder before a lot expires"))
        RULE_LABELS.register("resources.point_check_days", _("check of each evacuation point"))
        RULE_LABELS.register("resources.assemble_minutes", _("reserve team at the assembly point within"))
        scheduler.register("resources.sync_obligations", tasks.sync_obligations, 3600)
        receivers.connect()
        TILES.register("resources.desk", tiles.desk)
        TILES.register("resources.callouts", tiles.callouts)
        TILES.register("resources.mine", tiles.my_equipment)
        # The policy page names the reserve standard's items by their catalogue names.
        POLICY_TERMS.register("reserve_standard", figures.CatalogueNames())
        # The resources' part of the office's briefings (简报).
        BRIEFING_SECTIONS.register("resources", BriefingSection(_("Emergency resources"), 60, briefing.section))
        # Figures of the comprehensive ledger.
        for key, label, func in figures.LEDGER:
            register_ledger_figure(key, label, func)
