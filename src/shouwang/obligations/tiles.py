"""Home-page tiles of obligations: my duties, what is overdue or due today across the scope,
a unit's duties for its liaison, and unread alerts."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import Role
from shouwang.core.home import Tile, chart
from shouwang.core.models import Person

from . import kinds, queries
from .choices import State
from .models import Obligation


def board_url(**params):
    return reverse("obligations:board") + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def my_duties(home):
    if home.roles == {Role.VIEWER} or not home.roles:
        return None
    lists = queries.my_obligations(home.user, home.now)
    overdue = list(lists["overdue"][:5])
    due_today = list(lists["due_today"][:5])
    for ob in overdue + due_today:
        ob.current_state = ob.state_at(home.now)
    return Tile(_("My duties today"), "obligations/tiles/mine.html", order=10, url=reverse("obligations:mine"),
                context={"overdue": overdue, "due_today": due_today,
                         "overdue_count": lists["overdue"].count(), "today_count": lists["due_today"].count()})


def due_summary(home):
    if not home.oversees:
        return None
    summary = queries.due_summary(Obligation.objects.restrict(home.user, "view"), home.now)
    day = home.today.isoformat()
    for row in summary["by_kind"]:
        row["label"] = kinds.label(row["kind"])
        row["overdue_url"] = board_url(state=State.MISSED.value, kind=row["kind"])
        row["today_url"] = board_url(pending="true", kind=row["kind"], period_after=day, period_before=day)
    for row in summary["by_unit"]:
        row["url"] = board_url(state=State.MISSED.value, unit=row["responsible_unit"]) if row["responsible_unit"] else None
    units = summary["by_unit"]
    graph = chart("hbar", [row["responsible_unit__name"] or _("no unit") for row in units],
                  [{"name": _("overdue"), "data": [row["n"] for row in units], "state": "missed"}],
                  summary=_("Overdue by unit"))
    return Tile(_("Due and overdue"), "obligations/tiles/due_summary.html", order=20, wide=True,
                url=reverse("obligations:board"),
                context={**summary, "chart": graph if units else None,
                         "overdue_url": board_url(state=State.MISSED.value),
                         "today_url": board_url(pending="true", period_after=day, period_before=day)})


def unit_duties(home):
    if not home.has(Role.UNIT_LIAISON):
        return None
    person = Person.objects.filter(user=home.user).select_related("unit").first()
    if person is None or person.unit is None:
        return None
    duties = queries.unit_duties(person.unit, home.now)
    for ob in duties["items"]:
        ob.current_state = ob.state_at(home.now)
    return Tile(_("Duties of %(unit)s") % {"unit": person.unit.name}, "obligations/tiles/unit.html", order=12,
                url=board_url(unit=person.unit.pk, pending="true"), context={**duties, "unit": person.unit})


def alerts(home):
    data = queries.unread_alerts(home.user)
    return Tile(_("Unread alerts"), "obligations/tiles/alerts.html", order=15, url=reverse("obligations:inbox"),
                context=data)
