from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "shouwang.schools"
    label = "schools"
    verbose_name = _("Schools")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import BRIEFING_SECTIONS, RULE_LABELS, TILES, BriefingSection
        from shouwang.obligations import kinds

        from . import briefing, tasks, tiles
        from .choices import KIND_CCTV, KIND_GATE

        kinds.register(KIND_GATE, _("gate duty at arrival or dismissal"))
        kinds.register(KIND_CCTV, _("daily camera check"))
        RULE_LABELS.register("schools.gate_window", _("the gate held by the leader on duty, a guard and the teacher "
                                                      "of the week"))
        RULE_LABELS.register("schools.cctv_daily", _("every camera checked each day"))
        scheduler.register("schools.open_days", tasks.open_school_days, 900)
        scheduler.register("schools.flag_visitors", tasks.flag_visitors_inside, 600)
        scheduler.register("schools.purge_visitors", tasks.purge_visitor_logs, 3600)
        TILES.register("schools.my_school", tiles.my_school)
        TILES.register("schools.street", tiles.street_schools)
        TILES.register("schools.my_visitors", tiles.my_visitors)
        BRIEFING_SECTIONS.register("schools", BriefingSection(_("School safety"), 65, briefing.section))
