"""A reserve member's phone page: the call-outs he is called by, acknowledged with one tap, also
without a network.

The shell (`/resources/m/`) holds who is logged in (the queue is his) and the page's words; the
service worker (the one template `phone_sw.js`) caches it. His call-outs come from
`/resources/m/data.json` (network first, the cached copy offline). A tap queues the
acknowledgement in his outbox (`shouwang/outbox.js`, a client UUID each, the phone's time of the
tap) and it goes to `POST /api/resources/acknowledgements/` when the server is reachable: 201
acknowledged, 200 the same again, 403/400 refused with the reason.
"""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import generic
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from .models import CallOutAnswer

SW_VERSION = "resources-v1"
SHELL_STATIC = ("shouwang/outbox.js", "shouwang/tokens.css", "resources/phone.js", "resources/phone.css",
                "resources/icon.svg")
RECENT_DAYS = 7


def _strings():
    return {
        "waiting": pgettext("call-out phone", "waiting for the network"),
        "synced": pgettext("call-out phone", "acknowledged"),
        "refused": pgettext("call-out phone", "not accepted"),
        "offline": _("Server not reachable"), "online": _("Online"),
        "ack": _("Acknowledge: I am coming"), "acked": _("Acknowledged at %(time)s"),
        "queued": _("Saved on this phone; it is sent when the network is back."),
        "sentNow": _("The office knows you are coming."),
        "arrived": _("Checked in at the assembly point at %(time)s"),
        "assemble": _("Assemble at"), "sent": _("Called out at %(time)s"), "closed": _("closed"),
        "nothing": _("No call-out for you now."), "dataOffline": _("Shown from this phone's copy (no network)."),
        "logoutWaiting": _("%(n)s items have not been sent yet. They stay on this phone and are sent when you "
                           "log in again here. Log out anyway?"),
    }


@method_decorator([never_cache, ensure_csrf_cookie], name="dispatch")
class PhoneView(LoginRequiredMixin, generic.View):
    def get(self, request):
        config = {"submit": reverse("resources-acknowledgement-list"), "data": reverse("resources:phone_data"),
                  "sw": reverse("resources:phone_sw"), "scope": reverse("resources:phone"), "user": request.user.pk}
        return render(request, "resources/phone.html", {"strings": _strings(), "config": config,
                                                        "manifest_url": reverse("resources:phone_manifest")})


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def phone_data(user):
    """The call-outs `user` is called by: the open ones and those of the last week."""
    since = timezone.now() - timezone.timedelta(days=RECENT_DAYS)
    answers = (CallOutAnswer.objects.filter(person__user=user, callout__sent_at__gte=since)
               .select_related("callout__team", "person").order_by("-callout__sent_at")[:20])
    return {
        "generated_at": _iso(timezone.now()),
        "callouts": [{
            "id": a.callout_id, "team": a.callout.team.name, "kind": a.callout.get_kind_display(),
            "message": a.callout.message, "assembly": a.callout.assembly, "sent_at": _iso(a.callout.sent_at),
            "open": a.callout.closed_at is None, "acknowledged_at": _iso(a.acknowledged_at),
            "arrived_at": _iso(a.arrived_at)} for a in answers],
    }


@method_decorator(never_cache, name="dispatch")
class PhoneDataView(LoginRequiredMixin, generic.View):
    def get(self, request):
        return JsonResponse(phone_data(request.user), json_dumps_params={"ensure_ascii": False})


class PhoneManifestView(generic.View):
    def get(self, request):
        data = {
            "name": _("Shouwang call-out"), "short_name": _("Call-out"), "start_url": reverse("resources:phone"),
            "scope": reverse("resources:phone"), "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#12355b", "lang": request.LANGUAGE_CODE,
            "icons": [{"src": static("resources/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        }
        return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


class PhoneServiceWorkerView(generic.View):
    def get(self, request):
        shell = [reverse("resources:phone"), *(static(p) for p in SHELL_STATIC), reverse("resources:phone_manifest")]
        body = render(request, "phone_sw.js", {
            "version": SW_VERSION, "shell": json.dumps(shell), "data_url": reverse("resources:phone_data"),
        }).content
        response = HttpResponse(body, content_type="application/javascript")
        response["Service-Worker-Allowed"] = reverse("resources:phone")
        response["Cache-Control"] = "no-cache"
        return response


urlpatterns = [
    path("m/", PhoneView.as_view(), name="phone"),
    path("m/data.json", PhoneDataView.as_view(), name="phone_data"),
    path("m/manifest.webmanifest", PhoneManifestView.as_view(), name="phone_manifest"),
    path("m/sw.js", PhoneServiceWorkerView.as_view(), name="phone_sw"),
]
