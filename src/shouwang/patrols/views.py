"""Patrol pages: records, today's windows, histories, QR sheets, coverage, Excel export."""

import uuid
from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.clock import local_datetime
from shouwang.core.documents import xlsx_response
from shouwang.core.geo import node_features
from shouwang.core.models import Jurisdiction, Person, Team
from shouwang.core.scope import can, can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    partial_or_page,
)

from . import exports, forms, queries, services
from . import filtersets as f
from .models import CheckIn, Checkpoint, Route, Schedule, Sighting


class TeamPages:
    model = Team
    url_base = "patrols:team"
    form_class = forms.TeamForm
    select_related = ["jurisdiction", "leader", "unit"]


class TeamListView(TeamPages, ObjectListView):
    filterset_class = f.TeamFilterSet
    columns = ["name", "kind", "leader", "unit", "jurisdiction"]


class TeamDetailView(TeamPages, ObjectDetailView):
    template_name = "patrols/team_detail.html"
    fields = ["name", "kind", "jurisdiction", "unit", "leader", "equipment"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.members.all()
        ctx["schedules"] = self.object.schedules.select_related("route")
        return ctx


class TeamCreateView(TeamPages, ObjectCreateView):
    pass


class TeamUpdateView(TeamPages, ObjectUpdateView):
    pass


class TeamDeleteView(TeamPages, ObjectDeleteView):
    pass


class RoutePages:
    model = Route
    url_base = "patrols:route"
    form_class = forms.RouteForm
    select_related = ["jurisdiction"]


class RouteListView(RoutePages, ObjectListView):
    filterset_class = f.RouteFilterSet
    columns = ["name", "jurisdiction"]


class RouteDetailView(RoutePages, ObjectDetailView):
    """A route: its checkpoints in order and its history of check-ins."""

    template_name = "patrols/route_detail.html"
    fields = ["name", "jurisdiction", "description"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["checkpoints"] = self.object.checkpoints.select_related("key_place")
        ctx["checkins"] = (CheckIn.objects.restrict(self.request.user).filter(checkpoint__route=self.object)
                           .select_related("checkpoint", "member")[:100])
        ctx["schedules"] = self.object.schedules.select_related("team")
        ctx["can_print_qr"] = can_at(self.request.user, "patrols", "print_qr", self.object.scope_path)
        return ctx


class RouteCreateView(RoutePages, ObjectCreateView):
    pass


class RouteUpdateView(RoutePages, ObjectUpdateView):
    pass


class RouteDeleteView(RoutePages, ObjectDeleteView):
    pass


class CheckpointPages:
    model = Checkpoint
    url_base = "patrols:checkpoint"
    form_class = forms.CheckpointForm
    select_related = ["route", "key_place", "jurisdiction"]


class CheckpointListView(CheckpointPages, ObjectListView):
    filterset_class = f.CheckpointFilterSet
    columns = ["route", "order", "name", "key_place", "must_visit", "radius_m"]


class CheckpointDetailView(CheckpointPages, ObjectDetailView):
    fields = ["route", "order", "name", "lat", "lon", "radius_m", "key_place", "must_visit",
              "minutes_from_previous", "token_version"]


class CheckpointCreateView(CheckpointPages, ObjectCreateView):
    def get_initial(self):
        """Opened from a route's page: the route is filled in."""
        initial = super().get_initial()
        if self.request.GET.get("route", "").isdigit():
            initial["route"] = self.request.GET["route"]
        return initial


class CheckpointUpdateView(CheckpointPages, ObjectUpdateView):
    pass


class CheckpointDeleteView(CheckpointPages, ObjectDeleteView):
    pass


class SchedulePages:
    model = Schedule
    url_base = "patrols:schedule"
    form_class = forms.ScheduleForm
    select_related = ["team", "route", "jurisdiction"]


class ScheduleListView(SchedulePages, ObjectListView):
    filterset_class = f.ScheduleFilterSet
    columns = ["name", "team", "route", "days", "active"]


class ScheduleDetailView(SchedulePages, ObjectDetailView):
    fields = ["name", "jurisdiction", "team", "route", "days", "policy_windows", "windows", "active"]


class ScheduleCreateView(SchedulePages, ObjectCreateView):
    pass


class ScheduleUpdateView(SchedulePages, ObjectUpdateView):
    pass


class ScheduleDeleteView(SchedulePages, ObjectDeleteView):
    pass


class EvidenceDetailView(ObjectDetailView):
    """Detail of a record that is never edited nor deleted (check-ins, sightings)."""

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = ctx["can_delete"] = False
        return ctx


class CheckInListView(ObjectListView):
    model = CheckIn
    url_base = "patrols:checkin"
    filterset_class = f.CheckInFilterSet
    columns = ["at", "checkpoint", "member", "method", "status", "distance_m", "received_at"]
    select_related = ["checkpoint", "checkpoint__route", "member", "jurisdiction"]
    template_name = "patrols/checkin_list.html"


class CheckInDetailView(EvidenceDetailView):
    model = CheckIn
    url_base = "patrols:checkin"
    fields = ["checkpoint", "member", "user", "method", "at", "device_time", "received_at", "lat", "lon", "accuracy_m",
              "distance_m", "status", "reason", "client_uuid", "obligation"]
    select_related = ["checkpoint", "member", "user", "jurisdiction"]
    template_name = "patrols/checkin_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_accept"] = can_at(self.request.user, "obligations", "waive", self.object.scope_path)
        return ctx


class SightingListView(ObjectListView):
    model = Sighting
    url_base = "patrols:sighting"
    filterset_class = f.SightingFilterSet
    columns = ["received_at", "kind", "text", "reported_by", "jurisdiction"]
    select_related = ["reported_by", "jurisdiction"]


class SightingDetailView(EvidenceDetailView):
    model = Sighting
    url_base = "patrols:sighting"
    fields = ["kind", "text", "lat", "lon", "checkpoint", "reported_by", "device_time", "received_at", "jurisdiction", "client_uuid"]
    template_name = "patrols/sighting_detail.html"


@login_required
def manual_checkin(request):
    """An operator enters a check-in on a member's behalf; the reason is kept with it."""
    if not can(request.user, "patrols", "add"):
        raise PermissionDenied(_("You may not add records here."))
    form = forms.ManualCheckInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {"client_uuid": str(uuid.uuid4()), "method": "manual", "checkpoint": form.cleaned_data["checkpoint"].pk,
                "member": form.cleaned_data["member"].pk, "reason": form.cleaned_data["reason"],
                "device_time": form.cleaned_data["at"].isoformat()}
        # The operator's entry time is the time given; there is no device clock to compare with.
        data["device_now"] = timezone.now().isoformat()
        try:
            result = services.check_in(request.user, data)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(result.checkin.get_absolute_url())
    return render(request, "core/object_form.html", {"form": form, "form_title": _("Enter a check-in"), "meta": CheckIn._meta})


@login_required
def today(request):
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    ctx = {"day": day, "teams": queries.today_by_team(request.user, day),
           "prev": day - timedelta(days=1), "next": day + timedelta(days=1)}
    return render(request, partial_or_page(request, "patrols/_today.html", "patrols/today.html"), ctx)


@login_required
def member_history(request, pk):
    person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=pk)
    checkins = CheckIn.objects.restrict(request.user).filter(member=person).select_related("checkpoint", "checkpoint__route")[:200]
    return render(request, "patrols/member_history.html", {"person": person, "checkins": checkins})


def qr_svg(text, scale=4):
    return mark_safe(segno.make(text, error="m").svg_inline(scale=scale, border=2))  # noqa: S308 - segno output


@login_required
def qr_sheet(request, pk):
    """A printable page: one QR code per checkpoint of a route."""
    route = get_object_or_404(Route.objects.restrict(request.user, "view"), pk=pk)
    if not can_at(request.user, "patrols", "print_qr", route.scope_path):
        # The codes are the secret of a check-in by QR: only the office prints them.
        raise PermissionDenied(_("Only the office prints the QR codes of a route."))
    base = request.build_absolute_uri(reverse("patrols:phone"))
    cards = []
    for point in route.checkpoints.all():
        token = services.make_token(point)
        cards.append({"point": point, "token": token, "svg": qr_svg(f"{base}#scan={token}")})
    return render(request, "patrols/qr_sheet.html", {"route": route, "cards": cards})


class RotateTokenView(ObjectActionView):
    """A new QR code for a checkpoint: the printed old one stops working."""

    model = Checkpoint
    forbidden_message = gettext_lazy("You may view this record but not change it.")
    success_message = gettext_lazy("New QR code made; print the sheet again. Old codes no longer work.")

    def perform(self, point, form):
        services.rotate_token(point)


class AcceptCheckInView(ObjectActionView):
    """The office accepts a flagged check-in with a reason; the service checks the office's right."""

    model = CheckIn
    right = None
    form_class = forms.AcceptCheckInForm
    success_message = gettext_lazy("Check-in accepted; it now counts for its window.")

    def perform(self, checkin, form):
        services.accept_checkin(checkin, user=self.request.user, reason=form.cleaned_data["reason"])


@login_required
def coverage(request):
    nodes = Jurisdiction.objects.restrict(request.user, "view")
    node = nodes.filter(pk=request.GET.get("node")).first() if request.GET.get("node", "").isdigit() else None
    node = node or nodes.order_by("depth", "path").first()
    if node is None:
        raise Http404
    result = queries.coverage(node)
    few = {p.pk for p, _n in result.few_routes}
    night = {p.pk for p in result.no_night}
    markers = [{"name": p.name, "lat": p.lat, "lon": p.lon, "routes": p.routes,
                "gap": p.pk in few or p.pk in night} for p in result.places if p.lat is not None]
    missed_points = [{"name": str(c), "lat": c.lat, "lon": c.lon, "missed": n} for c, n in result.missed_must_visit]
    return render(request, "patrols/coverage.html", {
        "node": node, "nodes": nodes.filter(depth__lte=node.depth + 1)[:200], "result": result,
        "markers": markers, "missed_points": missed_points,
        "nodes_json": node_features(nodes.filter(path__startswith=node.path)),
    })


def _period(request):
    today_ = timezone.localdate()
    since = parse_date(request.GET.get("since") or "") or today_ - timedelta(days=6)
    until = parse_date(request.GET.get("until") or "") or today_
    return since, until


@login_required
def export(request):
    """The period's check-ins as an Excel workbook with Chinese headers."""
    since, until = _period(request)
    start = local_datetime(since)
    end = local_datetime(until + timedelta(days=1))
    rows = (CheckIn.objects.restrict(request.user).filter(at__gte=start, at__lt=end)
            .select_related("checkpoint", "checkpoint__route", "member", "jurisdiction").order_by("at"))
    return xlsx_response(exports.checkins_workbook(rows), f"checkins-{since:%Y%m%d}-{until:%Y%m%d}")


def state_badge(state, label):
    return format_html('<span class="state state-{}">{}</span>', state, label)


@login_required
def sighting_photo(request, pk):
    """A sighting's photo, served only to those who may see the sighting."""
    sighting = get_object_or_404(Sighting.objects.restrict(request.user, "view"), pk=pk)
    if not sighting.photo:
        raise Http404
    return FileResponse(sighting.photo.open("rb"), filename=sighting.photo.name.rsplit("/", 1)[-1])
