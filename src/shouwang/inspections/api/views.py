"""The API of inspections under /api/inspections/: every list restricted to the user's scope
(and his duties), every write through the services, errors as JSON with field messages."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.api.exceptions import as_drf_validation_error
from shouwang.core.idempotency import replay

from .. import filtersets, services
from ..models import (
    Answer,
    Bulletin,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    InspectorAssignment,
    Photo,
    RectificationOrder,
    RectificationPlan,
    SupervisionVisit,
    TemplateItem,
    TemplateVersion,
    Verification,
)
from . import serializers as s


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read in scope: list and detail of the rows `restrict(user, "view")` lets through."""

    select_related: tuple = ()
    prefetch_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs if qs.ordered else qs.order_by("pk")  # pages stay stable


def _body(request) -> dict:
    """The JSON object sent, or a 400 saying an object is expected."""
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def _file(field):
    if not field:
        raise NotFound()
    return FileResponse(field.open("rb"), filename=field.name.rsplit("/", 1)[-1])


# --- Templates --------------------------------------------------------------------------------

class ChecklistTemplateViewSet(ScopedViewSet):
    """Checklists per place category. Created with their first version's items; items change
    through `revise` (a version an inspection used never changes; a new version is made)."""

    queryset = ChecklistTemplate.objects.all()
    serializer_class = s.ChecklistTemplateSerializer
    filterset_class = filtersets.ChecklistTemplateFilterSet
    action_rights = {"revise": "change"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("versions")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.create_template(
                node=data["jurisdiction"], name=data["name"], category=data.get("category", ""),
                description=data.get("description", ""), items=[dict(i) for i in data["items"]],
                user=self.request.user)
        except ValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    @extend_schema(request=s.ReviseSerializer, responses=s.TemplateVersionSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """New items: the unused newest version is edited, a used one is kept and a new one made."""
        template = self.get_object()
        payload = s.ReviseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = services.revise_template(template, items=[dict(i) for i in payload.validated_data["items"]],
                                           note=payload.validated_data.get("note", ""), user=request.user)
        version = TemplateVersion.objects.prefetch_related("items").get(pk=version.pk)
        return Response(s.TemplateVersionSerializer(version, context={"request": request}).data)


class TemplateVersionViewSet(_ReadOnly):
    queryset = TemplateVersion.objects.all()
    serializer_class = s.TemplateVersionSerializer
    filterset_class = filtersets.TemplateVersionFilterSet
    prefetch_related = ("items",)


class TemplateItemViewSet(_ReadOnly):
    queryset = TemplateItem.objects.all()
    serializer_class = s.TemplateItemSerializer
    filterset_class = filtersets.TemplateItemFilterSet


# --- Plans and inspections --------------------------------------------------------------------

class InspectionPlanViewSet(_ReadOnly):
    queryset = InspectionPlan.objects.all()
    serializer_class = s.InspectionPlanSerializer
    filterset_class = filtersets.InspectionPlanFilterSet
    prefetch_related = ("places",)


def _answer_shape(data):
    """The phone's body has the shape the service reads (lists where lists are expected); the
    service checks the values and names each wrong one."""
    errors = {}
    answers = data.get("answers")
    if answers is not None and not isinstance(answers, list):
        errors["answers"] = [_("Send the answers as a list.")]
    for raw in answers if isinstance(answers, list) else []:
        if not isinstance(raw, dict):
            errors["answers"] = [_("Each answer is an object with its item and value.")]
            break
        photos = raw.get("photos")
        if photos is not None and not (isinstance(photos, list) and all(isinstance(p, str) for p in photos)):
            errors[f"answers.{raw.get('item')}.photos"] = [_("Send the photos as a list of data URLs.")]
    for field in ("inspector_signature", "present_signature"):
        if data.get(field) not in (None, "") and not isinstance(data.get(field), str):
            errors[field] = [_("Send the signature as a data URL.")]
    if errors:
        raise ValidationError(errors)


class InspectionViewSet(_ReadOnly):
    """Inspections: evidence, created from the phone (idempotent by client UUID), never edited."""

    queryset = Inspection.objects.all()
    serializer_class = s.InspectionSerializer
    filterset_class = filtersets.InspectionFilterSet
    select_related = ("place", "unit", "inspector", "version__template")

    def get_serializer_class(self):
        return s.InspectionDetailSerializer if self.action in ("retrieve", "create") else s.InspectionSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action in ("retrieve", "create"):
            qs = qs.prefetch_related(
                Prefetch("answers", queryset=Answer.objects.select_related("item").prefetch_related("photos")),
                Prefetch("findings", queryset=Finding.objects.select_related("order")))
        return qs

    def _detail(self, inspection):
        inspection = Inspection._base_manager.select_related(*self.select_related).prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("item").prefetch_related("photos")),
            Prefetch("findings", queryset=Finding.objects.select_related("order"))).get(pk=inspection.pk)
        return s.InspectionDetailSerializer(inspection, context=self.get_serializer_context()).data

    @extend_schema(request=s.InspectionInputSerializer,
                   responses={201: s.InspectionDetailSerializer, 200: s.InspectionDetailSerializer})
    def create(self, request, *args, **kwargs):
        """The phone's submission: 201 when stored (findings and orders made in the same
        transaction), 200 with the same inspection when the client UUID is sent again, 400 with
        the field (`answers.<item id>`) and the reason, 409 when the UUID is someone else's."""
        data = _body(request)
        _answer_shape(data)
        inspection, created = services.record_inspection(request.user, data)
        return Response(self._detail(inspection), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="inspector-signature")
    def inspector_signature(self, request, pk=None):
        """The inspector's signature, to those who may see the inspection (404 for anyone else)."""
        return _file(self.get_object().inspector_signature)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="present-signature")
    def present_signature(self, request, pk=None):
        """The signature of the unit's person present, to those who may see the inspection."""
        return _file(self.get_object().present_signature)


class AnswerViewSet(_ReadOnly):
    queryset = Answer.objects.all()
    serializer_class = s.AnswerSerializer
    filterset_class = filtersets.AnswerFilterSet
    select_related = ("item",)
    prefetch_related = ("photos",)


class PhotoViewSet(_ReadOnly):
    """Photos of inspections and of rectification evidence: metadata here, the file from
    `.../file/` to those who may see the photo."""

    queryset = Photo.objects.all()
    serializer_class = s.PhotoSerializer
    filterset_class = filtersets.PhotoFilterSet

    @extend_schema(request=s.PhotoInputSerializer, responses={201: s.PhotoSerializer, 200: s.PhotoSerializer})
    def create(self, request, *args, **kwargs):
        """A photo sent after its inspection (idempotent by client UUID; someone else's is 409)."""
        photo, created = services.add_photo(request.user, _body(request))
        return Response(s.PhotoSerializer(photo, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The photo itself, to those who may see it (404 for anyone else)."""
        return _file(self.get_object().file)


# --- Findings and rectification ---------------------------------------------------------------

class FindingViewSet(_ReadOnly):
    queryset = Finding.objects.all()
    serializer_class = s.FindingSerializer
    filterset_class = filtersets.FindingFilterSet
    select_related = ("place", "order")


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value)) if value not in (None, "") else None
    except ValueError:
        raise ValidationError({"client_uuid": [_("Every submission needs a client id (UUID).")]}) from None


class RectificationOrderViewSet(_ReadOnly):
    """Orders and their lifecycle: start, plan (a major hazard's six elements), report done with
    evidence, verify. The responsible person acts on his own orders through his duty; the verifier
    is an inspector who is neither the assignee nor the reporter (403 says why)."""

    queryset = RectificationOrder.objects.all()
    serializer_class = s.RectificationOrderSerializer
    filterset_class = filtersets.RectificationOrderFilterSet
    select_related = ("finding__place", "responsible_unit", "responsible_person", "plan")
    prefetch_related = ("photos",)
    # His duty lets the responsible person act on his order; `verify` too, so that the fixer hears
    # why he may not verify it (the service refuses him with the reason).
    duty_actions = ("start", "plan", "report", "verify")

    def _answer(self, order, code=status.HTTP_200_OK):
        order = RectificationOrder._base_manager.select_related(*self.select_related).prefetch_related(
            "photos").get(pk=order.pk)
        return Response(s.RectificationOrderSerializer(order, context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(request=None, responses=s.RectificationOrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Work started (a major hazard needs its plan first)."""
        return self._answer(services.start_work(self.get_object(), user=request.user))

    @extend_schema(request=s.PlanInputSerializer, responses=s.RectificationOrderSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """A major hazard's rectification plan: all six elements or nothing (each missing one named)."""
        order = self.get_object()
        payload = s.PlanInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_plan(order, user=request.user, **payload.validated_data)
        return self._answer(order)

    @extend_schema(request=s.ReportInputSerializer, responses={200: s.RectificationOrderSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Reported done with evidence photos; the same client_uuid again returns the order (200)."""
        order = self.get_object()
        payload = s.ReportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        base = _uuid_or_none(data.get("client_uuid"))
        if base is not None and replay(Photo, request.user, client_uuid=uuid.uuid5(base, "1")):
            return self._answer(order)
        services.report_done(order, user=request.user, text=data.get("text", ""), photos=data.get("photos", []),
                             client_uuid=base)
        return self._answer(order)

    @extend_schema(request=s.VerifyInputSerializer, responses=s.RectificationOrderSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verified (closed) or failed (reopened with a new deadline). 403 with the reason when the
        caller is the assignee or the reporter, or not an inspector here."""
        order = self.get_object()
        payload = s.VerifyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.verify(order, user=request.user, passed=data["passed"], note=data.get("note", ""),
                        new_deadline=data.get("new_deadline"), on_site=data.get("on_site", False),
                        members=data.get("members", ""))
        return self._answer(order)


class RectificationPlanViewSet(_ReadOnly):
    queryset = RectificationPlan.objects.all()
    serializer_class = s.RectificationPlanSerializer
    filterset_class = filtersets.RectificationPlanFilterSet


class VerificationViewSet(_ReadOnly):
    queryset = Verification.objects.all()
    serializer_class = s.VerificationSerializer
    filterset_class = filtersets.VerificationFilterSet
    select_related = ("order",)


# --- Supervision ------------------------------------------------------------------------------

class InspectorAssignmentViewSet(_ReadOnly):
    queryset = InspectorAssignment.objects.all()
    serializer_class = s.InspectorAssignmentSerializer
    filterset_class = filtersets.InspectorAssignmentFilterSet
    select_related = ("inspector", "jurisdiction")


class SupervisionVisitViewSet(_ReadOnly):
    queryset = SupervisionVisit.objects.all()
    serializer_class = s.SupervisionVisitSerializer
    filterset_class = filtersets.SupervisionVisitFilterSet


class BulletinViewSet(_ReadOnly):
    queryset = Bulletin.objects.all()
    serializer_class = s.BulletinSerializer
    filterset_class = filtersets.BulletinFilterSet

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The issued bulletin (.docx), to those who may see it (404 for anyone else)."""
        return _file(self.get_object().document)


def register(router):
    """Register this app's viewsets under inspections/... (api/urls.py calls it)."""
    for prefix, viewset, basename in (
        ("templates", ChecklistTemplateViewSet, "template"),
        ("versions", TemplateVersionViewSet, "version"),
        ("items", TemplateItemViewSet, "item"),
        ("plans", InspectionPlanViewSet, "plan"),
        ("inspections", InspectionViewSet, "inspection"),
        ("answers", AnswerViewSet, "answer"),
        ("photos", PhotoViewSet, "photo"),
        ("findings", FindingViewSet, "finding"),
        ("orders", RectificationOrderViewSet, "order"),
        ("rectification-plans", RectificationPlanViewSet, "rectification-plan"),
        ("verifications", VerificationViewSet, "verification"),
        ("assignments", InspectorAssignmentViewSet, "assignment"),
        ("visits", SupervisionVisitViewSet, "visit"),
        ("bulletins", BulletinViewSet, "bulletin"),
    ):
        router.register(f"inspections/{prefix}", viewset, basename=f"inspections-{basename}")
