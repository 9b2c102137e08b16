"""Home-page tiles of duty: who is on duty now in the user's scope (with the posture in force and
the way to required against rostered), and a person's own duties of the coming week with the
one-tap confirmation. Both read in one query, and one more when a posture is in force (the home
page's query guard)."""

from datetime import timedelta

from django.db.models import Case, IntegerField, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, scope_paths

from . import queries, services
from .choices import CONFIRMED_POSTS, LEVEL_RANK
from .models import Assignment, Posture


def _top_path(user):
    """The path of the highest node of the user's duty scope (no query: the roles are cached)."""
    paths = scope_paths(user, "duty", "view")
    return min(paths, key=lambda p: (len(p), p)) if paths else None


def _posture_in_force(path, now):
    """A subquery: the posture in force over the node with `path` (its own or above), highest first."""
    rank = Case(*[When(level=level, then=Value(n)) for level, n in LEVEL_RANK.items()], output_field=IntegerField())
    return (Posture.objects.filter(jurisdiction__path__in=queries._chain_paths(path), starts_at__lte=now,
                                   ends_at__gt=now)
            .annotate(rank=rank).order_by("-rank", "-starts_at").values("pk")[:1])


def _read(home):
    """Both tiles' rows in one query, kept on the page's Home: the published duties of yesterday and
    today in the user's scope (who is on duty now, if he oversees) and his own for the coming week,
    each carrying the posture in force over his scope's top node; the posture itself is read only
    when one is in force."""
    if "duty_rows" in home.__dict__:
        return home.__dict__["duty_rows"]
    user, today = home.user, home.today
    sees_now = home.oversees and can(user, "duty", "view")
    wanted = Assignment.objects.filter(person__user=user, day__gte=today - timedelta(days=1),
                                       day__lt=today + timedelta(days=7))
    if sees_now:
        wanted = wanted | Assignment.objects.restrict(user, "view").filter(day__in=[today - timedelta(days=1), today])
    path = None if user.is_superuser else _top_path(user)
    rows = wanted.published().select_related("roster", "person", "jurisdiction")
    if path:
        rows = rows.annotate(posture_pk=Subquery(_posture_in_force(path, home.now)))
    rows = list(rows.order_by("day", "pk"))
    posture = None
    if sees_now:
        if path is None and user.is_superuser:
            node = Jurisdiction.objects.filter(depth=1).order_by("path").first()
            posture = queries.posture_at(node, home.now)[1] if node else None
        elif path and (not rows or rows[0].posture_pk):
            pk = rows[0].posture_pk if rows else Subquery(_posture_in_force(path, home.now))
            posture = Posture.objects.select_related("jurisdiction").filter(pk=pk).first()
    now = [a for a in rows if a.day in (today - timedelta(days=1), today) and a.starts_at <= home.now < a.ends_at]
    mine = [a for a in rows if a.person.user_id == user.pk and a.ends_at > home.now]
    home.__dict__["duty_rows"] = found = {"now": queries.in_call_order(now) if sees_now else [], "mine": mine,
                                          "posture": posture, "sees_now": sees_now}
    return found


def on_duty_now(home):
    found = _read(home)
    if not found["sees_now"]:
        return None
    rows, posture = found["now"], found["posture"]
    if not rows and posture is None:
        return None
    return Tile(_("On duty now"), "duty/tiles/now.html", order=12, url=reverse("duty:now"), css=("duty/duty.css",),
                context={"rows": rows[:8], "more": max(len(rows) - 8, 0), "posture": posture})


def my_duties(home):
    rows = _read(home)["mine"]
    if not rows:
        return None
    for a in rows:
        a.can_confirm = (a.confirmed_at is None and a.starts_at - services.CONFIRM_OPENS_BEFORE <= home.now < a.ends_at)
        a.needs_confirmation = a.post in CONFIRMED_POSTS
    return Tile(_("My duties this week"), "duty/tiles/mine.html", order=6, url=reverse("duty:mine"), css=("duty/duty.css",),
                context={"rows": rows, "today": home.today})
