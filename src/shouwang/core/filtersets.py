"""One FilterSet per model serves the page filters, the API parameters and the tests."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .api.fields import plausible
from .ids import as_id
from .models import (
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
from .scope import can


def _nodes_in_scope(request):
    if request is None:
        return Jurisdiction.objects.all()
    return Jurisdiction.objects.restrict(request.user, "view")


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(django_filters.ModelChoiceFilter):
    """`?node=<id>`: records on that node and everything below it (an integer id in the schema)."""

    def __init__(self, *args, path_lookup="jurisdiction__path", **kwargs):
        kwargs.setdefault("queryset", _nodes_in_scope)
        kwargs.setdefault("label", _("node (with subtree)"))
        self.path_lookup = path_lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_lookup}__startswith": value.path})


def users_in_scope(user):
    """The accounts a user may see named in choices: those with a role or a person record on a
    node in the user's scope (a superuser sees all)."""
    User = get_user_model()
    if user is None or not user.is_authenticated:
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    nodes = Jurisdiction.objects.restrict(user, "view")
    mine = Q(role_assignments__jurisdiction__in=nodes) | Q(person__jurisdiction__in=nodes) | Q(pk=user.pk)
    if can(user, "access", "add"):  # who gives roles also sees new accounts not attached anywhere yet
        mine |= Q(role_assignments__isnull=True, person__isnull=True)
    return User.objects.filter(mine).distinct()


class ScopedChoicesFilterSet(django_filters.FilterSet):
    """Every choice of a record in a filter (a dropdown on the page, a parameter in the API) is
    limited to the user's scope, declared or generated, so no filter lists another community's
    people, places or records."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            # a form field built on the class's own filter (the API schema reads it there, without the
            # model) is copied into every filterset: built again here, the label is the model field's
            # verbose name in the reader's language, not "Kind" made from the parameter's name
            f.__dict__.pop("_field", None)
            if not isinstance(f, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                continue
            qs = f.queryset(request) if callable(f.queryset) else f.queryset
            if qs is None:
                continue
            if qs.model is get_user_model():
                f.queryset = users_in_scope(user).filter(pk__in=qs.values("pk"))
            elif hasattr(qs, "restrict"):
                f.queryset = qs.restrict(user, "view") if user is not None else qs.none()


    @property
    def form(self):
        """A record named by something that cannot be an id (letters, a 30-digit number) is a
        field error (400 in the API, the message on the page), never an overflow in the database."""
        form = super().form
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not getattr(field, "_ids_checked", False):
                field._ids_checked = True
                field.clean = _ids_first(field.clean, field)
            if isinstance(field, forms.NullBooleanField) and isinstance(field.widget, forms.NullBooleanSelect):
                # an unset yes/no filter reads 全部, not 未知 (its value stays "unknown": the same URLs work)
                field.widget.choices = [("unknown", _("All")), ("true", _("yes")), ("false", _("no"))]
            if isinstance(field, forms.DateTimeField) and not getattr(field, "_time_checked", False):
                field._time_checked = True
                field.clean = _plausible_time(field.clean)
        return form


def _ids_first(clean, field):
    def checked(value):
        values = value if isinstance(value, list | tuple) else [value]
        if any(v not in field.empty_values and as_id(v) is None for v in values):
            raise ValidationError(_("Not a record id."), code="invalid_choice")
        return clean(value)

    return checked


def _plausible_time(clean):
    """A time not plausible (core.api.fields) is a field error, not a database error."""
    def checked(value):
        moment = clean(value)
        if moment is not None and not plausible(moment):
            raise ValidationError(_("Not a plausible date."), code="invalid")
        return moment

    return checked


class ScopedFilterSet(ScopedChoicesFilterSet):
    node = SubtreeFilter()


class JurisdictionFilterSet(ScopedChoicesFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    node = SubtreeFilter(path_lookup="path")

    class Meta:
        model = Jurisdiction
        fields = ["level"]

    def search(self, qs, name, value):

        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))


class UnitFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"), help_text=_("Name, address or phone."))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Unit
        fields = ["kind"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(address__icontains=value) | Q(phone__icontains=value))


class PersonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"), help_text=_("Name or phone."))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))

    class Meta:
        model = Person
        fields = ["kind", "unit", "active"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(phone__icontains=value) | Q(title__icontains=value))


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


class HolidayFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(method="in_year", label=_("year"),
                                       help_text=_("Holidays with a day in this year."))
    on = django_filters.DateFilter(method="covering", label=_("on"), help_text=_("Holidays covering this day."))

    class Meta:
        model = Holiday
        fields = ["kind"]

    def in_year(self, qs, name, value):
        if not 1900 <= int(value) <= 2999:
            return qs.none()
        return qs.filter(starts_on__year__lte=int(value), ends_on__year__gte=int(value))

    def covering(self, qs, name, value):
        return qs.filter(starts_on__lte=value, ends_on__gte=value)


class ChangeLogFilterSet(ScopedChoicesFilterSet):
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
