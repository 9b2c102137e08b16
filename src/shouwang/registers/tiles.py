"""Home-page tile of registers: the risk wall today and its colour changes of the last 7 days."""

from collections import Counter
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile

from .choices import COLOUR_ORDER, RiskColour, colour_rank
from .models import RiskRating

DAYS = 7
SHOWN = 6


def risk_changes(home):
    if not home.oversees:
        return None
    since = home.today - timedelta(days=DAYS)
    ratings = (RiskRating.objects.restrict(home.user, "view").filter(date__gte=since, date__lte=home.today)
               .select_related("place").order_by("place_id", "date", "pk"))
    latest, changes = {}, []
    for rating in ratings:
        before = latest.get(rating.place_id)
        if before is not None and before.colour != rating.colour:
            changes.append({"place": rating.place, "date": rating.date, "reason": rating.reason,
                            "before": RiskColour(before.colour), "after": RiskColour(rating.colour),
                            "up": colour_rank(rating.colour) > colour_rank(before.colour)})
        latest[rating.place_id] = rating
    today = Counter(r.colour for r in latest.values() if r.date == home.today)
    changes.sort(key=lambda c: (c["date"], colour_rank(c["after"].value)), reverse=True)
    return Tile(_("Risk wall"), "registers/tiles/risk.html", order=35, url=reverse("registers:wall"),
                css=("registers/registers.css",),
                context={"today": [(RiskColour(c), today[c]) for c in reversed(COLOUR_ORDER)],
                         "changes": changes[:SHOWN], "more": max(0, len(changes) - SHOWN), "count": len(changes)})
