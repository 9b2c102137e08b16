"""The API of duty under /api/duty/: every list restricted to the user's scope (and his duties),
every write through the services, errors as JSON with field messages; the documented roster
problem solved on demand (`duty/solve/`), the posture panel and who is on duty now."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, scope_paths

from .. import checker, filtersets, queries, rosters, services, solver
from ..models import Assignment, FeedToken, Handover, Leave, Posture, Roster, SolveRun, SwapRequest
from ..problem import ProblemError, parse
from . import serializers as s


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    select_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs if qs.ordered else qs.order_by("pk")


def _input(serializer_class, request, **context):
    data = serializer_class(data=request.data, context={"request": request, **context})
    data.is_valid(raise_exception=True)
    return data.validated_data


def _on_a_roster_or_office(user):
    """Before the payload is read: swaps and handovers are asked by people on a roster (for their own
    shifts) or by the office."""
    if not (can(user, "duty", "change") or Assignment.objects.live().filter(person__user=user).exists()):
        raise PermissionDenied(_("Only the people on a roster, or the office, do this."))


# --- Rosters ----------------------------------------------------------------------------------

class RosterViewSet(ScopedViewSet):
    """Rosters: shifts (times may cross midnight), demand per post and shift, rules. Filled by
    `generate` (a pattern) or `solve` (the optimiser in the background: a run to poll, whose result
    is published by `runs/{id}/apply`); `publish` when the independent checker passes it."""

    queryset = Roster.objects.all()
    serializer_class = s.RosterSerializer
    filterset_class = filtersets.RosterFilterSet
    select_related = ("jurisdiction", "team", "owner")
    action_rights = {"generate": "change", "solve": "change", "publish": "change", "feed": "change", "fill": "change"}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members", "leaders")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_roster(
            node=data.pop("jurisdiction"), user=self.request.user, rules=dict(data.pop("rules", {}) or {}),
            shifts=[dict(x) for x in data.pop("shifts")], demand=[dict(x) for x in data.pop("demand")],
            members=data.pop("members", []), leaders=data.pop("leaders", []), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for key in ("shifts", "demand"):
            if key in data:
                data[key] = [dict(x) for x in data[key]]
        if "rules" in data:
            data["rules"] = dict(data["rules"])
        serializer.instance = services.edit_roster(serializer.instance, user=self.request.user, **data)

    def perform_destroy(self, instance):
        if instance.is_published:
            raise ValidationError(_("A published roster is kept: people's calendars and the audit refer to it."))
        super().perform_destroy(instance)

    @extend_schema(request=s.GenerateSerializer, responses=s.RosterSerializer)
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        roster = self.get_object()
        data = _input(s.GenerateSerializer, request)
        roster = services.generate(roster, pattern=data["pattern"], groups=data["groups"], post=data.get("post"),
                                   user=request.user)
        return Response(self.get_serializer(Roster.objects.get(pk=roster.pk)).data)

    @extend_schema(request=s.SolveSerializer, responses={202: s.SolveRunSerializer})
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        """Start the optimiser: 202 with the run; GET runs/{id}/ shows its best penalty so far."""
        data = _input(s.SolveSerializer, request)
        run = services.start_solve(self.get_object(), seconds=data["seconds"], workers=data["workers"],
                                   user=request.user)
        return Response(s.SolveRunSerializer(run, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.FillSerializer, responses={201: s.AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        """Put a person on a shift that lacks one (refused, the rule named, when the rules forbid it)."""
        data = _input(s.FillSerializer, request)
        made = services.fill_slot(self.get_object(), user=request.user, **data)
        return Response(s.AssignmentSerializer(made, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RosterSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        roster = services.publish(self.get_object(), user=request.user)
        return Response(self.get_serializer(roster).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        """The independent checker's verdict: hard violations by rule (in words too), soft terms."""
        roster = self.get_object()
        verdict = rosters.check(roster)
        names = {str(p.pk): p.name for p in [*roster.members.all(), *roster.leaders.all()]}
        return Response({
            "ok": verdict["ok"], "by_rule": verdict["by_rule"], "penalty": verdict["penalty"], "terms": verdict["terms"],
            "violations": [{**v, "text": rosters.describe(roster, v, names)} for v in verdict["violations"]]})

    @extend_schema(request=None, responses={201: s.FeedTokenSerializer})
    @action(detail=True, methods=["post"])
    def feed(self, request, pk=None):
        """A new secret calendar link of the roster."""
        token = services.make_feed(roster=self.get_object(), user=request.user)
        return Response(s.FeedTokenSerializer(token, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class AssignmentViewSet(_ReadOnly):
    """Who stands which shift. The person on it confirms (`confirm`, one tap) and hands over
    (`handover`); the office puts another person on it (`override`, re-checked by the rules)."""

    queryset = Assignment.objects.all()
    serializer_class = s.AssignmentSerializer
    filterset_class = filtersets.AssignmentFilterSet
    select_related = ("roster", "person")
    action_rights = {"confirm": "change", "override": "change", "stand_down": "change"}
    duty_actions = ("confirm",)

    @extend_schema(request=None, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return Response(self.get_serializer(services.confirm_on_duty(self.get_object(), user=request.user)).data)

    @extend_schema(request=s.OverrideSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        data = _input(s.OverrideSerializer, request)
        new = services.override(self.get_object(), person=data["person"], reason=data.get("reason", ""),
                                user=request.user)
        return Response(self.get_serializer(new).data)

    @extend_schema(request=s.StandDownSerializer, responses=s.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def stand_down(self, request, pk=None):
        """Take the person off the shift (sick, called away): the slot lacks him until it is filled."""
        data = _input(s.StandDownSerializer, request)
        return Response(self.get_serializer(services.stand_down(self.get_object(), reason=data["reason"],
                                                                user=request.user)).data)


class LeaveViewSet(ScopedViewSet):
    queryset = Leave.objects.all()
    serializer_class = s.LeaveSerializer
    filterset_class = filtersets.LeaveFilterSet
    select_related = ("person",)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.enter_leave(person=data["person"], starts_on=data["starts_on"],
                                                   ends_on=data["ends_on"], reason=data["reason"],
                                                   node=data["jurisdiction"], user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.edit_leave(serializer.instance, user=self.request.user,
                                                  **serializer.validated_data)


class SwapRequestViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Swaps: the person on a shift asks a colleague (refused at once, the rule named, when the
    rules forbid it); the colleague accepts; the office approves or refuses."""

    queryset = SwapRequest.objects.all()
    serializer_class = s.SwapRequestSerializer
    filterset_class = filtersets.SwapRequestFilterSet
    select_related = ("assignment__roster", "requester", "colleague")
    action_rights = {"create": "view", "accept": "view", "withdraw": "view", "approve": "change", "refuse": "change"}
    duty_actions = ("accept", "withdraw")

    def create(self, request, *args, **kwargs):
        _on_a_roster_or_office(request.user)
        data = _input(s.SwapRequestSerializer, request)
        with transaction.atomic():
            swap = services.request_swap(assignment=data["assignment"], colleague=data["colleague"],
                                         reason=data.get("reason", ""), user=request.user,
                                         client_uuid=data.get("client_uuid"))
        return Response(self.get_serializer(swap).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return Response(self.get_serializer(services.accept_swap(self.get_object(), user=request.user)).data)

    @extend_schema(request=None, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        swap = services.decide_swap(self.get_object(), approve=True, user=request.user)
        return Response(self.get_serializer(swap).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = _input(s.ReasonSerializer, request)
        swap = services.decide_swap(self.get_object(), approve=False, reason=data.get("reason", ""), user=request.user)
        return Response(self.get_serializer(swap).data)

    @extend_schema(request=None, responses=s.SwapRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return Response(self.get_serializer(services.withdraw_swap(self.get_object(), user=request.user)).data)


class HandoverViewSet(mixins.CreateModelMixin, _ReadOnly):
    """交接班: written by the outgoing person on his shift, acknowledged by the incoming one within 30
    minutes (else it escalates)."""

    queryset = Handover.objects.all()
    serializer_class = s.ShiftHandoverSerializer
    filterset_class = filtersets.HandoverFilterSet
    select_related = ("written_by", "incoming", "roster")
    action_rights = {"create": "view", "acknowledge": "view"}
    duty_actions = ("acknowledge",)

    def create(self, request, *args, **kwargs):
        _on_a_roster_or_office(request.user)
        data = _input(s.ShiftHandoverSerializer, request)
        with transaction.atomic():
            handover = services.write_handover(
                assignment=data["assignment"], incoming=data["incoming"], open_items=data.get("open_items", ""),
                incidents=data.get("incidents", ""), notes=data.get("notes", ""), user=request.user,
                client_uuid=data.get("client_uuid"))
        return Response(self.get_serializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ShiftHandoverSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return Response(self.get_serializer(services.acknowledge_handover(self.get_object(), user=request.user)).data)


class PostureViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Posture levels: set for a node and period with the reason (the node's office and leaders are
    told of the shifts that lack people); `end` lifts one now."""

    queryset = Posture.objects.all()
    serializer_class = s.PostureSerializer
    filterset_class = filtersets.PostureFilterSet
    select_related = ("jurisdiction", "set_by__person")
    action_rights = {"create": "change", "end": "change"}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.set_posture(node=data["jurisdiction"], level=data["level"],
                                                   starts_at=data["starts_at"], ends_at=data["ends_at"],
                                                   reason=data["reason"], user=self.request.user)

    @extend_schema(request=None, responses=s.PostureSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return Response(self.get_serializer(services.end_posture(self.get_object(), user=request.user)).data)


class SolveRunViewSet(_ReadOnly):
    """The optimiser's runs: progress (best penalty so far) while it runs, then its roster; `apply`
    publishes it (`{"publish": false}` keeps it as a draft roster), `discard` drops it."""

    queryset = SolveRun.objects.all()
    serializer_class = s.SolveRunSerializer
    filterset_class = filtersets.SolveRunFilterSet
    select_related = ("roster",)
    action_rights = {"apply": "change", "discard": "change"}

    @extend_schema(request=None, responses=s.RosterSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        publish_it = request.data.get("publish", True) if isinstance(request.data, dict) else True
        roster = services.apply_run(self.get_object(), publish_it=publish_it not in (False, "false", "0", 0),
                                    user=request.user)
        return Response(s.RosterSerializer(roster, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.SolveRunSerializer)
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        return Response(self.get_serializer(services.discard_run(self.get_object(), user=request.user)).data)


class FeedTokenViewSet(_ReadOnly):
    """Calendar links (secret URLs of iCalendar feeds) one may see: one's own, and those of rosters
    in scope; `revoke` ends one."""

    queryset = FeedToken.objects.all()
    serializer_class = s.FeedTokenSerializer
    filterset_class = filtersets.FeedTokenFilterSet
    action_rights = {"revoke": "view"}
    duty_actions = ("revoke",)

    @extend_schema(request=None, responses=s.FeedTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return Response(self.get_serializer(services.revoke_feed(self.get_object(), user=request.user)).data)


# --- Plain reads and the problem solver -------------------------------------------------------

def _node(request):
    raw = request.query_params.get("node", "")
    nodes = Jurisdiction.objects.restrict(request.user, "view")
    if raw:
        if not raw.isdigit():
            raise ValidationError({"node": [_("Not a record id.")]})
        node = nodes.filter(pk=int(raw)).first()
        if node is None:
            raise ValidationError({"node": [_("Record %(pk)s does not exist or is outside your jurisdiction.")
                                            % {"pk": raw}]})
        return node
    paths = scope_paths(request.user, "duty", "view")
    found = nodes.filter(path__in=paths).order_by("depth", "path").first() if paths else None
    return found or nodes.order_by("depth", "path").first()


class PosturePanelViewSet(viewsets.ViewSet):
    """Required against rostered per force and shift for `days` days (30) from `start` (today) at
    `node` (the user's highest), each day at its posture level."""

    permission_area = "duty"

    @extend_schema(parameters=[OpenApiParameter("node", int), OpenApiParameter("start", OpenApiTypes.DATE),
                               OpenApiParameter("days", int)],
                   responses=s.PanelDaySerializer(many=True))
    def list(self, request):
        node = _node(request)
        try:
            start = date.fromisoformat(request.query_params.get("start") or timezone.localdate().isoformat())
        except ValueError:
            raise ValidationError({"start": [_("Not a date like 2026-12-01.")]}) from None
        raw_days = request.query_params.get("days", "30")
        if not raw_days.isdigit() or not 1 <= int(raw_days) <= 92:
            raise ValidationError({"days": [_("From 1 to 92 days.")]})
        panel = queries.staffing_panel(node, start, int(raw_days)) if node is not None else []
        return Response(s.PanelDaySerializer(panel, many=True).data)


class OnDutyViewSet(viewsets.ViewSet):
    """Who is on duty now in the user's scope, leaders first."""

    permission_area = "duty"

    @extend_schema(responses=s.OnDutySerializer(many=True))
    def list(self, request):
        rows = queries.on_duty(Assignment.objects.restrict(request.user, "view"))
        return Response(s.OnDutySerializer(rows, many=True).data)


class SolveProblemViewSet(viewsets.ViewSet):
    """Solve a roster problem sent as the documented JSON (duty/problem.py): the assignment, each
    penalty term by name and the independent checker's verdict, for planners to try scenarios.
    Nothing is stored. A bad problem is 400 with every error and where it is."""

    permission_area = "duty"

    @extend_schema(request=s.ProblemSolveSerializer, responses=s.ProblemAnswerSerializer)
    def create(self, request):
        data = _input(s.ProblemSolveSerializer, request)
        try:
            problem = parse(data["problem"])
        except ProblemError as exc:
            raise ValidationError({"problem": exc.errors}) from None
        found = solver.solve(problem, seconds=data["seconds"], workers=data["workers"])
        out = found.as_json(problem)
        if found.assignments:
            verdict = checker.check(problem, found.assignments)
            out["checker"] = {"ok": verdict["ok"], "violations": verdict["violations"], "penalty": verdict["penalty"]}
        return Response(out)


def register(router):
    """Register this app's viewsets under duty/... (api/urls.py calls it)."""
    for prefix, viewset, basename in (
        ("rosters", RosterViewSet, "roster"),
        ("assignments", AssignmentViewSet, "assignment"),
        ("leave", LeaveViewSet, "leave"),
        ("swaps", SwapRequestViewSet, "swap"),
        ("handovers", HandoverViewSet, "handover"),
        ("postures", PostureViewSet, "posture"),
        ("runs", SolveRunViewSet, "run"),
        ("feeds", FeedTokenViewSet, "feed"),
        ("posture-panel", PosturePanelViewSet, "posture-panel"),
        ("on-duty", OnDutyViewSet, "on-duty"),
        ("solve", SolveProblemViewSet, "solve"),
    ):
        router.register(f"duty/{prefix}", viewset, basename=f"duty-{basename}")
