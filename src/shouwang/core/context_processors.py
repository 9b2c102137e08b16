from django.conf import settings

from shouwang import __version__

from .navigation import sections
from .registry import BADGES
from .views.help import area_of


def shell(request):
    user = getattr(request, "user", None)
    data = {"nav_sections": lambda: sections(user), "shouwang_version": __version__, "LANGUAGES": settings.LANGUAGES}
    data["help_area"] = area_of(request.path)
    if user is not None and user.is_authenticated:
        # Higher apps register counters here (e.g. the inbox's unread count) at start-up.
        data["badges"] = {name: count(user) for name, count in BADGES.items()}
    return data
