"""Home-page tiles of duty: who is on duty now in the user's scope (with the posture in force and
the way to required against rostered), and a person's own duties of the coming week with the
one-tap confirmation. Each reads in a few queries (the home page's query guard)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, scope_paths

from . import queries, services
from .choices import CONFIRMED_POSTS
from .models import Assignment


def _top_node(user):
    paths = scope_paths(user, "duty", "view")
    if user.is_superuser or not paths:
        return Jurisdiction.objects.filter(depth=1).order_by("path").first() if user.is_superuser else None
    return Jurisdiction.objects.filter(path__in=paths).order_by("depth", "path").first()


def on_duty_now(home):
    if not home.oversees or not can(home.user, "duty", "view"):
        return None
    rows = queries.on_duty(Assignment.objects.restrict(home.user, "view"), home.now)
    node = _top_node(home.user)
    level, posture = queries.posture_at(node, home.now) if node else ("normal", None)
    if not rows and posture is None:
        return None
    return Tile(_("On duty now"), "duty/tiles/now.html", order=12, url=reverse("duty:now"), css=("duty/duty.css",),
                context={"rows": rows[:8], "more": max(len(rows) - 8, 0), "posture": posture})


def my_duties(home):
    person = getattr(home.user, "person", None)
    if person is None:
        return None
    rows = [a for a in queries.my_duties(person, home.today, days=7) if a.ends_at > home.now]
    if not rows:
        return None
    for a in rows:
        a.can_confirm = (a.confirmed_at is None and a.starts_at - services.CONFIRM_OPENS_BEFORE <= home.now < a.ends_at)
        a.needs_confirmation = a.post in CONFIRMED_POSTS
    return Tile(_("My duties this week"), "duty/tiles/mine.html", order=6, url=reverse("duty:mine"), css=("duty/duty.css",),
                context={"rows": rows, "today": home.today})
