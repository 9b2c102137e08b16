"""The inspector's phone page: a key place's checklist filled on site, also without a network.

The shell (`/inspections/m/`) holds only who is logged in (the queue is his) and the page's
words; the service worker caches it. The key places in the user's scope and the checklist each
is inspected with come from `/inspections/m/data.json` (network first, the cached copy offline).
A finished inspection waits in the user's own outbox (`shouwang/outbox.js`, a client UUID per
inspection) and goes to `POST /api/inspections/inspections/` when the server is reachable: 201
stored, 200 the same inspection again, 400 with the reason per item (`answers.<item id>`).

Checklists usually live on the street, above a community user's scope: they are read through
`services.template_for(place)`, never through `restrict`.
"""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
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

from shouwang.core.models import Person
from shouwang.registers.models import KeyPlace

from . import services
from .models import TemplateItem, TemplateVersion

SW_VERSION = "inspections-v1"
SHELL_STATIC = ("shouwang/outbox.js", "shouwang/tokens.css", "inspections/phone.js", "inspections/phone.css",
                "inspections/icon.svg")


def _strings():
    return {
        "waiting": pgettext("inspection phone", "waiting for the network"),
        "synced": pgettext("inspection phone", "sent"),
        "refused": pgettext("inspection phone", "sent back"),
        "retry": _("Not sent yet; it goes when the network is back."),
        "queued": _("Saved on this phone; it will be sent when the network is back."),
        "sentNow": _("Sent to the office."),
        "offline": _("Server not reachable"), "online": _("Online"),
        "nothing": _("Nothing waiting to sync."), "remove": _("Remove"),
        "edit": _("Correct and send again"),
        "confirmRemove": _("Remove this inspection from the phone? The office has not received it."),
        "yes": pgettext("checklist answer", "Yes"), "no": pgettext("checklist answer", "No"),
        "na": pgettext("checklist answer", "N/A"),
        "note": _("Note on this item"), "photo": _("Take a photo"), "photoMust": _("Take a photo (required)"), "photoNeeded": _("A photo is required."),
        "limits": _("Acceptable: %(range)s"), "atLeast": _("at least %(n)s"), "atMost": _("at most %(n)s"),
        "between": _("%(low)s to %(high)s"), "outOfRange": _("outside the acceptable range"),
        "failed": _("does not pass"), "answered": _("%(done)s of %(all)s answered"),
        "score": _("Score %(score)s / %(max)s"), "failedCount": _("%(n)s failed"),
        "noChecklist": _("There is no checklist for this kind of place yet. Ask the office to add one."),
        "noPlaces": _("No key places in your area."), "distance": _("%(km)s km"),
        "unanswered": _("Answer every item first: %(items)s."),
        "needInspector": _("Sign as the inspector first."),
        "needPresent": _("Write the name of the unit's person present and let him sign."),
        "confirmLeave": _("The checklist you started will be lost. Choose another place?"),
        "inspection": _("Inspection"), "removePhoto": _("Remove photo"),
        "photoFailed": _("This photo could not be read. Take it again."),
        "logoutWaiting": _("%(n)s items have not been sent yet. They stay on this phone and are sent when you "
                           "log in again here. Log out anyway?"),
        "otherUser": _("Items on this phone were saved by another user; they are sent when that user logs in again."),
        "itemLabel": _("Item %(n)s"), "orders": _("%(n)s hazards to rectify"),
        "dataOffline": _("Shown from this phone's copy (no network)."),
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@method_decorator([never_cache, ensure_csrf_cookie], name="dispatch")
class PhoneView(LoginRequiredMixin, generic.View):
    """The page shell: the user, the words, where to send; the place and plan asked for."""

    def get(self, request):
        config = {
            "submit": reverse("inspections-inspection-list"), "data": reverse("inspections:phone_data"),
            "sw": reverse("inspections:phone_sw"), "scope": reverse("inspections:phone"), "user": request.user.pk,
            "detail": reverse("inspections:inspection_detail", args=[0]),
            "place": _int(request.GET.get("place")), "plan": _int(request.GET.get("plan")),
        }
        return render(request, "inspections/phone.html", {
            "strings": _strings(), "config": config, "manifest_url": reverse("inspections:phone_manifest"),
        })


def _item(item):
    return {
        "id": item.pk, "section": item.section, "text": item.text, "type": item.answer_type,
        "min": item.min_value, "max": item.max_value, "unit": item.unit_label, "options": item.options or [],
        "failing": item.failing_options or [], "photo": item.photo_required, "severity": item.severity,
        "severity_label": item.get_severity_display(), "weight": item.weight, "guidance": item.guidance,
    }


def phone_data(user):
    """The key places in `user`'s scope with the checklist version each is inspected with."""
    places = list(KeyPlace.objects.restrict(user, "view").select_related("jurisdiction", "unit", "responsible_person")
                  .order_by("name", "pk")[:500])
    versions, chosen, out = {}, {}, []
    for place in places:
        key = (place.jurisdiction_id, place.category)
        if key not in chosen:
            template = services.template_for(place)
            version = template.current if template else None
            chosen[key] = version.pk if version else None
            if version is not None:
                versions[version.pk] = {"template": template.name, "number": version.number}
        out.append({
            "id": place.pk, "name": place.name, "category": place.get_category_display(), "address": place.address,
            "node": place.jurisdiction.name, "lat": place.lat, "lon": place.lon,
            "unit": place.unit.name if place.unit else "",
            "responsible": place.responsible_person.name if place.responsible_person else "",
            "version": chosen[key],
        })
    items = TemplateItem.objects.order_by("order", "pk")
    for version in TemplateVersion.objects.filter(pk__in=versions).prefetch_related(Prefetch("items", queryset=items)):
        versions[version.pk]["items"] = [_item(i) for i in version.items.all()]
    person = Person.objects.filter(user=user).first()
    return {
        "generated_at": timezone.localtime().isoformat(),
        "inspector": person.name if person else (user.get_full_name() or user.get_username()),
        "places": out, "checklists": {str(k): v for k, v in versions.items()},
    }


@method_decorator(never_cache, name="dispatch")
class PhoneDataView(LoginRequiredMixin, generic.View):
    """The key places and their checklists, cached on the phone for offline use."""

    def get(self, request):
        return JsonResponse(phone_data(request.user), json_dumps_params={"ensure_ascii": False})


class PhoneManifestView(generic.View):
    def get(self, request):
        data = {
            "name": _("Shouwang inspection"), "short_name": _("Inspection"), "start_url": reverse("inspections:phone"),
            "scope": reverse("inspections:phone"), "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#12355b", "lang": request.LANGUAGE_CODE,
            "icons": [{"src": static("inspections/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        }
        return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


class PhoneServiceWorkerView(generic.View):
    def get(self, request):
        shell = [reverse("inspections:phone"), *(static(p) for p in SHELL_STATIC), reverse("inspections:phone_manifest")]
        body = render(request, "phone_sw.js", {
            "version": SW_VERSION, "shell": json.dumps(shell), "data_url": reverse("inspections:phone_data"),
        }).content
        response = HttpResponse(body, content_type="application/javascript")
        response["Service-Worker-Allowed"] = reverse("inspections:phone")
        response["Cache-Control"] = "no-cache"
        return response


urlpatterns = [
    path("m/", PhoneView.as_view(), name="phone"),
    path("m/data.json", PhoneDataView.as_view(), name="phone_data"),
    path("m/manifest.webmanifest", PhoneManifestView.as_view(), name="phone_manifest"),
    path("m/sw.js", PhoneServiceWorkerView.as_view(), name="phone_sw"),
]
