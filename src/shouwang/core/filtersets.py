"""One FilterSet per model serves the page filters, the API parameters and the tests."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    ChangeLogEntry,
    Contact,
    Group,
    Jurisdiction,
    Membership,
    Person,
    RoleAssignment,
    Unit,
)


def _nodes_in_scope(request):
    if request is None:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.restrict(request.user, "view")


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """`?node=<id>`: records on that node and everything below it."""

    def __init__(self, *args, path_lookup="jurisdiction__path", **kwargs):
        kwargs.setdefault("queryset", _nodes_in_scope)
        kwargs.setdefault("label", _("node (with subtree)"))
        self.path_lookup = path_lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_lookup}__startswith": value.path})


class ScopedFilterSet(django_filters.FilterSet):
    node = SubtreeFilter()


class JurisdictionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    node = SubtreeFilter(path_lookup="path")

    class Meta:
        model = Jurisdiction
        fields = ["level"]

    def search(self, qs, name, value):

        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))


class UnitFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Unit
        fields = ["kind"]


class PersonFilterSet(ScopedFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Person
        fields = ["kind", "unit", "active"]


class GroupFilterSet(ScopedFilterSet):
    class Meta:
        model = Group
        fields = ["kind", "working_kind"]


class ContactFilterSet(ScopedFilterSet):
    class Meta:
        model = Contact
        fields = []


class RoleAssignmentFilterSet(ScopedFilterSet):
    class Meta:
        model = RoleAssignment
        fields = ["role", "user"]


class ChangeLogFilterSet(django_filters.FilterSet):
    node = SubtreeFilter(path_lookup="jurisdiction__path")
    since = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="lt", label=_("until"))

    class Meta:
        model = ChangeLogEntry
        fields = ["action", "source", "user", "request_id"]


class MembershipFilterSet(ScopedFilterSet):
    class Meta:
        model = Membership
        fields = ["group", "person", "position"]
