"""The API of resources under /api/resources/: every list restricted to the user's scope (and his
duties), every write through the services, errors as JSON with field messages, retries made safe
by client ids (the same id again answers the first; someone else's is 409)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shouwang.core import stock as ledger
from shouwang.core.api.base import ScopedViewSet
from shouwang.core.idempotency import replay

from .. import filtersets, services
from ..models import (
    AssemblyPoint,
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentEvent,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointCheck,
    PointOpening,
    PointVehicle,
    StockMovement,
    StockTake,
    Store,
    SupplyItem,
)
from . import serializers as s


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read in scope: list and detail of the rows `restrict(user, "view")` lets through."""

    select_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs if qs.ordered else qs.order_by("pk")


def _valid(serializer_class, request):
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return payload.validated_data


def _replayed_first(model, request, field):
    """A retry answered before anything else is read: the first record for the same sender, 409
    for someone else's key (nothing of the other record in the answer)."""
    key = request.data.get(field) if isinstance(request.data, dict) else None
    try:
        key = uuid.UUID(str(key)) if key else None
    except ValueError:
        return None  # the serializer names the field
    return replay(model, request.user, **{field: key}) if key else None


# --- supplies -----------------------------------------------------------------------------------

class SupplyItemViewSet(ScopedViewSet):
    queryset = SupplyItem.objects.all()
    serializer_class = s.SupplyItemSerializer
    filterset_class = filtersets.SupplyItemFilterSet


class StoreViewSet(ScopedViewSet):
    queryset = Store.objects.all()
    serializer_class = s.StoreSerializer
    filterset_class = filtersets.StoreFilterSet
    select_related = ("jurisdiction", "keeper")


class LotViewSet(_ReadOnly):
    """Stock by lot (the ledger's balances), with how near each is to its expiry."""

    queryset = Lot.objects.all()
    serializer_class = s.LotSerializer
    filterset_class = filtersets.LotFilterSet
    select_related = ("item",)


class SupplyMovementViewSet(_ReadOnly):
    """The ledger: rows written once. POST records a movement (in, issued, written off); `transfer`
    moves a lot to another store. A client_id makes a retry the first movement."""

    queryset = StockMovement.objects.all()
    serializer_class = s.SupplyMovementSerializer
    filterset_class = filtersets.StockMovementFilterSet
    select_related = ("cause_type",)

    def _entry(self, movements, created):
        data = s.EntrySerializer({"movements": movements}, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.MovementInputSerializer, responses={201: s.EntrySerializer, 200: s.EntrySerializer})
    def create(self, request, *args, **kwargs):
        """In: `item`, `quantity`, lot number and dates (a new lot, or more of one); issued: from
        `lot` or earliest expiry first (an expired lot needs `reason`); written off: `lot` and
        `reason`. 400 names the field and the reason (e.g. more than is in stock), nothing written."""
        first = _replayed_first(StockMovement, request, "client_id")
        if first is not None:
            return self._entry(ledger.replayed(StockMovement, request.user, first.client_id, entry=True), False)
        d = _valid(s.MovementInputSerializer, request)
        store, kind, user = d["store"], d["kind"], request.user
        common = {"by": user, "description": d.get("description", ""), "client_id": d.get("client_id")}
        with transaction.atomic():
            if kind == "in":
                if d.get("item") is None:
                    raise ValidationError({"item": _("Choose the item received.")})
                rows = [services.receive(store, d["item"], d["quantity"], lot_number=d.get("lot_number", ""),
                                         expires_on=d.get("expires_on"), received_on=d.get("received_on"),
                                         at=d.get("at"), **common)]
            elif kind == "out":
                item = d.get("item") or (d["lot"].item if d.get("lot") else None)
                if item is None:
                    raise ValidationError({"item": _("Choose the item issued.")})
                rows = services.issue(store, item, d["quantity"], lot=d.get("lot"), recipient=d.get("recipient", ""),
                                      reason=d.get("reason", ""), at=d.get("at"), **common)
            else:
                lot = d.get("lot")
                if lot is None or lot.store_id != store.pk:
                    raise ValidationError({"lot": _("Choose a lot of this store.")})
                rows = [services.write_off(lot, d["quantity"], reason=d.get("reason", ""), at=d.get("at"), **common)]
        return self._entry(rows, not rows[0].replayed)

    @extend_schema(request=s.TransferInputSerializer, responses={201: s.EntrySerializer, 200: s.EntrySerializer})
    @action(detail=False, methods=["post"])
    def transfer(self, request):
        """A lot to another store: two rows that point at each other, or nothing (400: to the
        same store, more than is in stock)."""
        first = _replayed_first(StockMovement, request, "client_id")
        if first is not None:
            return self._entry(ledger.replayed(StockMovement, request.user, first.client_id, entry=True), False)
        d = _valid(s.TransferInputSerializer, request)
        rows = services.transfer(d["lot"], d["to_store"], d["quantity"], by=request.user,
                                 description=d.get("description", ""), client_id=d.get("client_id"))
        return self._entry(rows, not rows[0].replayed)


class StockTakeViewSet(_ReadOnly):
    queryset = StockTake.objects.all()
    serializer_class = s.StockTakeSerializer
    filterset_class = filtersets.StockTakeFilterSet

    @extend_schema(request=s.StockTakeInputSerializer, responses={201: s.StockTakeSerializer})
    def create(self, request, *args, **kwargs):
        """A count of a store: each difference from the book becomes a movement (surplus, shortage)."""
        d = _valid(s.StockTakeInputSerializer, request)
        lots = {str(lot.pk): lot for lot in Lot.objects.filter(store=d["store"])}
        unknown = [k for k in d["counts"] if k not in lots]
        if unknown:
            raise ValidationError({"counts": _("Count only the lots of this store.")})
        take = services.stocktake(d["store"], {lots[k]: v for k, v in d["counts"].items()}, by=request.user,
                                  note=d.get("note", ""))
        return Response(s.StockTakeSerializer(take, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# --- equipment ----------------------------------------------------------------------------------

class EquipmentViewSet(ScopedViewSet):
    """Equipment with serial numbers; its state moves only through the actions."""

    queryset = Equipment.objects.all()
    serializer_class = s.EquipmentSerializer
    filterset_class = filtersets.EquipmentFilterSet

    def _answer(self, equipment):
        equipment = Equipment.objects.get(pk=equipment.pk)
        return Response(s.EquipmentSerializer(equipment, context=self.get_serializer_context()).data)

    @extend_schema(request=s.IssueInputSerializer, responses={201: s.EquipmentIssueSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issued to a person or a team; the return is due `due_back_at` (400 when it is not in store)."""
        equipment = self.get_object()
        d = _valid(s.IssueInputSerializer, request)
        issue = services.issue_equipment(equipment, by=request.user, person=d.get("person"), team=d.get("team"),
                                         purpose=d["purpose"], due_back_at=d["due_back_at"], note=d.get("note", ""),
                                         client_uuid=d.get("client_uuid"))
        return Response(s.EquipmentIssueSerializer(issue, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReturnInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Returned in the condition found (400 when it is not issued)."""
        d = _valid(s.ReturnInputSerializer, request)
        return self._answer(services.return_equipment(self.get_object(), by=request.user, condition=d["condition"],
                                                      note=d.get("note", "")).equipment)

    @extend_schema(request=s.ReturnInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        d = _valid(s.ReturnInputSerializer, request)
        return self._answer(services.check_equipment(self.get_object(), by=request.user, condition=d["condition"],
                                                     note=d.get("note", "")))

    def _noted(self, request, verb):
        d = _valid(s.NoteInputSerializer, request)
        return self._answer(verb(self.get_object(), by=request.user, note=d.get("note", "")))

    @extend_schema(request=s.NoteInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def repair(self, request, pk=None):
        return self._noted(request, services.send_to_repair)

    @extend_schema(request=s.NoteInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def repaired(self, request, pk=None):
        return self._noted(request, services.back_from_repair)

    @extend_schema(request=s.NoteInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        return self._noted(request, services.report_lost)

    @extend_schema(request=s.NoteInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def found(self, request, pk=None):
        return self._noted(request, services.found_again)

    @extend_schema(request=s.NoteInputSerializer, responses=s.EquipmentSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._noted(request, services.retire)


class EquipmentIssueViewSet(_ReadOnly):
    queryset = EquipmentIssue.objects.all()
    serializer_class = s.EquipmentIssueSerializer
    filterset_class = filtersets.EquipmentIssueFilterSet
    select_related = ("cause_type",)


class EquipmentEventViewSet(_ReadOnly):
    queryset = EquipmentEvent.objects.all()
    serializer_class = s.EquipmentEventSerializer
    filterset_class = filtersets.EquipmentEventFilterSet


# --- the reserve team ---------------------------------------------------------------------------

class AssemblyPointViewSet(ScopedViewSet):
    queryset = AssemblyPoint.objects.all()
    serializer_class = s.AssemblyPointSerializer
    filterset_class = filtersets.AssemblyPointFilterSet


class CallOutViewSet(_ReadOnly):
    """Call-outs of a reserve team with their shares against the policy's targets. POST calls the
    team out; `checkin` records arrivals at the assembly point; `close` ends it."""

    queryset = CallOut.objects.all()
    serializer_class = s.CallOutSerializer
    filterset_class = filtersets.CallOutFilterSet
    select_related = ("cause_type",)

    def _answer(self, callout, code=status.HTTP_200_OK):
        return Response(s.CallOutSerializer(CallOut.objects.get(pk=callout.pk),
                                            context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.CallOutInputSerializer, responses={201: s.CallOutSerializer, 200: s.CallOutSerializer})
    def create(self, request, *args, **kwargs):
        found = _replayed_first(CallOut, request, "client_uuid")
        if found is not None:
            return self._answer(found)
        d = _valid(s.CallOutInputSerializer, request)
        callout = services.call_out(d["team"], by=request.user, kind=d["kind"], message=d.get("message", ""),
                                    client_uuid=d.get("client_uuid"))
        return self._answer(callout, status.HTTP_201_CREATED)

    @extend_schema(request=s.AssemblyCheckInSerializer, responses=s.CallOutSerializer)
    @action(detail=True, methods=["post"])
    def checkin(self, request, pk=None):
        callout = self.get_object()
        d = _valid(s.AssemblyCheckInSerializer, request)
        services.check_in(callout, d["persons"], by=request.user, at=d.get("at"))
        return self._answer(callout)

    @extend_schema(request=None, responses=s.CallOutSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.close_callout(self.get_object(), by=request.user))


class AcknowledgementViewSet(_ReadOnly):
    """Each member's answer to a call-out. POST is the member's acknowledgement from his phone
    (his own answer only: 403 for anyone not called out by it), idempotent by client UUID."""

    queryset = CallOutAnswer.objects.all()
    serializer_class = s.CallOutAnswerSerializer
    filterset_class = filtersets.CallOutAnswerFilterSet
    select_related = ("person",)

    def check_permissions(self, request):
        """A member answers his own call-outs by his duty, without the right to add (403 before
        the body is read for anyone who is neither called out nor may add)."""
        user = request.user
        if (self.action == "create" and user.is_authenticated
                and CallOutAnswer.objects.filter(person__user=user).exists()):
            return
        super().check_permissions(request)

    @extend_schema(request=s.AcknowledgeInputSerializer,
                   responses={201: s.CallOutAnswerSerializer, 200: s.CallOutAnswerSerializer})
    def create(self, request, *args, **kwargs):
        found = _replayed_first(CallOutAnswer, request, "client_uuid")
        if found is not None:
            return Response(s.CallOutAnswerSerializer(found, context=self.get_serializer_context()).data)
        d = _valid(s.AcknowledgeInputSerializer, request)
        callout = CallOut.objects.restrict(request.user, "view").filter(pk=d["callout"]).first()
        if callout is None:
            raise NotFound(_("No such call-out for you."))
        answer, created = services.acknowledge(request.user, callout=callout, client_uuid=d["client_uuid"],
                                               device_time=d.get("device_time"))
        return Response(s.CallOutAnswerSerializer(answer, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- points -------------------------------------------------------------------------------------

class EvacuationPointViewSet(ScopedViewSet):
    queryset = EvacuationPoint.objects.all()
    serializer_class = s.EvacuationPointSerializer
    filterset_class = filtersets.EvacuationPointFilterSet
    select_related = ("jurisdiction",)


class PointVehicleViewSet(ScopedViewSet):
    queryset = PointVehicle.objects.all()
    serializer_class = s.PointVehicleSerializer
    filterset_class = filtersets.PointVehicleFilterSet


class PointCheckViewSet(_ReadOnly):
    queryset = PointCheck.objects.all()
    serializer_class = s.PointCheckSerializer
    filterset_class = filtersets.PointCheckFilterSet

    @extend_schema(request=s.PointCheckSerializer, responses={201: s.PointCheckSerializer})
    def create(self, request, *args, **kwargs):
        """A check of a point; a failed one (with its findings) makes the point unavailable."""
        d = _valid(s.PointCheckSerializer, request)
        check = services.check_point(d["point"], by=request.user, passed=d["passed"], findings=d.get("findings", ""),
                                     on=d.get("checked_on"))
        return Response(s.PointCheckSerializer(check, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class PointOpeningViewSet(_ReadOnly):
    """Points opened (shown on the live board), their occupancy, and their closing."""

    queryset = PointOpening.objects.all()
    serializer_class = s.PointOpeningSerializer
    filterset_class = filtersets.PointOpeningFilterSet
    select_related = ("cause_type",)

    def _answer(self, opening, code=status.HTTP_200_OK):
        return Response(s.PointOpeningSerializer(PointOpening.objects.get(pk=opening.pk),
                                                 context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.PointOpeningSerializer, responses={201: s.PointOpeningSerializer})
    def create(self, request, *args, **kwargs):
        d = _valid(s.PointOpeningSerializer, request)
        opening = services.open_point(d["point"], by=request.user, occupancy=d.get("occupancy", 0),
                                      note=d.get("note", ""))
        return self._answer(opening, status.HTTP_201_CREATED)

    @extend_schema(request=s.OccupancyInputSerializer, responses=s.PointOpeningSerializer)
    @action(detail=True, methods=["post"])
    def occupancy(self, request, pk=None):
        d = _valid(s.OccupancyInputSerializer, request)
        return self._answer(services.set_occupancy(self.get_object(), d["occupancy"], by=request.user))

    @extend_schema(request=None, responses=s.PointOpeningSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._answer(services.close_point(self.get_object(), by=request.user))


def register(router):
    """Register this app's viewsets under resources/... (api/urls.py calls it)."""
    for prefix, viewset, basename in (
        ("items", SupplyItemViewSet, "item"),
        ("stores", StoreViewSet, "store"),
        ("lots", LotViewSet, "lot"),
        ("movements", SupplyMovementViewSet, "movement"),
        ("stocktakes", StockTakeViewSet, "stocktake"),
        ("equipment", EquipmentViewSet, "equipment"),
        ("equipment-issues", EquipmentIssueViewSet, "equipment-issue"),
        ("equipment-log", EquipmentEventViewSet, "equipment-log"),
        ("assembly-points", AssemblyPointViewSet, "assembly-point"),
        ("callouts", CallOutViewSet, "callout"),
        ("acknowledgements", AcknowledgementViewSet, "acknowledgement"),
        ("points", EvacuationPointViewSet, "point"),
        ("vehicles", PointVehicleViewSet, "vehicle"),
        ("point-checks", PointCheckViewSet, "point-check"),
        ("openings", PointOpeningViewSet, "opening"),
    ):
        router.register(f"resources/{prefix}", viewset, basename=f"resources-{basename}")
