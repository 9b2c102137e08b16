"""Home-page tiles of daily reports: today's received / missing and seven days' punctuality
for the desk; for a community's reporter, today's reports and a direct way to file one; for the
desk, the day's briefing (scheduled, made, issued) and the ways to the dashboard and the wall."""

from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile, chart
from shouwang.core.scope import can_at
from shouwang.obligations.models import Obligation

from .choices import KIND_BRIEFING, KIND_OF_SLOT, SLOT_OF_KIND, Cell, Slot
from .models import Briefing, DailyReport
from .queries import CELL_OF_STATE

DAYS = 7
SHOWN = (Cell.ON_TIME, Cell.LATE, Cell.MISSING)


def _reports(qs, start, end, now):
    return qs.of_kind(*KIND_OF_SLOT.values()).due_between(start, end).with_state(now).order_by()


def reports_today(home):
    if not home.oversees:
        return None
    first = home.day_start - timedelta(days=DAYS - 1)
    rows = list(_reports(Obligation.objects.restrict(home.user, "view"), first, home.day_end, home.now)
                .values_list("kind", "due_at", "state_db"))
    today, by_day = Counter(), {first.date() + timedelta(days=i): Counter() for i in range(DAYS)}
    for kind, due_at, state in rows:
        cell = CELL_OF_STATE[state]
        day = timezone.localdate(due_at)
        if day in by_day:
            by_day[day][cell] += 1
        if day == home.today:
            today[(SLOT_OF_KIND[kind], cell)] += 1
    slots = [{"slot": slot, "label": slot.label,
              "received": today[(slot, Cell.ON_TIME)] + today[(slot, Cell.LATE)],
              "missing": today[(slot, Cell.MISSING)],
              "waiting": today[(slot, Cell.OPEN)] + today[(slot, Cell.DUE_SOON)] + today[(slot, Cell.NOT_YET_DUE)]}
             for slot in Slot if any(k[0] == slot for k in today)]
    days = sorted(by_day)
    graph = chart("bar", [d.strftime("%m-%d") for d in days],
                  [{"name": cell.label, "data": [by_day[d][cell] for d in days],
                    "state": {"on_time": "met", "late": "late", "missing": "missed"}[cell.value]} for cell in SHOWN],
                  stacked=True, summary=_("Daily reports of the last 7 days: on time, late, missing"))
    return Tile(_("Daily reports today"), "briefings/tiles/today.html", order=25,
                url=reverse("briefings:dailyreport_table"),
                context={"slots": slots, "chart": graph if rows else None})


def my_report(home):
    """Today's reports of the communities this person files for: in already, or a button to file."""
    if home.at_desk:
        return None
    obligations = [ob for ob in _reports(Obligation.objects.restrict(home.user, "view"), home.day_start,
                                         home.day_end, home.now).select_related("jurisdiction").order_by("due_at")
                   if can_at(home.user, "briefings", "add", ob.jurisdiction.path)]
    if not obligations:
        return None
    filed = {(r.jurisdiction_id, r.slot): r for r in DailyReport.objects.filter(
        date=home.today, jurisdiction__in=[ob.jurisdiction_id for ob in obligations], withdrawn_at__isnull=True)
        .order_by("pk")}
    items = []
    for ob in obligations:
        slot = SLOT_OF_KIND[ob.kind]
        items.append({"obligation": ob, "slot": Slot(slot), "node": ob.jurisdiction,
                      "report": filed.get((ob.jurisdiction_id, slot)), "cell": Cell(CELL_OF_STATE[ob.state_db]),
                      "file_url": reverse("briefings:dailyreport_create") + "?" + urlencode(
                          {"jurisdiction": ob.jurisdiction_id, "date": home.today.isoformat(), "slot": slot})})
    return Tile(_("My daily reports today"), "briefings/tiles/mine.html", order=7,
                url=reverse("briefings:dailyreport_list"), context={"items": items})


def briefings_today(home):
    """The desk's briefing of the day: the scheduled ones due today and their state, the latest
    made, and the ways to the dashboard and the wall."""
    if not home.at_desk:
        return None
    scheduled = list(Obligation.objects.restrict(home.user, "view").of_kind(KIND_BRIEFING)
                     .due_between(home.day_start, home.day_end).with_state(home.now).select_related("jurisdiction")
                     .order_by("due_at")[:4])
    latest = (Briefing.objects.restrict(home.user, "view").select_related("jurisdiction").order_by("-end", "-pk")
              .first())
    make = {}
    for ob in scheduled:
        start = ob.key.rsplit(":", 1)[-1] if ob.key else ""
        days = ob.key.split(":")[2] if ob.key and ob.key.count(":") >= 3 else "1"
        if start:
            end = date.fromisoformat(start) + timedelta(days=int(days) - 1)
            make[ob.pk] = reverse("briefings:briefing_create") + "?" + urlencode(
                {"jurisdiction": ob.jurisdiction_id, "days": days, "end": end.isoformat()})
        ob.make_url = make.get(ob.pk)
    return Tile(_("Briefings"), "briefings/tiles/briefing.html", order=26, url=reverse("briefings:briefing_list"),
                context={"scheduled": scheduled, "latest": latest, "dashboard": reverse("briefings:dashboard"),
                         "wall": reverse("briefings:wall")})
