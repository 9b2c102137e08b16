"""The gate phone page (`/schools/m/`): for the school's guards a visitor in or out in three taps,
vehicles, the camera check; for whoever is on the gate roster the one tap at the gate; for a host
his visitors to confirm; for a class teacher the handover at dismissal. Offline too.

The shell holds only who is logged in (the queue is his) and the page's words; the service worker
(`templates/phone_sw.js`, the one all phone pages use) caches it. What the user works on comes
from `/schools/m/data.json` (network first, the phone's copy offline); reading it reads the visitors
inside, so each read is logged like the list's. Every action waits in the user's own outbox
(`shouwang/outbox.js`, a client id per item) and goes, in order, to `POST /api/schools/phone/`."""

import json
from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
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

from . import gate, services
from .choices import CameraResult, GateRole, IdType, ReadChannel, VehicleKind
from .models import (
    Camera,
    CameraCheck,
    GateWindow,
    Handover,
    PupilClass,
    School,
    VehicleEntry,
    VisitorEntry,
)

SW_VERSION = "schools-v1"
SHELL_STATIC = ("shouwang/outbox.js", "shouwang/tokens.css", "schools/phone.js", "schools/phone.css",
                "schools/icon.svg")


def _strings():
    return {
        "waiting": pgettext("gate phone", "waiting for the network"), "synced": pgettext("gate phone", "sent"),
        "refused": pgettext("gate phone", "sent back"),
        "retry": _("Not sent yet; it goes when the network is back."),
        "queued": _("Saved on this phone; it will be sent when the network is back."),
        "sentNow": _("Sent."), "offline": _("Server not reachable"), "online": _("Online"),
        "remove": _("Remove"), "confirmRemove": _("Remove this from the phone? The school's log has not received it."),
        "visitorIn": _("Visitor in: %(name)s"), "visitorOut": _("Visitor out: %(name)s"),
        "hostConfirm": _("Visit confirmed: %(name)s"), "vehicle": _("Vehicle: %(plate)s"),
        "vehicleOut": _("Vehicle out: %(plate)s"), "gate": _("At the gate: %(window)s"),
        "camera": _("Camera %(camera)s: %(result)s"), "handover": _("Handed over: %(class)s"),
        "out": _("Out"), "confirm": _("Confirm"), "atGate": _("I am at the gate"), "done": _("Done"),
        "confirmedAt": _("confirmed %(time)s"), "notYet": _("not at the gate yet"),
        "opensAt": _("Confirm from %(time)s"), "closed": _("Window over"), "yourPost": _("Your post: %(posts)s"), "youHere": _("you"),
        "noneInside": _("No visitor inside."), "required": _("Fill in: %(fields)s."),
        "last4": _("Only the last four characters of the document number."),
        "dataOffline": _("Shown from this phone's copy (no network)."),
        "logoutWaiting": _("%(n)s items have not been sent yet. They stay on this phone and are sent when you "
                           "log in again here. Log out anyway?"),
        "hereSince": _("in since %(time)s"), "flagged": _("still inside at closing"),
        "refusedVehicle": _("refused at the gate"), "checked": _("checked: %(result)s"),
        "noPosition": _("Position not available; the confirmation is sent without it."),
    }


@method_decorator([never_cache, ensure_csrf_cookie], name="dispatch")
class PhoneView(LoginRequiredMixin, generic.View):
    """The page shell: the user, the words, where to send."""

    def get(self, request):
        config = {"submit": reverse("schools-phone-list"), "data": reverse("schools:phone_data"),
                  "sw": reverse("schools:phone_sw"), "scope": reverse("schools:phone"), "user": request.user.pk}
        return render(request, "schools/phone.html", {
            "strings": _strings(), "config": config, "manifest_url": reverse("schools:phone_manifest"),
            "id_types": IdType.choices, "vehicle_kinds": VehicleKind.choices, "results": CameraResult.choices,
        })


def _time(moment):
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


def phone_data(user, now=None):
    """What the user works on today: the schools he guards or leads (visitors and vehicles inside,
    hosts, cameras), the gate windows he is rostered for, his visitors to confirm, his classes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    person = Person.objects.filter(user=user).first()
    schools = list(School.objects.filter(Q(security_staff__user=user) | Q(leaders__user=user))
                   .select_related("unit").distinct())
    out = {"generated_at": timezone.localtime(now).isoformat(), "person": person.name if person else user.get_username(),
           "schools": [], "windows": [], "visitors_to_confirm": [], "classes": []}
    inside_read = []
    for school in schools:
        visitors = list(VisitorEntry.objects.filter(school=school).inside().select_related("host")
                        .order_by("entered_at"))
        inside_read += visitors
        vehicles = list(VehicleEntry.objects.filter(school=school).inside().order_by("at"))
        checks = {c.camera_id: c for c in CameraCheck.objects.filter(school=school, day=today)}
        hosts = Person.objects.filter(Q(unit=school.unit) | Q(schools_led=school), active=True).distinct()
        out["schools"].append({
            "id": school.pk, "name": school.unit.name,
            "hosts": [{"id": p.pk, "name": p.name, "title": p.title} for p in hosts.order_by("name")],
            "inside": [{"id": v.pk, "client_uuid": str(v.client_uuid), "name": v.name, "organisation": v.organisation,
                        "host": v.host.name if v.host else "", "badge": v.badge, "since": _time(v.entered_at),
                        "flagged": v.flagged_at is not None} for v in visitors],
            "vehicles": [{"id": v.pk, "client_uuid": str(v.client_uuid), "plate": v.plate, "since": _time(v.at)}
                         for v in vehicles],
            "cameras": [{"id": c.pk, "name": c.name, "spot": c.spot.name,
                         "checked": checks[c.pk].get_result_display() if c.pk in checks else ""}
                        for c in Camera.objects.filter(school=school, active=True).select_related("spot")],
        })
    if inside_read:
        services.log_read(user, inside_read, channel=ReadChannel.PHONE, what=_("visitors inside (gate phone)"))
    if person is not None:
        windows = (GateWindow.objects.filter(day=today, ends_at__gte=now - timedelta(hours=1))
                   .filter(school__rosters__assignments__person=person, school__rosters__assignments__day=today)
                   .select_related("school__unit").distinct().order_by("starts_at"))
        for window in windows:
            mine = gate.roles_of(window, person)
            if not mine:
                continue
            done = {c.role: c for c in window.confirmations.select_related("person")}
            out["windows"].append({
                "id": window.pk, "school": window.school.unit.name, "kind": window.get_kind_display(),
                "from": _time(window.starts_at), "until": _time(window.ends_at),
                # the one tap counts from 30 minutes before the window until its end
                "opens": _time(window.starts_at - gate.EARLY),
                "mine": [GateRole(role).label for role, _a in mine],
                "roles": [{"role": GateRole(r).label, "by": done[r].person.name if r in done else "",
                           "at": _time(done[r].at) if r in done else "", "mine": any(r == m for m, _a in mine)}
                          for r in GateRole.values]})
        for v in (VisitorEntry.objects.filter(host=person, host_confirmed_at__isnull=True,
                                              entered_at__gte=now - timedelta(hours=12)).select_related("school__unit")):
            out["visitors_to_confirm"].append({"id": v.pk, "name": v.name, "organisation": v.organisation,
                                               "purpose": v.purpose, "since": _time(v.entered_at),
                                               "school": v.school.unit.name})
        handed = set(Handover.objects.filter(day=today, pupil_class__teacher=person).values_list("pupil_class", flat=True))
        for c in PupilClass.objects.filter(teacher=person, young=True).select_related("school__unit"):
            out["classes"].append({"id": c.pk, "name": c.name, "school": c.school.unit.name, "done": c.pk in handed})
    return out


@method_decorator(never_cache, name="dispatch")
class PhoneDataView(LoginRequiredMixin, generic.View):
    def get(self, request):
        return JsonResponse(phone_data(request.user), json_dumps_params={"ensure_ascii": False})


class PhoneManifestView(generic.View):
    def get(self, request):
        data = {
            "name": _("Shouwang school gate"), "short_name": _("School gate"), "start_url": reverse("schools:phone"),
            "scope": reverse("schools:phone"), "display": "standalone", "background_color": "#ffffff",
            "theme_color": "#12355b", "lang": request.LANGUAGE_CODE,
            "icons": [{"src": static("schools/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        }
        return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


class PhoneServiceWorkerView(generic.View):
    def get(self, request):
        shell = [reverse("schools:phone"), *(static(p) for p in SHELL_STATIC), reverse("schools:phone_manifest")]
        body = render(request, "phone_sw.js", {
            "version": SW_VERSION, "shell": json.dumps(shell), "data_url": reverse("schools:phone_data"),
        }).content
        response = HttpResponse(body, content_type="application/javascript")
        response["Service-Worker-Allowed"] = reverse("schools:phone")
        response["Cache-Control"] = "no-cache"
        return response


urlpatterns = [
    path("m/", PhoneView.as_view(), name="phone"),
    path("m/data.json", PhoneDataView.as_view(), name="phone_data"),
    path("m/manifest.webmanifest", PhoneManifestView.as_view(), name="phone_manifest"),
    path("m/sw.js", PhoneServiceWorkerView.as_view(), name="phone_sw"),
]
