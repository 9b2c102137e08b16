from django.db import transaction
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable, PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.api.schema import ErrorSerializer
from shouwang.core.scope import can_at, refusal

from .. import queries, services
from ..filtersets import (
    AttachmentFilterSet,
    DefenceFilterSet,
    HazardousStockFilterSet,
    KeyPlaceFilterSet,
    RiskRatingFilterSet,
    StockMovementFilterSet,
)
from ..geojson import feature_collection
from ..models import Attachment, Defence, HazardousStock, KeyPlace, RiskRating, StockMovement
from . import serializers as s

GEOJSON = "application/geo+json"


class AnyAcceptNegotiation(DefaultContentNegotiation):
    """A GIS client may ask for application/geo+json (QGIS, ogr2ogr) or send no Accept at all: the
    answer is JSON whatever it asks (a FeatureCollection as application/geo+json, errors as
    application/json), never a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type


# RFC 7946, as far as a GIS client needs to know to read the answer.
FEATURE_COLLECTION = {
    "type": "object",
    "description": "RFC 7946 FeatureCollection (WGS84, [lon, lat], right-hand rule); places without a location "
                   "are left out.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "id", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer"},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"type": "string", "enum": ["Point", "Polygon"]},
                    "coordinates": {"type": "array", "items": {}},
                }},
                "properties": {"type": "object", "properties": {
                    "name": {"type": "string"}, "kind": {"type": "string"}, "kind_label": {"type": "string"},
                    "category": {"type": "string"}, "category_label": {"type": "string"},
                    "node": {"type": "string"}, "node_name": {"type": "string"},
                    "colour": {"type": "string", "nullable": True}, "colour_label": {"type": "string", "nullable": True},
                    "url": {"type": "string"},
                }},
            },
        }},
    },
}


class KeyPlaceViewSet(ScopedViewSet):
    action_rights = {"review": "change", "colour": "change"}
    queryset = KeyPlace.objects.all()
    serializer_class = s.KeyPlaceSerializer
    filterset_class = KeyPlaceFilterSet
    select_related = ("jurisdiction",)

    def get_queryset(self):
        return queries.annotate_review_overdue(queries.annotate_colours(super().get_queryset()))

    @extend_schema(
        filters=True,
        responses={(200, GEOJSON): OpenApiResponse(FEATURE_COLLECTION, description="The key places in your scope."),
                   401: OpenApiResponse(ErrorSerializer, description="No token, or not a valid one.")},
    )
    @action(detail=False, methods=["get"], url_path="geojson", pagination_class=None,
            authentication_classes=[TokenAuthentication, SessionAuthentication],
            renderer_classes=[JSONRenderer], content_negotiation_class=AnyAcceptNegotiation)
    def geojson(self, request):
        """The key places in your scope as one GeoJSON FeatureCollection, with the list's filters: the map's
        download, for GIS clients. Send `Authorization: Token <key>` (a key from `POST /api/token/`)."""
        places = self.filter_queryset(self.get_queryset())
        return Response(feature_collection(places), content_type=f"{GEOJSON}; charset=utf-8")

    @extend_schema(request=s.PlaceReviewSerializer, responses=s.KeyPlaceSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        place = self.get_object()
        payload = s.PlaceReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.review_place(place, by=request.user, note=payload.validated_data.get("note", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=place.pk)).data)

    @extend_schema(request=s.ColourSerializer, responses=s.RiskRatingSerializer)
    @action(detail=True, methods=["post"])
    def colour(self, request, pk=None):
        place = self.get_object()
        payload = s.ColourSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rating = services.set_colour(place, by=request.user, **payload.validated_data)
        return Response(s.RiskRatingSerializer(rating, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class DefenceViewSet(ScopedViewSet):
    action_rights = {"check": "change"}
    queryset = Defence.objects.all()
    serializer_class = s.DefenceSerializer
    filterset_class = DefenceFilterSet
    select_related = ("jurisdiction", "place")

    @extend_schema(request=s.DefenceCheckSerializer, responses=s.DefenceSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        defence = self.get_object()
        payload = s.DefenceCheckSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        defence = services.check_defence(defence, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(defence).data)


class HazardousStockViewSet(ScopedViewSet):
    queryset = HazardousStock.objects.all()
    serializer_class = s.HazardousStockSerializer
    filterset_class = HazardousStockFilterSet
    select_related = ("jurisdiction", "place")


class StockMovementViewSet(ScopedViewSet):
    """Movements are recorded, never edited: the balance follows them. A client_id makes retries safe."""

    queryset = StockMovement.objects.all()
    serializer_class = s.StockMovementSerializer
    filterset_class = StockMovementFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        stock = data["stock"]
        if not can_at(request.user, "registers", "change", stock.scope_path):  # a movement changes the stock
            raise PermissionDenied(refusal(request.user, "registers", stock.scope_path))
        movement = services.record_movement(
            stock, kind=data["kind"], quantity=data["quantity"], at=data.get("at"),
            description=data.get("description", ""), client_id=data.get("client_id"), by=request.user,
        )
        return Response(self.get_serializer(movement).data, status=status.HTTP_201_CREATED)


class RiskRatingViewSet(ScopedViewSet):
    """Colours are set, never edited: each setting is a row of the history."""

    queryset = RiskRating.objects.all()
    serializer_class = s.RiskRatingSerializer
    filterset_class = RiskRatingFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        place = serializer.validated_data["place"]
        rating = services.set_colour(place, colour=serializer.validated_data["colour"],
                                     reason=serializer.validated_data.get("reason", ""), by=request.user)
        return Response(self.get_serializer(rating).data, status=status.HTTP_201_CREATED)


class AttachmentViewSet(ScopedViewSet):
    queryset = Attachment.objects.all()
    serializer_class = s.AttachmentSerializer
    filterset_class = AttachmentFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def save_kwargs(self, action):
        return {}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file, to those who may see the attachment (404 for anyone else)."""
        attachment = self.get_object()
        return FileResponse(attachment.file.open("rb"), as_attachment=attachment.kind != "photo",
                            filename=attachment.file.name.rsplit("/", 1)[-1])

    def perform_create(self, serializer):
        place = serializer.validated_data["place"]
        upload = serializer.validated_data["file"]
        with transaction.atomic():
            obj = serializer.save(jurisdiction=place.jurisdiction, size=upload.size)
            if not can_at(self.request.user, "registers", "add", obj.scope_path):
                raise PermissionDenied()
