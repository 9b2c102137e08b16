import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "shouwang.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.choices import UnitKind
        from shouwang.core.registry import (
            BRIEFING_SECTIONS,
            POLICY_TERMS,
            RULE_LABELS,
            SEARCH,
            TILES,
            BriefingSection,
        )
        from shouwang.obligations import kinds

        from . import briefing, queries, tasks, tiles
        from . import choices as c

        for kind, label in [
            (c.KIND_PLAN_REVIEW, _("expert review of a plan")), (c.KIND_DRILL, _("drill required by policy")),
            (c.KIND_CORRECTIVE, _("corrective action after a drill")),
            (c.KIND_CORRECTIVE_VERIFY, _("verification of a corrective action")),
            (c.KIND_CERTIFICATE, _("renewal of a training certificate")),
        ]:
            kinds.register(kind, label)
        RULE_LABELS.register("plans.review_months", _("expert review of each plan on the policy's cycle"))
        RULE_LABELS.register("plans.drill_every_months", _("a drill per working category on the policy's cycle"))
        POLICY_TERMS.register("unit_kinds", {kind.value: kind.label for kind in UnitKind})
        # Injects go out within seconds of their time: SHOUWANG_DRILL_SWEEP_SECONDS shortens it in tests.
        interval = float(os.environ.get("SHOUWANG_DRILL_SWEEP_SECONDS") or 15)
        scheduler.register("plans.sweep_drills", tasks.sweep_drills, interval)
        scheduler.register("plans.open_planned_drills", tasks.open_planned_drills, 3600)
        scheduler.register("plans.remind_certificates", tasks.remind_certificates, 3600)
        TILES.register("plans.desk", tiles.desk)
        TILES.register("plans.player", tiles.player)
        SEARCH.register("plans", (_("Plans and drills"), 40, queries.search))
        BRIEFING_SECTIONS.register("plans", BriefingSection(_("Drills, training and awareness"), 70, briefing.section))
