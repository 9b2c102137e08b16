from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ..choices import ChangeAction, ChangeSource
from ..names import user_display
from ..scope import ScopedQuerySet


class ChangeLogQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The change log cannot be changed.")

    def delete(self):
        raise PermissionDenied("The change log cannot be changed.")


class ChangeLogEntry(models.Model):
    """One row per create, update or delete of a tracked record. Append-only."""

    permission_area = "audit"
    # Scope follows the node's identity, resolved through the tree when read: a node's path
    # changes when a sibling is added before it (siblings are ordered by code).
    scope_path_lookup = "jurisdiction__path"

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"), db_constraint=False,
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=ChangeSource.choices)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    jurisdiction = models.ForeignKey("core.Jurisdiction", on_delete=models.DO_NOTHING, db_constraint=False,
                                     null=True, blank=True, related_name="+", verbose_name=_("jurisdiction"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "time"], name="changelog_object_idx")]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    @property
    def jurisdiction_path(self) -> str:
        """The node's path as the tree has it now ("" when the node is gone)."""
        node = self.jurisdiction if self.jurisdiction_id else None
        try:
            return node.path if node is not None else ""
        except Exception:  # noqa: BLE001 - the node was deleted (no constraint keeps it)
            return ""

    @property
    def scope_path(self) -> str:
        return self.jurisdiction_path

    @property
    def who(self) -> str:
        """The person behind the account (吴丽华, not `office`); the login name when the
        account has no person or is gone."""
        user = self.user if self.user_id else None
        try:
            return user_display(user) if user is not None else self.user_name
        except Exception:  # noqa: BLE001 - the account was deleted (no constraint keeps it)
            return self.user_name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The change log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The change log cannot be changed.")

    @property
    def changed_fields(self):
        """(label, before, after) of what changed, as people read it: the field's label, a choice's
        label, bookkeeping (ids, timestamps) and a new record's empty fields left out."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class() if self.content_type_id else None
        rows = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if key in BOOKKEEPING or old == new or (not before and new in (None, "", [], {})):
                continue
            field = _field_of(model, key)
            if field is None:
                rows.append((key, old, new))
                continue
            if _internal(model, field):
                continue
            shown = getattr(model, "changelog_value", None) or (lambda name, value: None)
            rows.append((str(field.verbose_name), *(shown(field.name, v) or _shown(field, v) for v in (old, new))))
        return rows


# ids, stamps and the idempotency keys of retried submissions (client_uuid, key): no fact anyone reads
BOOKKEEPING = {"id", "created_at", "updated_at", "client_uuid", "sweep_token"}


def _internal(model, field):
    """Bookkeeping people never read: a field the model hides from its history, or one without a
    label of its own (Django's default label is the column name)."""
    return field.name in getattr(model, "changelog_hidden", ()) or field._verbose_name is None


def _field_of(model, key):
    if model is None:
        return None
    for name in (key, key[:-3] if key.endswith("_id") else None):
        if not name:
            continue
        try:
            return model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist or a reverse relation: keep the key
            continue
    return None


def _shown(field, value):
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices and value in choices:
        return choices[value]
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return f"#{value}"
        return user_display(related) if isinstance(related, AbstractBaseUser) else str(related)
    return _plain(value)


def _plain(value):
    """A JSON value in words: a mapping as "key：value" parts, a list joined with 、."""
    if isinstance(value, dict):
        return "；".join(f"{k}：{_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(str(_plain(v)) for v in value)
    return value
