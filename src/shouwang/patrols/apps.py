from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "shouwang.patrols"
    label = "patrols"
    verbose_name = _("Patrols")

    def ready(self):
        from shouwang.core import scheduler
        from shouwang.core.registry import TILES
        from shouwang.obligations import kinds

        from . import tasks, tiles
        from .choices import KIND_CHECKIN

        kinds.register(KIND_CHECKIN, _("patrol check-in"))

        scheduler.register("open_patrol_windows", tasks.open_patrol_windows, 300)
        TILES.register("patrols.today", tiles.windows_today)
        TILES.register("patrols.mine", tiles.my_windows)
