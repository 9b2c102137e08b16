from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import filtersets
from ..models import (
    ChangeLogEntry,
    Contact,
    Group,
    Holiday,
    Jurisdiction,
    Membership,
    Person,
    RoleAssignment,
    Unit,
)
from ..services import move_node
from ..views.system import locked_out
from . import serializers as s
from .base import ScopedViewSet


class JurisdictionViewSet(ScopedViewSet):
    queryset = Jurisdiction.objects.all()
    serializer_class = s.JurisdictionSerializer
    filterset_class = filtersets.JurisdictionFilterSet
    action_rights = {"move": "change"}

    @extend_schema(request=s.MoveSerializer, responses=s.JurisdictionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        node = self.get_object()
        payload = s.MoveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        node = move_node(node, payload.validated_data["parent"])
        return Response(s.JurisdictionSerializer(node, context={"request": request}).data)


class UnitViewSet(ScopedViewSet):
    queryset = Unit.objects.all()
    serializer_class = s.UnitSerializer
    filterset_class = filtersets.UnitFilterSet


class PersonViewSet(ScopedViewSet):
    queryset = Person.objects.all()
    serializer_class = s.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class GroupViewSet(ScopedViewSet):
    queryset = Group.objects.prefetch_related("memberships")
    serializer_class = s.GroupSerializer
    filterset_class = filtersets.GroupFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("memberships")


class MembershipViewSet(ScopedViewSet):
    queryset = Membership.objects.all()
    serializer_class = s.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet


class ContactViewSet(ScopedViewSet):
    queryset = Contact.objects.all()
    serializer_class = s.ContactSerializer
    filterset_class = filtersets.ContactFilterSet


class RoleAssignmentViewSet(ScopedViewSet):
    queryset = RoleAssignment.objects.all()
    serializer_class = s.RoleAssignmentSerializer
    filterset_class = filtersets.RoleAssignmentFilterSet


class HolidayViewSet(ScopedViewSet):
    """The holiday calendar: public holidays, school holidays and sensitive periods per node."""

    queryset = Holiday.objects.all()
    serializer_class = s.HolidaySerializer
    filterset_class = filtersets.HolidayFilterSet
    select_related = ("jurisdiction",)


class ChangeLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The change log: read-only through the product."""

    queryset = ChangeLogEntry.objects.all()
    serializer_class = s.ChangeLogEntrySerializer
    filterset_class = filtersets.ChangeLogFilterSet

    def get_queryset(self):
        return ChangeLogEntry.objects.restrict(self.request.user, "view").select_related("content_type")


class TokenView(ObtainAuthToken):
    """`POST /api/token/`: a token for a user name and password, throttled like the login page
    (django-axes marks the DRF request as locked out; the answer is 429 JSON, not 400)."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "axes_locked_out", False):
                return locked_out(request._request)
            raise
