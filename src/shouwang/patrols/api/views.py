from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.ids import as_id
from shouwang.core.models import Jurisdiction, Team

from .. import filtersets, queries, services
from ..models import CheckIn, Checkpoint, Route, Schedule, Sighting
from . import serializers as s


class TeamViewSet(ScopedViewSet):
    queryset = Team.objects.prefetch_related("members")
    serializer_class = s.TeamSerializer
    filterset_class = filtersets.TeamFilterSet


class RouteViewSet(ScopedViewSet):
    queryset = Route.objects.prefetch_related("checkpoints")
    serializer_class = s.RouteSerializer
    filterset_class = filtersets.RouteFilterSet


class CheckpointViewSet(ScopedViewSet):
    action_rights = {"rotate": "change"}
    queryset = Checkpoint.objects.all()
    serializer_class = s.CheckpointSerializer
    filterset_class = filtersets.CheckpointFilterSet
    select_related = ("route",)

    @extend_schema(request=None, responses=s.CheckpointSerializer)
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None):
        """New secret for the checkpoint: printed codes stop working."""
        point = services.rotate_token(self.get_object())
        return Response(s.CheckpointSerializer(point, context={"request": request}).data)


class ScheduleViewSet(ScopedViewSet):
    queryset = Schedule.objects.all()
    serializer_class = s.ScheduleSerializer
    filterset_class = filtersets.ScheduleFilterSet


class _ReadCreateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    select_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        return qs.select_related(*self.select_related)


class CheckInViewSet(_ReadCreateViewSet):
    """Check-ins are evidence: created (by QR, GPS or an operator with a reason), never edited."""

    queryset = CheckIn.objects.all()
    serializer_class = s.CheckInSerializer
    filterset_class = filtersets.CheckInFilterSet

    @extend_schema(request=s.CheckInInputSerializer, responses={201: s.CheckInSerializer, 200: s.CheckInSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        result = services.check_in(request.user, data)
        if result.status == "duplicate":
            row = CheckIn.objects.get(client_uuid=result.client_uuid)
            return Response(s.checkin_data(row), status=status.HTTP_200_OK)
        return Response(s.checkin_data(result.checkin), status=status.HTTP_201_CREATED)


class SightingViewSet(_ReadCreateViewSet):
    """Hazards and incidents seen on patrol (the lead connects them to incidents and inspections)."""

    queryset = Sighting.objects.all()
    serializer_class = s.SightingSerializer
    filterset_class = filtersets.SightingFilterSet

    @extend_schema(request=s.SightingInputSerializer, responses={201: s.SightingSerializer, 200: s.SightingSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else {}
        data = {k: data.get(k) for k in data}
        if "photo" in request.FILES:
            data["photo"] = request.FILES["photo"]
        sighting, created = services.report_sighting(request.user, data)
        return Response(s.SightingSerializer(sighting, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def photo(self, request, pk=None):
        """The sighting's photo, to those who may see the sighting (404 for anyone else)."""
        sighting = self.get_object()
        if not sighting.photo:
            raise NotFound()
        return FileResponse(sighting.photo.open("rb"), filename=sighting.photo.name.rsplit("/", 1)[-1])


def sync_batch(user, payload):
    """Apply an offline queue: per item created / duplicate / refused; sending it twice changes nothing."""
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise ValidationError({"items": ["A list of items is required."]})
    results = [None] * len(items)
    checkins, where = [], []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            results[i] = {"client_uuid": "", "status": "refused", "errors": {"item": ["Not an object."]}}
            continue
        data = dict(item.get("data") or {})
        data.setdefault("client_uuid", item.get("client_uuid"))
        if item.get("type") == "sighting":
            try:
                sighting, created = services.report_sighting(user, data)
                results[i] = {"client_uuid": str(sighting.client_uuid), "status": "created" if created else "duplicate",
                              "id": sighting.pk}
            except ValidationError as exc:
                results[i] = {"client_uuid": str(data.get("client_uuid") or ""), "status": "refused", "errors": exc.message_dict}
        else:
            checkins.append(data)
            where.append(i)
    if checkins:
        for i, result in zip(where, services.record_checkins(user, checkins, device_now=payload.get("device_now")), strict=True):
            results[i] = result.as_dict()
    return results


class SyncViewSet(viewsets.GenericViewSet):
    """`POST /api/patrols/sync/`: the phone's offline queue in one request."""

    permission_area = "patrols"
    serializer_class = s.SyncSerializer
    queryset = CheckIn.objects.none()

    @extend_schema(request=s.SyncSerializer, responses=s.SyncResponseSerializer)
    def create(self, request):
        owner = request.data.get("user") if isinstance(request.data, dict) else None
        if owner not in (None, "") and str(owner) != str(request.user.pk):
            # Queued on this phone by someone else: never stored as the one logged in now.
            return Response({"detail": _("These items were saved on this phone by another user. They are kept on "
                                         "the phone and are sent when that user logs in again."),
                             "code": "other_user"}, status=status.HTTP_409_CONFLICT)
        return Response({"results": sync_batch(request.user, request.data)})


class CoverageViewSet(viewsets.GenericViewSet):
    """Coverage gaps of a node (`?node=`, default your top node): key places on too few routes,
    infrastructure points without a night window, must-visit points missed this week."""

    permission_area = "patrols"
    serializer_class = s.CoverageSerializer
    queryset = Schedule.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("node", int)], responses=s.CoverageSerializer)
    def list(self, request):

        nodes = Jurisdiction.objects.restrict(request.user, "view")
        node_id = request.query_params.get("node")
        if node_id not in (None, "") and as_id(node_id) is None:
            raise ValidationError({"node": [_("Not a record id.")]})
        node = nodes.filter(pk=as_id(node_id)).first() if node_id else nodes.order_by("depth", "path").first()
        if node is None:

            raise NotFound()
        result = queries.coverage(node)
        return Response(s.CoverageSerializer({
            "node": node.pk, "min_routes": result.min_routes,
            "few_routes": [{"key_place": p.pk, "name": p.name, "routes": n} for p, n in result.few_routes],
            "no_night_window": [{"key_place": p.pk, "name": p.name} for p in result.no_night],
            "missed_must_visit": [{"checkpoint": c.pk, "name": str(c), "missed": n} for c, n in result.missed_must_visit],
        }).data)


class WindowViewSet(viewsets.GenericViewSet):
    """Today's (or `?date=`) windows and their state per team: done / late / missed / running / upcoming."""

    permission_area = "patrols"
    serializer_class = s.WindowSerializer
    queryset = Schedule.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD (default today)")],
                   responses=s.WindowSerializer(many=True))
    def list(self, request):
        day = parse_date(request.query_params.get("date") or "") or timezone.localdate()
        out = []
        for team, schedules in queries.today_by_team(request.user, day):
            for schedule, rows in schedules:
                for row in rows:
                    out.append({"team": team.name, "schedule": schedule.pk, "route": schedule.route.name,
                                "start": row.start, "end": row.end, "state": row.state,
                                "points": [{"checkpoint": n, "state": st, "obligation": o.pk} for n, st, o in row.points]})
        return Response(s.WindowSerializer(out, many=True).data)
