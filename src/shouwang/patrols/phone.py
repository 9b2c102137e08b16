"""The phone page: an installable web app that keeps working without a network.

The shell (`/patrols/m/`) holds only who is logged in (so the queue is theirs), and the
service worker caches it; today's routes and windows come from `/patrols/m/data.json`
(network first, cached copy offline). Actions queue on the device in the user's own outbox
(`shouwang/outbox.js`) and go to `POST /api/patrols/sync/` with that user's id: a phone
logged in as someone else is refused (409) and the items wait for their owner.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from shouwang.core.models import Person

from . import queries
from .models import Checkpoint, Route, Schedule

SW_VERSION = "patrols-v4"


@never_cache
@ensure_csrf_cookie
@login_required
def phone(request):
    strings = {
        "waiting": _("waiting to sync"), "synced": _("synced"), "refused": _("refused"),
        "retry": _("not sent, will retry"),
        "queued": _("Saved on this phone; it will be sent when the network is back."),
        "sentNow": _("Sent to the office."),
        "offline": _("Server not reachable"), "online": _("Online"),
        "nothing": _("Nothing waiting to sync."), "remove": _("Remove"),
        "noCamera": _("This phone's browser cannot read QR codes; type the code printed under it."),
        "pickPoint": _("Choose a checkpoint or scan its code."), "checkin": _("Check-in"),
        "sighting": _("Sighting"), "needText": _("Say in a few words what you saw."),
        "photoTooLarge": _("The photo is larger than 5 MB. Take it again at a lower size."),
        "windows": _("Windows"), "noRoutes": _("No routes for you today."),
        "syncedNotes": _("synced, with remarks"),
        "logoutWaiting": _("%(n)s items have not been sent yet. They stay on this phone and are sent when you "
                           "log in again here. Log out anyway?"),
        "otherUser": _("Items on this phone were saved by another user; they are sent when that user logs in again."),
    }
    return render(request, "patrols/phone.html", {
        "strings": strings, "manifest_url": reverse("patrols:phone_manifest"),
        "config": {"sync": reverse("patrol-sync-list"), "data": reverse("patrols:phone_data"),
                   "sw": reverse("patrols:phone_sw"), "scope": reverse("patrols:phone"), "user": request.user.pk},
    })


@never_cache
@login_required
def phone_data(request):
    """Today's routes, checkpoints and windows for the phone (cached there for offline use)."""
    user = request.user
    person = Person.objects.filter(user=user).first()
    schedules = Schedule.objects.restrict(user).filter(active=True).select_related("team", "route")
    if person is not None and not user.is_superuser:
        mine = schedules.filter(team__members=person) | schedules.filter(team__leader=person)
        schedules = mine.distinct() if mine.exists() else schedules
    schedules = list(schedules[:50])
    windows = queries.windows_on(schedules, timezone.localdate())
    route_ids = {s.route_id for s in schedules} or set(Route.objects.restrict(user).values_list("pk", flat=True)[:20])
    points = Checkpoint.objects.filter(route_id__in=route_ids).select_related("route").order_by("route__name", "order")
    routes = {}
    for p in points:
        routes.setdefault(p.route_id, {"id": p.route_id, "name": p.route.name, "checkpoints": [], "windows": []})
        routes[p.route_id]["checkpoints"].append({"id": p.pk, "name": p.name, "lat": p.lat, "lon": p.lon,
                                                  "radius": p.radius_m, "must": p.must_visit})
    for s in schedules:
        for row in windows.get(s.pk, []):
            if s.route_id in routes:
                routes[s.route_id]["windows"].append({
                    "team": s.team.name, "start": timezone.localtime(row.start).strftime("%H:%M"),
                    "end": timezone.localtime(row.end).strftime("%H:%M"), "state": row.state, "label": row.state_label,
                })
    return JsonResponse({"date": timezone.localdate().isoformat(), "member": person.name if person else user.get_username(),
                         "routes": list(routes.values())})


def manifest(request):
    data = {
        "name": _("Shouwang patrol"), "short_name": _("Patrol"), "start_url": reverse("patrols:phone"),
        "scope": reverse("patrols:phone"), "display": "standalone", "background_color": "#ffffff",
        "theme_color": "#12355b", "lang": request.LANGUAGE_CODE,
        "icons": [{"src": static("patrols/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


def service_worker(request):
    shell = [reverse("patrols:phone"), static("shouwang/outbox.js"), static("shouwang/tokens.css"), static("patrols/phone.js"), static("patrols/phone.css"), static("patrols/icon.svg"),
             reverse("patrols:phone_manifest")]
    body = render(request, "phone_sw.js", {"version": SW_VERSION, "shell": json.dumps(shell),
                                             "data_url": reverse("patrols:phone_data"),
                                             "scope": reverse("patrols:phone")}).content
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("patrols:phone")
    response["Cache-Control"] = "no-cache"
    return response
