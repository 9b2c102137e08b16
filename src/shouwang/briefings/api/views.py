import io
import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from shouwang.core.api.exceptions import as_drf_validation_error
from shouwang.core.idempotency import replay
from shouwang.core.scope import nodes_where

from .. import dashboard, document, queries, services
from ..choices import BriefingState, Trend
from ..filtersets import (
    BriefingFilterSet,
    ConsultationFilterSet,
    DailyReportFilterSet,
    DecisionFilterSet,
    WallScreenFilterSet,
)
from ..models import Briefing, Consultation, DailyReport, Decision, WallScreen
from .serializers import (
    BriefingGenerateSerializer,
    BriefingSerializer,
    ConsultationSerializer,
    DailyReportSerializer,
    DecisionDoneSerializer,
    DecisionSerializer,
    WallScreenSerializer,
)


class DailyReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """Scheduled daily reports. Create with a `client_uuid`: sending it again returns the first (200).

    Reports are not changed after submission, so there is no update or delete.
    """

    queryset = DailyReport.objects.all()
    serializer_class = DailyReportSerializer
    filterset_class = DailyReportFilterSet

    def get_queryset(self):
        return DailyReport.objects.restrict(self.request.user, "view").select_related("jurisdiction")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:  # the page's states in one query
            self._states = queries.states_of(page)
        return page

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        if getattr(self, "_states", None) is not None:
            ctx["states"] = self._states
        return ctx

    @extend_schema(responses={201: DailyReportSerializer, 200: OpenApiResponse(DailyReportSerializer, "Already submitted with this client_uuid")})
    def create(self, request, *args, **kwargs):
        client_uuid = request.data.get("client_uuid") if hasattr(request.data, "get") else None
        if client_uuid:
            existing = replay(DailyReport, request.user, client_uuid=client_uuid) if _is_uuid(client_uuid) else None
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report, created = services.submit_report(
            jurisdiction=data.pop("jurisdiction"), date=data.pop("date"), slot=data.pop("slot"),
            client_uuid=data.pop("client_uuid", None), user=request.user, **data,
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _is_uuid(value):

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class _Read(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    select_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs if qs.ordered else qs.order_by("pk")


def _call(fn, *args, **kwargs):
    """A service call with its refusals as API errors: 400 with field messages, 403 with the reason."""
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise as_drf_validation_error(exc) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class BriefingViewSet(mixins.CreateModelMixin, _Read):
    """Briefings made from the data. POST makes a draft (`jurisdiction`, `days`, `end`); `review` and
    `issue` move it on; `document` is the Word file (the stored one once issued)."""

    queryset = Briefing.objects.all()
    serializer_class = BriefingSerializer
    filterset_class = BriefingFilterSet
    select_related = ("jurisdiction",)

    def get_queryset(self):
        return super().get_queryset().order_by("-end", "-pk")

    @extend_schema(request=BriefingGenerateSerializer, responses={201: BriefingSerializer})
    def create(self, request, *args, **kwargs):
        given = BriefingGenerateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        node = nodes_where(request.user, "briefings", "view").filter(pk=data["jurisdiction"]).first()
        if node is None:
            raise as_drf_validation_error(DjangoValidationError(
                {"jurisdiction": [_not_found(data["jurisdiction"])]}))
        briefing = _call(services.generate_briefing, node=node, days=data["days"], end=data["end"], user=request.user)
        return Response(BriefingSerializer(briefing, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        briefing = _call(services.review_briefing, self.get_object(), user=request.user)
        return Response(BriefingSerializer(briefing, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: BriefingSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        briefing = _call(services.issue_briefing, self.get_object(), user=request.user)
        return Response(BriefingSerializer(briefing, context=self.get_serializer_context()).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The briefing as a Word file: the one stored when it was issued, or a draft made now."""
        briefing = self.get_object()
        if briefing.state == BriefingState.ISSUED and briefing.document:
            return FileResponse(briefing.document.open("rb"), filename=f"{document.filename(briefing)}.docx")
        return FileResponse(io.BytesIO(document.briefing_docx(briefing)), filename=f"{document.filename(briefing)}.docx")


def _not_found(pk):
    return _("Record %(pk)s does not exist or is outside your jurisdiction.") % {"pk": pk}


class ConsultationViewSet(mixins.CreateModelMixin, _Read):
    """Daily consultations (会商) with their decisions; one a day per node."""

    queryset = Consultation.objects.all()
    serializer_class = ConsultationSerializer
    filterset_class = ConsultationFilterSet
    select_related = ("jurisdiction",)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _call(services.record_consultation, node=data["jurisdiction"], date=data["date"],
                                    attendees=data.get("attendees", ""), items=data.get("items", ""),
                                    analysis=data.get("analysis", ""), chaired_by=data.get("chaired_by", ""),
                                    briefing=data.get("briefing"), user=self.request.user)


class DecisionViewSet(_Read):
    """Decisions of the consultations; `done` marks one carried out (its obligation met)."""

    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet

    @extend_schema(request=DecisionDoneSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        given = DecisionDoneSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision = _call(services.complete_decision, self.get_object(), user=request.user,
                         note=given.validated_data.get("done_note", ""))
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data)


class WallScreenViewSet(_Read):
    queryset = WallScreen.objects.all()
    serializer_class = WallScreenSerializer
    filterset_class = WallScreenFilterSet


class DashboardQuerySerializer(serializers.Serializer):
    node = serializers.IntegerField(required=False, min_value=1, help_text="The node (default: the top of yours).")
    days = serializers.ChoiceField(choices=Trend.values, required=False, default=Trend.WEEK)


class DashboardViewSet(viewsets.ViewSet):
    """A node's dashboard as JSON: today, the trends over `days` (7, 30 or 90) and its children."""

    permission_area = "briefings"

    @extend_schema(parameters=[DashboardQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        nodes = nodes_where(request.user, "briefings", "view").exclude(level__in=["area", "grid"])
        node = nodes.filter(pk=data["node"]).first() if data.get("node") else nodes.order_by("depth", "path").first()
        if node is None:
            raise NotFound(_not_found(data.get("node", "")))
        board = dashboard.build(node, data["days"])
        return Response({
            "node": node.pk, "name": node.name, "days": data["days"], "as_of": board.now,
            "today": {k: v for k, v in board.today.items() if k != "colours"} | {"colours": dict(board.today["colours"])},
            "trend": board.trend,
            "children": [{"node": row.node.pk, "name": row.node.name, "colour": row.colour or None,
                          "reports": row.reports, "patrols": row.patrols, "punctuality": row.punctuality,
                          "patrol_rate": row.patrol_rate, "incidents": row.incidents, "hazards_found": row.found,
                          "hazards_open": row.open_orders, "hazards_overdue": row.overdue_orders}
                         for row in board.children],
        })
