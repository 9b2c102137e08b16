"""Home-page tiles of duty: who is on duty now in the user's scope (with the posture in force),
and a person's own duties of the coming week with the one-tap confirmation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, scope_paths

from . import queries
from .models import Assignment


def on_duty_now(home):
    if not home.oversees or not can(home.user, "duty", "view"):
        return None
    rows = queries.on_duty(Assignment.objects.restrict(home.user, "view"), home.now)
    paths = scope_paths(home.user, "duty", "view")
    node = (Jurisdiction.objects.filter(path__in=paths).order_by("depth", "path").first() if paths
            else Jurisdiction.objects.filter(depth=1).first())
    level, posture = queries.posture_at(node, home.now) if node else ("normal", None)
    if not rows and posture is None:
        return None
    return Tile(_("On duty now"), "duty/tiles/now.html", order=12, url=reverse("duty:now"),
                context={"rows": rows[:8], "more": max(len(rows) - 8, 0), "posture": posture})


def my_duties(home):
    person = getattr(home.user, "person", None)
    if person is None:
        return None
    rows = queries.my_duties(person, home.today, days=7)
    if not rows:
        return None
    return Tile(_("My duties this week"), "duty/tiles/mine.html", order=6, url=reverse("duty:mine"),
                context={"rows": rows, "today": home.today})
