"""The home page: "what do I have to do today?", answered from the user's roles and scope.

Each app registers its tiles in `core.registry.TILES` (apps.py ready()); a tile function
gets a `Home` and returns a `Tile`, or None when it has nothing for this user. Core knows no
app: the page is the tiles, ordered. Tile functions run a few grouped queries each, never one
per row, so the page stays fast on a street with many communities (a query-count test guards it).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .clock import local_datetime
from .models import Jurisdiction
from .registry import TILES
from .scope import roles_of, scope_paths

# Who sees the street's summary (counts, charts), and who works it.
DESK = frozenset({Role.LEADER, Role.OFFICE_STAFF})
OVERSIGHT = DESK | {Role.VIEWER, Role.INSPECTOR}


@dataclass
class Tile:
    title: str
    template: str
    order: int = 50
    wide: bool = False  # two columns on a desktop
    url: str | None = None  # "more": the full page behind the tile
    context: dict = field(default_factory=dict)
    key: str = ""
    css: tuple = ()  # an app's stylesheets the tile needs (static paths)


class Home:
    """What a tile needs to know: who asks, with which roles, and when."""

    def __init__(self, request, now=None):
        self.request = request
        self.user = request.user
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)

    @cached_property
    def roles(self) -> set[str]:
        return roles_of(self.user)

    @property
    def at_desk(self) -> bool:
        return bool(self.roles & DESK)

    @property
    def oversees(self) -> bool:
        return bool(self.roles & OVERSIGHT)

    def has(self, *roles) -> bool:
        return bool(self.roles & set(roles))

    @property
    def day_start(self):
        return local_datetime(self.today)

    @property
    def day_end(self):
        return self.day_start + timedelta(days=1)


def tiles_for(request, now=None) -> list[Tile]:
    home = Home(request, now)
    tiles = []
    for key, make in TILES.items():
        tile = make(home)
        if tile is not None:
            tile.key = tile.key or key
            tiles.append(tile)
    return sorted(tiles, key=lambda t: (t.order, t.key))


def stylesheets(tiles) -> list[str]:
    return list(dict.fromkeys(path for tile in tiles for path in tile.css))


def chart(kind: str, labels, series, **options) -> dict:
    """The data of a small chart, drawn in the page by shouwang/charts.js with ECharts.

    `series`: [{"name": ..., "data": [...], "state": "met" | "missed" | ...}] (or "states": one per
    point); a state names a colour token (--chart-<state> in tokens.css), so a chart's colours are
    the badges' colours. `summary` is the sentence read aloud for the chart."""
    return {"kind": kind, "labels": [str(label) for label in labels],
            "series": [{**s, "name": str(s["name"])} for s in series], **options}


def jurisdiction_tile(home):
    """Where the user holds a role, and the way into the organisation's registers."""
    user = home.user
    if user.is_superuser:
        roots = Jurisdiction.objects.filter(depth=1)
    else:
        roots = Jurisdiction.objects.filter(path__in=scope_paths(user, "org", "view"))
    return Tile(_("My jurisdiction"), "core/tiles/jurisdiction.html", order=90,
                context={"roots": list(roots.order_by("path")[:12])})
