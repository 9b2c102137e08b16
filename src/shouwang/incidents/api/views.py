"""Incident API: intake and reports with client UUIDs (a retry returns the first result), and every action."""

import uuid as uuid_module

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.idempotency import replay

from .. import exports, services
from ..filtersets import (
    CapMessageFilterSet,
    IncidentFilterSet,
    LogEntryFilterSet,
    ReportFilterSet,
    ResponderFilterSet,
    ReviewFilterSet,
    TaskFilterSet,
)
from ..models import CapMessage, Incident, LogEntry, Report, Responder, Review, Task
from . import serializers as s


def _uuid_or_400(value):
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        raise ValidationError({"client_uuid": [_("Not a valid client id (UUID).")]}) from None

class IncidentViewSet(ScopedViewSet):
    # The verb each action needs at the incident's node, checked before its payload is read
    # (core.api.permissions); the services check it again.
    action_rights = {"level": "change", "activate": "view", "handover": "change", "log": "add",
                     "tasks": "change", "close": "change", "confirm": "change", "review": "change", "cap": "change"}
    queryset = Incident.objects.all()
    serializer_class = s.IncidentSerializer
    filterset_class = IncidentFilterSet
    select_related = ("jurisdiction",)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        uuid = request.data.get("client_uuid") if hasattr(request.data, "get") else None
        if uuid:
            existing = replay(Incident, request.user, client_uuid=_uuid_or_400(uuid))
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident, created = services.intake(
            user=request.user, client_uuid=data.pop("client_uuid", None),
            **{k: data.pop(k, None) for k in ("jurisdiction", "title", "category", "level", "address", "received_at")},
            **data)
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED if created else 200)

    def perform_update(self, serializer):
        level = serializer.validated_data.pop("level", None)
        major_kind = serializer.validated_data.pop("major_kind", None)
        serializer.validated_data.pop("client_uuid", None)
        incident = self._checked_save(serializer, "change")
        if level and level != incident.level:
            incident = serializer.instance = services.change_level(incident, level, user=self.request.user)
        if major_kind is not None and major_kind != incident.major_kind:
            serializer.instance = services.choose_major_kind(incident, major_kind, user=self.request.user)

    def _payload(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _fresh(self, incident):
        return Response(self.get_serializer(Incident.objects.get(pk=incident.pk)).data)

    @extend_schema(request=s.LevelSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def level(self, request, pk=None):
        incident, data = self.get_object(), self._payload(s.LevelSerializer)
        return self._fresh(services.change_level(incident, data["level"], user=request.user,
                                                 reason=data["reason"], at=data.get("at")))

    @extend_schema(request=s.ActivationSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        incident = self.get_object()
        allowed, reason = services.can_activate(request.user, incident)
        if not allowed:
            return Response({"detail": reason}, status=status.HTTP_403_FORBIDDEN)
        return self._fresh(services.activate(incident, user=request.user, **self._payload(s.ActivationSerializer)))

    @extend_schema(request=s.HandoverSerializer, responses=s.HandoverSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        incident, data = self.get_object(), self._payload(s.HandoverSerializer)
        handover = services.hand_over(incident, user=request.user, **data)
        return Response(s.HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.LogEntrySerializer, responses=s.LogEntrySerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def log(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            return Response(s.LogEntrySerializer(incident.log.all(), many=True).data)
        entry = services.add_log(incident, user=request.user, **self._payload(s.LogEntrySerializer))
        return Response(s.LogEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TaskSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        incident = self.get_object()
        task = services.add_task(incident, user=request.user, **self._payload(s.TaskSerializer))
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._fresh(services.close(self.get_object(), user=request.user))

    @extend_schema(request=None, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a draft (e.g. raised by a loss of hazardous stock): its clocks start now."""
        return self._fresh(services.confirm_draft(self.get_object(), user=request.user))

    @extend_schema(request=s.ReviewSerializer, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        incident, data = self.get_object(), self._payload(s.ReviewSerializer)
        services.review(incident, user=request.user, **data)
        return self._fresh(incident)

    @extend_schema(request=s.CapIssueSerializer, responses=s.CapMessageSerializer)
    @action(detail=True, methods=["post"])
    def cap(self, request, pk=None):
        message = services.issue_alert(self.get_object(), user=request.user, **self._payload(s.CapIssueSerializer))
        return Response(s.CapMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.SummarySerializer)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        data = exports.summary(self.get_object())
        data["events"] = [{"at": e.at, "kind": e.kind, "text": e.text} for e in data["events"]]
        return Response(s.SummarySerializer(data).data)

    @extend_schema(request=None, responses=s.ClockSerializer(many=True))
    @action(detail=True, methods=["get"])
    def clocks(self, request, pk=None):
        """The incident's reporting and response clocks (times in the site's zone)."""
        return Response(s.ClockSerializer(services.clock_rows(self.get_object()), many=True).data)


class ReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports are never edited: create, list, read; the office corrects one with a new report."""

    action_rights = {"correct": "correct"}  # the office's right; the sender's "add" is not enough

    @extend_schema(request=s.CorrectionSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        report = self.get_object()
        data = s.CorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        correction = services.correct_report(report, user=request.user,
                                             reason=fields.pop("correction_reason"), **fields)
        return Response(self.get_serializer(correction).data, status=status.HTTP_201_CREATED)

    queryset = Report.objects.all()
    serializer_class = s.ReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self):
        return Report.objects.restrict(self.request.user, "view").select_related("incident")

    def create(self, request, *args, **kwargs):
        uuid = request.data.get("client_uuid") if hasattr(request.data, "get") else None
        if uuid:
            existing = replay(Report, request.user, client_uuid=_uuid_or_400(uuid))
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report, created = services.submit_report(data.pop("incident"), user=request.user, **data)
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED if created else 200)


class ResponderViewSet(viewsets.ReadOnlyModelViewSet):
    action_rights = {"arrive": "change"}
    duty_actions = ("arrive",)  # the responder himself, or the command
    queryset = Responder.objects.all()
    serializer_class = s.ResponderSerializer
    filterset_class = ResponderFilterSet

    def get_queryset(self):
        return Responder.objects.restrict(self.request.user, "view").select_related("person")

    @extend_schema(request=s.ArrivalSerializer, responses=s.ResponderSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        responder = self.get_object()
        data = s.ArrivalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        responder = services.mark_arrival(responder, user=request.user, at=data.validated_data.get("arrived_at"))
        return Response(s.ResponderSerializer(responder).data)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    action_rights = {"done": "add"}
    duty_actions = ("done",)  # the person it was given to, or the command
    queryset = Task.objects.all()
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return Task.objects.restrict(self.request.user, "view")

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return Response(s.TaskSerializer(services.complete_task(self.get_object(), user=request.user)).data)


class LogEntryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LogEntry.objects.all()
    serializer_class = s.LogEntrySerializer
    filterset_class = LogEntryFilterSet

    def get_queryset(self):
        return LogEntry.objects.restrict(self.request.user, "view")


class CapMessageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CapMessage.objects.all()
    serializer_class = s.CapMessageSerializer
    filterset_class = CapMessageFilterSet

    def get_queryset(self):
        return CapMessage.objects.restrict(self.request.user, "view")


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """After-action reviews with their follow-up actions (written through `incidents/{id}/review/`)."""

    queryset = Review.objects.all()
    serializer_class = s.ReviewRecordSerializer
    filterset_class = ReviewFilterSet

    def get_queryset(self):
        return Review.objects.restrict(self.request.user, "view").prefetch_related("actions").order_by("-reviewed_at", "-pk")
