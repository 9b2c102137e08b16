from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouwang.core"
    label = "core"
    verbose_name = _("Organisation")

    def ready(self):
        from . import changelog, checks, search  # noqa: F401 - checks register themselves
        from .home import jurisdiction_tile
        from .registry import TILES

        changelog.connect_signals()
        TILES.register("core.jurisdiction", jurisdiction_tile)
        search.register()
