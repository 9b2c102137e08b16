from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet

from .. import services
from ..filtersets import NotificationFilterSet, ObligationFilterSet, WebhookFilterSet
from ..models import Delivery, Notification, Obligation, Webhook
from ..notify import mark_read
from . import serializers as s


class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """Obligations in scope; `?mine=1`, `?state=`, `?kind=`, `?unit=`, `?person=`, `?period_after=`/`?period_before=`."""

    queryset = Obligation.objects.all()
    serializer_class = s.ObligationSerializer
    filterset_class = ObligationFilterSet

    def get_queryset(self):
        return Obligation.objects.restrict(self.request.user, "view").select_related("subject_type")

    # Checked at the obligation's node by RolePermission (and again by the service).
    action_rights = {"waive": "waive", "meet": "change", "reopen": "change"}

    def _done(self, ob):
        return Response(s.ObligationSerializer(ob, context=self.get_serializer_context()).data)

    @extend_schema(request=s.WaiveSerializer, responses=s.ObligationSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        ob = self.get_object()
        payload = s.WaiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._done(services.waive(ob, reason=payload.validated_data["reason"], by=request.user))

    @extend_schema(request=s.MeetSerializer, responses=s.ObligationSerializer)
    @action(detail=True, methods=["post"])
    def meet(self, request, pk=None):
        ob = self.get_object()
        payload = s.MeetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return self._done(services.meet(ob, at=data["met_at"], by=request.user, evidence=data["evidence"]))

    @extend_schema(request=None, responses=s.ObligationSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._done(services.reopen(self.get_object(), by=request.user))

    @extend_schema(responses=s.DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        ob = self.get_object()
        rows = Delivery.objects.filter(obligation=ob).order_by("created_at", "pk")
        return Response(s.DeliverySerializer(rows, many=True).data)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's inbox (only theirs)."""

    queryset = Notification.objects.all()
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        mark_read(request.user, [note.pk])
        note.refresh_from_db()
        return Response(s.NotificationSerializer(note).data)

    @extend_schema(request=s.MarkReadSerializer, responses=s.MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        payload = s.MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response({"marked": mark_read(request.user, payload.validated_data["ids"])})


class WebhookViewSet(ScopedViewSet):
    queryset = Webhook.objects.all()
    serializer_class = s.WebhookSerializer
    filterset_class = WebhookFilterSet
    select_related = ("jurisdiction",)
