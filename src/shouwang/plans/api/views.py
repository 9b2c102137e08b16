"""The API of plans under /api/plans/: every list restricted to the user's scope (and his duties:
a player sees the drill he plays in), every write through the services, errors as JSON with
field messages."""

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.api.exceptions import as_drf_validation_error
from shouwang.core.documents import docx_response
from shouwang.core.idempotency import replay
from shouwang.core.scope import can_at, refusal

from .. import diffs, exports, filtersets, queries, services
from ..choices import AttendanceMethod, DrillState
from ..models import (
    Attendance,
    Campaign,
    CampaignPhoto,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Evaluation,
    ExpectedAction,
    Improvement,
    Inject,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Session,
)
from . import serializers as s


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    select_related: tuple = ()
    prefetch_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs if qs.ordered else qs.order_by("pk")


def _payload(request, serializer_class, context=None):
    serializer = serializer_class(data=request.data, context=context or {"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _service(call):
    try:
        return call()
    except ValidationError as exc:
        raise as_drf_validation_error(exc) from exc


# ---------------------------------------------------------------- plans

def _draft_kwargs(data):
    """The draft's fields as the service takes them; a checklist not sent is kept."""
    data = dict(data or {})
    if "actions" in data:
        data["actions"] = [dict(a) for a in data["actions"]]
    if "supplies" in data:
        data["supplies"] = [dict(x) for x in data["supplies"]]
    return data


class PlanViewSet(ScopedViewSet):
    """Emergency plans: created with their first version as a draft; `draft` writes the draft (the
    next version), `approve` freezes it, `review` records an expert review, `diff` compares versions."""

    queryset = Plan.objects.all()
    serializer_class = s.PlanSerializer
    filterset_class = filtersets.PlanFilterSet
    select_related = ("current",)
    action_rights = {"draft": "change", "approve": "change", "review": "change"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        draft = _draft_kwargs(data.pop("draft", None))
        draft.pop("title", None)
        serializer.instance = _service(lambda: services.create_plan(
            node=data["jurisdiction"], title=data["title"], working_kind=data["working_kind"], user=self.request.user,
            **draft))

    def perform_update(self, serializer):
        serializer.validated_data.pop("draft", None)
        self._checked_save(serializer, "change")

    @extend_schema(request=s.DraftSerializer, responses=s.PlanVersionSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        plan = self.get_object()
        data = _draft_kwargs(_payload(request, s.DraftSerializer))
        version = _service(lambda: services.save_draft(plan, user=request.user, **data))
        return Response(s.PlanVersionSerializer(version, context={"request": request}).data)

    @extend_schema(request=s.ApproveSerializer, responses=s.PlanVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        data = _payload(request, s.ApproveSerializer)
        version = services.draft_of(plan)
        if version is None:
            raise as_drf_validation_error(ValidationError(_no_draft()))
        version = _service(lambda: services.approve(version, user=request.user, approver=data["approver"]))
        return Response(s.PlanVersionSerializer(version, context={"request": request}).data)

    @extend_schema(request=s.ReviewInputSerializer, responses=s.PlanReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        plan = self.get_object()
        data = _payload(request, s.ReviewInputSerializer)
        review = _service(lambda: services.record_review(plan, user=request.user, **data))
        return Response(s.PlanReviewSerializer(review, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("old", int, description="the earlier version's number"),
                               OpenApiParameter("new", int, description="the later version's number")],
                   responses=s.DiffSerializer)
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        plan = self.get_object()
        versions = {v.number: v for v in plan.versions.prefetch_related("actions__group", "contacts", "teams")}
        try:
            new = versions[int(request.query_params.get("new") or max(versions))]
            old_number = request.query_params.get("old")
            old = versions[int(old_number)] if old_number else versions.get(new.number - 1)
        except (KeyError, ValueError):
            raise as_drf_validation_error(ValidationError({"new": [_no_version()]})) from None
        return Response(diffs.diff(old, new, queries.category_terms()))


def _no_draft():
    return _("There is no draft version to approve.")


def _no_version():
    return _("No such version of this plan.")


class PlanVersionViewSet(_ReadOnly):
    queryset = PlanVersion.objects.all()
    serializer_class = s.PlanVersionSerializer
    filterset_class = filtersets.PlanVersionFilterSet
    prefetch_related = ("actions__group",)


class PlanActionViewSet(_ReadOnly):
    queryset = PlanAction.objects.all()
    serializer_class = s.PlanActionSerializer
    filterset_class = filtersets.PlanActionFilterSet
    select_related = ("group",)


class PlanReviewViewSet(_ReadOnly):
    queryset = PlanReview.objects.all()
    serializer_class = s.PlanReviewSerializer
    filterset_class = filtersets.PlanReviewFilterSet


# ---------------------------------------------------------------- drills

class DrillViewSet(ScopedViewSet):
    """Drills: planned with their injects; `start` opens the exercise incident, `pause`, `resume`,
    `evacuation` (signal, all-clear), `end`; `after_action` records the report; `timeline` and
    `report` (the Word document) read it."""

    queryset = Drill.objects.all()
    serializer_class = s.DrillSerializer
    filterset_class = filtersets.DrillFilterSet
    select_related = ("jurisdiction", "unit", "plan")
    action_rights = {"start": "change", "pause": "change", "resume": "change", "end": "change",
                     "evacuation": "change", "after_action": "change"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        injects = data.pop("injects_spec", None) or []
        evaluators = data.pop("evaluators", [])
        node = data.pop("jurisdiction")
        serializer.instance = _service(lambda: services.create_drill(
            node=node, user=self.request.user, evaluators=evaluators,
            injects=[_inject_spec(self.request, spec) for spec in injects], **data))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("injects_spec", None)
        evaluators = data.pop("evaluators", None)
        if "jurisdiction" in data and not can_at(self.request.user, "plans", "change",
                                                          data["jurisdiction"].path):
            raise as_drf_validation_error(ValidationError({"jurisdiction": [refusal(
                self.request.user, "plans", data["jurisdiction"].path)]}))
        serializer.instance = _service(lambda: services.edit_drill(serializer.instance, user=self.request.user,
                                                                    evaluators=evaluators, **data))

    def perform_destroy(self, instance):
        if instance.state != DrillState.PLANNED:
            raise as_drf_validation_error(ValidationError(_started()))
        super().perform_destroy(instance)

    def _done(self, drill):
        return Response(s.DrillSerializer(Drill.objects.get(pk=drill.pk), context={"request": self.request}).data)

    @extend_schema(request=s.AtSerializer, responses=s.DrillSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        drill = self.get_object()
        at = _payload(request, s.AtSerializer).get("at")
        return self._done(_service(lambda: services.start_drill(drill, user=request.user, at=at)))

    @extend_schema(request=s.AtSerializer, responses=s.DrillSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        drill = self.get_object()
        at = _payload(request, s.AtSerializer).get("at")
        return self._done(_service(lambda: services.pause_drill(drill, user=request.user, at=at)))

    @extend_schema(request=s.AtSerializer, responses=s.DrillSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        drill = self.get_object()
        at = _payload(request, s.AtSerializer).get("at")
        return self._done(_service(lambda: services.resume_drill(drill, user=request.user, at=at)))

    @extend_schema(request=s.AtSerializer, responses=s.DrillSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        drill = self.get_object()
        at = _payload(request, s.AtSerializer).get("at")
        return self._done(_service(lambda: services.end_drill(drill, user=request.user, at=at)))

    @extend_schema(request=s.EvacuationSerializer, responses=s.DrillSerializer)
    @action(detail=True, methods=["post"])
    def evacuation(self, request, pk=None):
        drill = self.get_object()
        data = _payload(request, s.EvacuationSerializer)
        return self._done(_service(lambda: services.time_evacuation(drill, user=request.user, what=data["what"],
                                                                    at=data.get("at"))))

    @extend_schema(request=s.AfterActionSerializer, responses=s.ImprovementSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="after-action")
    def after_action(self, request, pk=None):
        drill = self.get_object()
        data = _payload(request, s.AfterActionSerializer)
        made = _service(lambda: services.record_after_action(
            drill, user=request.user, strengths=data.get("strengths", ""),
            improvements=[dict(i) for i in data.get("improvements", [])]))
        return Response(s.ImprovementSerializer(made, many=True, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.TimelineInjectSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, pk=None):
        rows = queries.timeline(self.get_object(), timezone.now())
        return Response(s.TimelineInjectSerializer(rows, many=True).data)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
                              OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None) -> HttpResponse:
        """The after-action report as a Chinese Word document (A4), marked 【演练】."""
        drill = self.get_object()
        return docx_response(exports.after_action_docx(drill), exports.report_filename(drill))


def _started():
    return _("A drill that has started is kept: it is the record of what happened.")


def _inject_spec(request, spec):
    """A nested inject of a new drill, its related ids read in the user's scope."""
    if not isinstance(spec, dict):
        raise as_drf_validation_error(ValidationError({"injects_spec": [_bad_spec()]}))
    actions = spec.get("actions") or []
    serializer = s.InjectSerializer(data={**{k: v for k, v in spec.items() if k != "actions"}, "drill": None},
                                    context={"request": request}, partial=True)
    serializer.fields["drill"].required = False
    serializer.fields["drill"].allow_null = True
    serializer.is_valid(raise_exception=True)
    data = {k: v for k, v in serializer.validated_data.items() if k not in ("drill", "expected")}
    data["actions"] = [dict(_payload_of(request, s.ActionSpecSerializer, a)) for a in actions]
    return data


def _payload_of(request, serializer_class, data):
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _bad_spec():
    return _("Each inject is an object with its offset, title, message and receiver.")


class InjectViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, _ReadOnly):
    """Injects: added to a planned drill (with their expected actions), removed before it starts;
    `deliver` now (a contingency offered, or ahead of time) or `skip`."""

    queryset = Inject.objects.all()
    serializer_class = s.InjectSerializer
    filterset_class = filtersets.InjectFilterSet
    select_related = ("recipient_group", "recipient_person")
    prefetch_related = ("actions",)
    action_rights = {"create": "change", "destroy": "change", "deliver": "change", "skip": "change"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        drill = data.pop("drill")
        actions = [dict(a) for a in data.pop("expected", [])]
        data.pop("jurisdiction", None)
        serializer.instance = _service(lambda: services.add_inject(drill, user=self.request.user, actions=actions,
                                                                   **data))

    def perform_destroy(self, instance):
        _service(lambda: services.remove_inject(instance, user=self.request.user))

    def _done(self, inject):
        return Response(s.InjectSerializer(Inject.objects.get(pk=inject.pk), context={"request": self.request}).data)

    @extend_schema(request=None, responses=s.InjectSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._done(_service(lambda: services.deliver_inject(self.get_object(), user=request.user)))

    @extend_schema(request=None, responses=s.InjectSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request, pk=None):
        return self._done(_service(lambda: services.skip_inject(self.get_object(), user=request.user)))


class ExpectedActionViewSet(_ReadOnly):
    """Expected actions: `log` by a player (idempotent by client UUID) and `evaluate` by an evaluator."""

    queryset = ExpectedAction.objects.all()
    serializer_class = s.ExpectedActionSerializer
    filterset_class = filtersets.ExpectedActionFilterSet
    select_related = ("inject", "person")
    action_rights = {"log": "change", "evaluate": "change"}
    duty_actions = ("log", "evaluate")  # a player logs his action, an evaluator rates it, without the role's verb

    @extend_schema(request=s.LogActionSerializer, responses=s.ExpectedActionSerializer)
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        action_ = self.get_object()  # the right first (a duty holder or the verb), then the payload
        data = _payload(request, s.LogActionSerializer)
        done = _service(lambda: services.log_action(action_, user=request.user, at=data.get("at"),
                                                    note=data.get("note", ""), client_uuid=data.get("client_uuid")))
        return Response(s.ExpectedActionSerializer(done, context={"request": request}).data)

    @extend_schema(request=s.EvaluateSerializer, responses={201: s.EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        action_ = self.get_object()
        data = _payload(request, s.EvaluateSerializer)
        made = _service(lambda: services.evaluate(action_, user=request.user, **data))
        return Response(s.EvaluationSerializer(made, context={"request": request}).data, status=status.HTTP_201_CREATED)


class EvaluationViewSet(_ReadOnly):
    queryset = Evaluation.objects.all()
    serializer_class = s.EvaluationSerializer
    filterset_class = filtersets.EvaluationFilterSet
    select_related = ("evaluator__person",)


class ImprovementViewSet(_ReadOnly):
    """Corrective actions: `done` by the owner, `verify` by someone else (like a rectification)."""

    queryset = Improvement.objects.all()
    serializer_class = s.ImprovementSerializer
    filterset_class = filtersets.ImprovementFilterSet
    select_related = ("owner",)
    action_rights = {"done": "change", "verify": "change"}
    duty_actions = ("done",)

    def _done(self, improvement):
        return Response(s.ImprovementSerializer(improvement, context={"request": self.request}).data)

    @extend_schema(request=s.DoneSerializer, responses=s.ImprovementSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        data = _payload(request, s.DoneSerializer)
        return self._done(_service(lambda: services.report_improvement_done(item, user=request.user,
                                                                          text=data["report_text"])))

    @extend_schema(request=s.VerifySerializer, responses=s.ImprovementSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        data = _payload(request, s.VerifySerializer)
        return self._done(_service(lambda: services.verify_improvement(item, user=request.user, **data)))


# ---------------------------------------------------------------- training

class CourseViewSet(ScopedViewSet):
    """Courses; `qualified` gives the share of qualified people per post in the user's scope."""

    queryset = Course.objects.all()
    serializer_class = s.CourseSerializer
    filterset_class = filtersets.CourseFilterSet

    @extend_schema(responses=s.QualifiedRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def qualified(self, request):
        return Response(s.QualifiedRowSerializer(queries.qualified_share(request.user), many=True).data)


class SessionViewSet(ScopedViewSet):
    queryset = Session.objects.all()
    serializer_class = s.SessionSerializer
    filterset_class = filtersets.SessionFilterSet
    select_related = ("course",)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        node = data.pop("jurisdiction")
        serializer.instance = _service(lambda: services.create_session(node=node, user=self.request.user, **data))


class AttendanceViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Attendance entered by the trainer (a person signs himself in by the session's QR code on the
    phone page); idempotent by client UUID."""

    queryset = Attendance.objects.all()
    serializer_class = s.AttendanceSerializer
    filterset_class = filtersets.AttendanceFilterSet
    select_related = ("person",)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("client_uuid") and (existing := replay(Attendance, request.user,
                                                            client_uuid=data["client_uuid"])):
            return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        attendance, created = _service(lambda: services.sign_in(
            data["session"], user=request.user, person=data["person"], method=AttendanceMethod.MANUAL,
            client_uuid=data.get("client_uuid")))
        return Response(self.get_serializer(attendance).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CertificateViewSet(mixins.CreateModelMixin, _ReadOnly):
    queryset = Certificate.objects.all()
    serializer_class = s.CertificateSerializer
    filterset_class = filtersets.CertificateFilterSet
    select_related = ("person", "course")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("jurisdiction", None)
        serializer.instance = _service(lambda: services.issue_certificate(user=self.request.user, **data))


# ---------------------------------------------------------------- campaigns

class CampaignViewSet(ScopedViewSet):
    """Awareness campaigns; `photos` adds one; `rollup` counts a year's campaigns up the tree
    against each node's target."""

    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer
    filterset_class = filtersets.CampaignFilterSet
    action_rights = {"photos": "change"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("photos")

    def save_kwargs(self, action):
        return {"created_by": self.request.user} if action == "add" else {}

    @extend_schema(request=s.CampaignPhotoInputSerializer, responses={201: s.CampaignPhotoSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        campaign = self.get_object()
        data = _payload(request, s.CampaignPhotoInputSerializer)
        photo = _service(lambda: services.add_campaign_photo(campaign, user=request.user,
                                                              photo=data["photo"], caption=data["caption"]))
        return Response(s.CampaignPhotoSerializer(photo, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("year", int, description="the year (this year by default)")],
                   responses=s.RollupRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def rollup(self, request):
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise as_drf_validation_error(ValidationError({"year": [_bad_year()]}))
        return Response(s.RollupRowSerializer(queries.rollup(request.user, int(raw)), many=True).data)


def _bad_year():
    return _("Give a year between 2000 and 2100.")


class CampaignPhotoViewSet(_ReadOnly):
    queryset = CampaignPhoto.objects.all()
    serializer_class = s.CampaignPhotoSerializer
    filterset_class = filtersets.CampaignPhotoFilterSet

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The photo, to those who may see its campaign (404 for anyone else)."""
        photo = self.get_object()
        if not photo.file:
            raise NotFound()
        return FileResponse(photo.file.open("rb"), filename=photo.file.name.rsplit("/", 1)[-1])


class CampaignTargetViewSet(ScopedViewSet):
    queryset = CampaignTarget.objects.all()
    serializer_class = s.CampaignTargetSerializer
    filterset_class = filtersets.CampaignTargetFilterSet


def register(router):
    """Register this app's viewsets under plans/... (api/urls.py calls it)."""
    for prefix, viewset, basename in (
        ("plans", PlanViewSet, "plan"),
        ("versions", PlanVersionViewSet, "version"),
        ("actions", PlanActionViewSet, "action"),
        ("reviews", PlanReviewViewSet, "review"),
        ("drills", DrillViewSet, "drill"),
        ("injects", InjectViewSet, "inject"),
        ("expected-actions", ExpectedActionViewSet, "expected-action"),
        ("evaluations", EvaluationViewSet, "evaluation"),
        ("improvements", ImprovementViewSet, "improvement"),
        ("courses", CourseViewSet, "course"),
        ("sessions", SessionViewSet, "session"),
        ("attendances", AttendanceViewSet, "attendance"),
        ("certificates", CertificateViewSet, "certificate"),
        ("campaigns", CampaignViewSet, "campaign"),
        ("campaign-photos", CampaignPhotoViewSet, "campaign-photo"),
        ("campaign-targets", CampaignTargetViewSet, "campaign-target"),
    ):
        router.register(f"plans/{prefix}", viewset, basename=f"plans-{basename}")
