from django.conf import settings

from shouwang import __version__

from .navigation import sections
from .registry import BADGES
from .views.help import area_of


def map_config():
    """What shouwang/map.js needs to draw tiles: nothing unless an office set its tile server."""
    tiles = getattr(settings, "SHOUWANG_MAP_TILES", "")
    if not tiles:
        return {}
    return {"tiles": tiles, "attribution": getattr(settings, "SHOUWANG_MAP_ATTRIBUTION", ""),
            "max_zoom": getattr(settings, "SHOUWANG_MAP_MAX_ZOOM", 19)}


def shell(request):
    user = getattr(request, "user", None)
    data = {"nav_sections": lambda: sections(user), "shouwang_version": __version__, "LANGUAGES": settings.LANGUAGES}
    data["help_area"] = area_of(request.path)
    data["map_config"] = map_config()
    if user is not None and user.is_authenticated:
        # Higher apps register counters here (e.g. the inbox's unread count) at start-up.
        data["badges"] = {name: count(user) for name, count in BADGES.items()}
    return data
