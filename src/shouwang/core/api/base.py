"""API base classes: scoped querysets, model validation, writes re-checked in their transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from ..filtersets import users_in_scope
from ..ids import as_id
from ..scope import ScopedQuerySet, can_at, nodes_where, refusal
from .exceptions import as_drf_validation_error
from .fields import SiteModelSerializer


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the user (or writable, for the node itself)."""

    default_error_messages = {
        "does_not_exist": _("Record {pk_value} does not exist or is outside your jurisdiction."),
    }

    def __init__(self, *args, action="view", area=None, **kwargs):
        self.scope_action = action
        self.scope_area = area
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if self.scope_area:  # the node a record is written to
            return nodes_where(user, self.scope_area, self.scope_action)
        if isinstance(qs, ScopedQuerySet):
            return qs.restrict(user, self.scope_action)
        if qs is not None and qs.model is get_user_model():
            return users_in_scope(user).filter(pk__in=qs.values("pk"))
        return qs

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            seen = self.scope_area and as_id(data) and nodes_where(self._user(), self.scope_area, "view").filter(
                pk=as_id(data)).values_list("path", flat=True).first()
            if seen:  # a node he sees where his role may not write: say so, not "outside"
                raise serializers.ValidationError(refusal(self._user(), self.scope_area, seen)) from None
            raise

    def _user(self):
        return getattr(self.context.get("request"), "user", None)


class ScopedModelSerializer(SiteModelSerializer):
    """Related fields limited to the user's scope; model.clean() runs as in forms."""

    serializer_related_field = ScopedRelatedField

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if field_name == "jurisdiction" and field_class is ScopedRelatedField:
            kwargs["area"] = self.Meta.model.permission_area
            kwargs["action"] = "change" if self.instance is not None else "add"
        return field_class, kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = model(**{k: v for k, v in attrs.items() if not _is_many(model, k)})
        if self.instance is not None:
            for f in model._meta.concrete_fields:
                if f.name not in attrs:
                    setattr(instance, f.attname, getattr(self.instance, f.attname))
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return attrs


def _is_many(model, name):
    try:
        return model._meta.get_field(name).many_to_many
    except Exception:
        return False


class ScopedViewSet(viewsets.ModelViewSet):
    """Lists and reads limited to scope (404 outside it); writes checked inside their transaction."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        qs = self.queryset.model._default_manager.restrict(self.request.user, "view")
        return qs.select_related(*self.select_related) if self.select_related else qs

    def _checked_save(self, serializer, action):
        with transaction.atomic():
            try:
                obj = serializer.save(**self.save_kwargs(action))
            except DjangoValidationError as exc:
                raise as_drf_validation_error(exc) from exc
            if not can_at(self.request.user, self.queryset.model.permission_area, action, obj.scope_path):
                raise PermissionDenied(refusal(self.request.user, self.queryset.model.permission_area, obj.scope_path))
        return obj

    def save_kwargs(self, action):
        return {}

    def perform_create(self, serializer):
        self._checked_save(serializer, "add")

    def perform_update(self, serializer):
        self._checked_save(serializer, "change")

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()
