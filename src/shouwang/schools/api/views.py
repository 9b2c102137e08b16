"""The API of schools under /api/schools/: every list restricted to the user's scope and his
school (a school's security staff and leaders see their own school's records, nothing of another
school's), every write through the services, errors as JSON with field messages. Reads of the
visitor and vehicle logs are logged.

The school's people write without a role on the node: their right comes from the school (its
security staff and leaders), from a visitor they host, a class they teach or a gate roster they are
on (`SchoolPeoplePermission`); the service checks each record."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.api.exceptions import as_drf_validation_error
from shouwang.core.api.permissions import RolePermission
from shouwang.core.idempotency import KeyTaken
from shouwang.core.models import Person

from .. import filtersets, queries, services
from ..choices import ReadChannel
from ..models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    KeySpot,
    PupilClass,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)
from ..models.school import SCHOOL_KINDS
from . import serializers as s


def is_school_person(user) -> bool:
    """Someone a school's records may name as acting: its security staff or leaders, a person of a
    school (a host, a teacher), a class teacher, or a person on a school's roster."""
    if not user or not user.is_authenticated:
        return False
    return Person.objects.filter(user=user).filter(
        Q(unit__kind__in=SCHOOL_KINDS) | Q(schools_guarded__isnull=False) | Q(schools_led__isnull=False)
        | Q(school_classes__isnull=False) | Q(rosters__schools__isnull=False)).exists()


class SchoolPeoplePermission(RolePermission):
    """The role's verb on the node, or (for writes the services check record by record) a person of
    a school; anyone else is refused before his payload is read."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) or is_school_person(request.user)

    def has_object_permission(self, request, view, obj):
        return True  # found in the view's queryset (his scope and his school); the services check writes


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SchoolPeoplePermission]
    select_related: tuple = ()
    prefetch_related: tuple = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs if qs.ordered else qs.order_by("pk")


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def _service(call):
    try:
        return call()
    except KeyTaken:  # someone else's client id: 409, nothing of the record (core.api.exceptions)
        raise
    except ValidationError as exc:
        raise as_drf_validation_error(exc) from exc


def _answer(serializer_class, record, created, context):
    return Response(serializer_class(record, context=context).data,
                    status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- profiles and their parts -----------------------------------------------------------------------

class SchoolViewSet(ScopedViewSet):
    """School profiles on units of kind school or kindergarten (the node is the unit's)."""

    queryset = School.objects.all()
    serializer_class = s.SchoolSerializer
    filterset_class = filtersets.SchoolFilterSet
    select_related = ("unit",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("security_staff", "leaders", "rosters").order_by("pk")

    @action(detail=True, methods=["get"])
    def today(self, request, pk=None):
        """The school's day: its gate windows with their state and the street view's colours."""
        school = self.get_object()
        day = queries.school_day(school)
        return Response({
            "school": school.pk, "day": day["day"], "colours": {k: str(v) for k, v in day["colours"].items()},
            "windows": [{"id": r.window.pk, "kind": r.window.kind, "state": r.state, "missing": [str(m) for m in r.missing]}
                        for r in day["windows"]],
            "staffing": {"required": day["staffing"].required, "on_staff": day["staffing"].on_staff,
                         "rostered": day["staffing"].rostered, "gatehouse_hours": day["staffing"].gatehouse_hours},
        })


class KeySpotViewSet(ScopedViewSet):
    queryset = KeySpot.objects.all()
    serializer_class = s.KeySpotSerializer
    filterset_class = filtersets.KeySpotFilterSet
    select_related = ("school__unit",)


class CameraViewSet(ScopedViewSet):
    queryset = Camera.objects.all()
    serializer_class = s.CameraSerializer
    filterset_class = filtersets.CameraFilterSet
    select_related = ("school__unit", "spot")


class PupilClassViewSet(ScopedViewSet):
    queryset = PupilClass.objects.all()
    serializer_class = s.PupilClassSerializer
    filterset_class = filtersets.PupilClassFilterSet
    select_related = ("school__unit", "teacher")


# --- gate duty --------------------------------------------------------------------------------------

class GateWindowViewSet(_ReadOnly):
    """The arrival and dismissal windows with their state (met when the three roles confirmed)."""

    queryset = GateWindow.objects.all()
    serializer_class = s.GateWindowSerializer
    filterset_class = filtersets.GateWindowFilterSet
    select_related = ("school__unit",)
    prefetch_related = ("confirmations__person",)

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        rows = getattr(self, "_page_rows", None)
        if rows is not None:
            ctx["states"] = {r.window.pk: r.state for r in queries.gate_rows(rows)}
        return ctx

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page_rows = page if page is not None else list(queryset)
        return page

    def retrieve(self, request, *args, **kwargs):
        self._page_rows = [self.get_object()]
        return super().retrieve(request, *args, **kwargs)


class GateConfirmationViewSet(_ReadOnly):
    """Each role's one tap at the gate, with where the phone was."""

    queryset = GateConfirmation.objects.all()
    serializer_class = s.GateConfirmationSerializer
    filterset_class = filtersets.GateConfirmationFilterSet
    select_related = ("school__unit", "person")

    @extend_schema(request=s.GateInSerializer, responses={201: s.GateConfirmationSerializer,
                                                          200: s.GateConfirmationSerializer})
    def create(self, request, *args, **kwargs):
        """The person rostered in a role confirms he is at the gate: 201, 200 for the same client id
        again, 400 with the reason (not on the roster, the window closed), 409 for another's id."""
        record, created = _service(lambda: services.confirm_gate(request.user, _body(request)))
        return _answer(s.GateConfirmationSerializer, record, created, self.get_serializer_context())


# --- the logs (personal data) ----------------------------------------------------------------------

class _LoggedLog(_ReadOnly):
    what = ""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.log_read(request.user, getattr(self, "_shown", []), channel=ReadChannel.API, what=self.what)
        return response

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        services.log_read(request.user, [record], channel=ReadChannel.API, what=f"{self.what} {record.pk}")
        return Response(self.get_serializer(record).data)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown = page if page is not None else list(queryset)
        return page


class VisitorEntryViewSet(_LoggedLog):
    """The visitor log: registered at the gate (idempotent by client id), out once, confirmed by
    the host. Never edited or deleted by anyone: the retention job deletes it."""

    queryset = VisitorEntry.objects.all()
    serializer_class = s.VisitorEntrySerializer
    filterset_class = filtersets.VisitorEntryFilterSet
    select_related = ("school__unit", "host")
    what = "visitor log (API)"

    @extend_schema(request=s.VisitorInSerializer, responses={201: s.VisitorEntrySerializer,
                                                             200: s.VisitorEntrySerializer})
    def create(self, request, *args, **kwargs):
        """A visitor in: 201, 200 for the same client id again, 400 per field."""
        record, created = _service(lambda: services.register_visitor(request.user, _body(request)))
        return _answer(s.VisitorEntrySerializer, record, created, self.get_serializer_context())

    @extend_schema(request=s.VisitorOutSerializer, responses=s.VisitorEntrySerializer)
    @action(detail=False, methods=["post"])
    def out(self, request):
        """The visitor out (by his id or the client id he was registered with); a second time keeps
        the first."""
        record = _service(lambda: services.visitor_leaves(request.user, _body(request)))
        return Response(s.VisitorEntrySerializer(record, context=self.get_serializer_context()).data)

    @extend_schema(request=s.VisitorOutSerializer, responses=s.VisitorEntrySerializer)
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        """The host confirms his visitor (only the host)."""
        record = _service(lambda: services.host_confirms(request.user, _body(request)))
        return Response(s.VisitorEntrySerializer(record, context=self.get_serializer_context()).data)


class VehicleEntryViewSet(_LoggedLog):
    """The vehicle log: let in and out, or refused (an outside vehicle without a registration)."""

    queryset = VehicleEntry.objects.all()
    serializer_class = s.VehicleEntrySerializer
    filterset_class = filtersets.VehicleEntryFilterSet
    select_related = ("school__unit", "host")
    what = "vehicle log (API)"

    @extend_schema(request=s.VehicleSerializer, responses={201: s.VehicleEntrySerializer,
                                                           200: s.VehicleEntrySerializer})
    def create(self, request, *args, **kwargs):
        record, created = _service(lambda: services.record_vehicle(request.user, _body(request)))
        return _answer(s.VehicleEntrySerializer, record, created, self.get_serializer_context())

    @extend_schema(request=s.VehicleOutSerializer, responses=s.VehicleEntrySerializer)
    @action(detail=False, methods=["post"])
    def out(self, request):
        record = _service(lambda: services.vehicle_leaves(request.user, _body(request)))
        return Response(s.VehicleEntrySerializer(record, context=self.get_serializer_context()).data)


class VisitorReadViewSet(_ReadOnly):
    """Who read the visitor and vehicle logs, when, how many records (for the office)."""

    queryset = VisitorRead.objects.all()
    serializer_class = s.VisitorReadSerializer
    filterset_class = filtersets.VisitorReadFilterSet
    select_related = ("school__unit", "reader__person")


class PurgeViewSet(_ReadOnly):
    """The retention job's runs: how many records it deleted at which school."""

    queryset = Purge.objects.all()
    serializer_class = s.PurgeSerializer
    filterset_class = filtersets.PurgeFilterSet
    select_related = ("school__unit",)


# --- checks ---------------------------------------------------------------------------------------

class CameraCheckViewSet(_ReadOnly):
    """The daily camera checks; a failure's finding and order (inspections) named beside it."""

    queryset = CameraCheck.objects.all()
    serializer_class = s.CameraCheckSerializer
    filterset_class = filtersets.CameraCheckFilterSet
    select_related = ("school__unit", "camera", "finding__order")

    @extend_schema(request=s.CameraCheckInSerializer, responses={201: s.CameraCheckSerializer,
                                                                 200: s.CameraCheckSerializer})
    def create(self, request, *args, **kwargs):
        record, created = _service(lambda: services.check_camera(request.user, _body(request)))
        return _answer(s.CameraCheckSerializer, record, created, self.get_serializer_context())


class HandoverViewSet(_ReadOnly):
    """Young pupils' classes handed over at dismissal (class and time only)."""

    queryset = Handover.objects.all()
    serializer_class = s.PupilHandoverSerializer
    filterset_class = filtersets.HandoverFilterSet
    select_related = ("school__unit", "pupil_class")

    @extend_schema(request=s.HandoverInSerializer, responses={201: s.PupilHandoverSerializer, 200: s.PupilHandoverSerializer})
    def create(self, request, *args, **kwargs):
        record, created = _service(lambda: services.confirm_handover(request.user, _body(request)))
        return _answer(s.PupilHandoverSerializer, record, created, self.get_serializer_context())


# --- the phone's queue ------------------------------------------------------------------------------

PHONE_ACTIONS = {
    "visitor_in": (services.register_visitor, s.VisitorEntrySerializer, True),
    "visitor_out": (services.visitor_leaves, s.VisitorEntrySerializer, False),
    "host_confirm": (services.host_confirms, s.VisitorEntrySerializer, False),
    "vehicle": (services.record_vehicle, s.VehicleEntrySerializer, True),
    "vehicle_out": (services.vehicle_leaves, s.VehicleEntrySerializer, False),
    "gate": (services.confirm_gate, s.GateConfirmationSerializer, True),
    "camera": (services.check_camera, s.CameraCheckSerializer, True),
    "handover": (services.confirm_handover, s.PupilHandoverSerializer, True),
}


class PhoneViewSet(viewsets.GenericViewSet):
    """One address for the gate phone's offline queue, so that its items go in the order they were
    made (a visitor out after his way in): `type` names the action, the rest is its body."""

    permission_classes = [SchoolPeoplePermission]
    serializer_class = s.PhoneItemSerializer
    scope_model = VisitorEntry

    @extend_schema(request=s.PhoneItemSerializer, responses={201: dict, 200: dict})
    def create(self, request):
        data = _body(request)
        kind = data.get("type")
        if kind not in PHONE_ACTIONS:
            raise as_drf_validation_error(ValidationError({"type": [_("Not an action of the gate phone.")]}))
        service, serializer_class, returns_pair = PHONE_ACTIONS[kind]
        result = _service(lambda: service(request.user, data, received_at=timezone.now()))
        record, created = result if returns_pair else (result, False)
        return Response({"type": kind, "id": record.pk,
                         "record": serializer_class(record, context=self.get_serializer_context()).data},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def register(router):
    """Register this app's viewsets under schools/... (api/urls.py calls it)."""
    for prefix, viewset, basename in (
        ("schools", SchoolViewSet, "school"),
        ("spots", KeySpotViewSet, "spot"),
        ("cameras", CameraViewSet, "camera"),
        ("classes", PupilClassViewSet, "class"),
        ("gate-windows", GateWindowViewSet, "gate-window"),
        ("gate-confirmations", GateConfirmationViewSet, "gate-confirmation"),
        ("visitors", VisitorEntryViewSet, "visitor"),
        ("vehicles", VehicleEntryViewSet, "vehicle"),
        ("camera-checks", CameraCheckViewSet, "camera-check"),
        ("handovers", HandoverViewSet, "handover"),
        ("reads", VisitorReadViewSet, "read"),
        ("purges", PurgeViewSet, "purge"),
        ("phone", PhoneViewSet, "phone"),
    ):
        router.register(f"schools/{prefix}", viewset, basename=f"schools-{basename}")
