"""Automatic change log: signals write one row per change, the context says who and why.

Requests open the context in middleware; commands, tasks and the scheduler open it with
`change_context(...)`. Nothing depends on a view remembering to log.
"""

import contextlib
import json
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from .choices import ChangeAction, ChangeSource


# Read from the app registry when used: this module is imported while settings configure
# logging (the request-id filter), before any model can be imported.
def _entries():
    return apps.get_model("core", "ChangeLogEntry")


def _content_type(model):
    return apps.get_model("contenttypes", "ContentType").objects.get_for_model(model, for_concrete_model=False)


@dataclass
class ChangeContext:
    source: str = ChangeSource.SYSTEM
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    request: object | None = None  # user read lazily: DRF authenticates after middleware
    user: object | None = None

    def current_user(self):
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_context: ContextVar[ChangeContext | None] = ContextVar("shouwang_change_context", default=None)


def current() -> ChangeContext:
    return _context.get() or ChangeContext()


@contextlib.contextmanager
def change_context(source=ChangeSource.SYSTEM, user=None, request=None, request_id=None):
    token = _context.set(
        ChangeContext(source=source, user=user, request=request, request_id=request_id or uuid.uuid4())
    )
    try:
        yield _context.get()
    finally:
        _context.reset(token)


def is_tracked(model) -> bool:

    if model is _entries() or model._meta.abstract:
        return False
    if model is get_user_model():
        return True
    return hasattr(model, "permission_area")


_USER_EXCLUDE = ("password", "last_login")


def snapshot(instance) -> dict:
    # Round-trip through JSON so dates, decimals and UUIDs are stored as text.
    return json.loads(_snapshot_json(instance))


def _snapshot_json(instance) -> str:
    # updated_at moves on every save; it says nothing the row's own time does not.
    exclude = {"updated_at", *getattr(instance, "changelog_exclude", ())}
    if isinstance(instance, get_user_model()):
        exclude |= set(_USER_EXCLUDE)
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude:
            continue
        data[f.attname] = f.value_from_object(instance)
    extra = getattr(instance, "changelog_snapshot_extra", None)
    if extra:
        data.update(extra())
    return json.dumps(data, cls=DjangoJSONEncoder)


def _node_of(instance):
    """The id of the node whose scope the record is in (None for users and unscoped records)."""
    if type(instance) is apps.get_model("core", "Jurisdiction"):
        return instance.pk
    try:
        node = getattr(instance, "scope_node_id", None)
        return node if node is not None else getattr(instance, "jurisdiction_id", None)
    except Exception:  # noqa: BLE001 - a record whose node is gone
        return None


def record(instance, action, before=None, after=None, node=None):


    if action == ChangeAction.UPDATE and before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return None
        before = {k: before.get(k) for k in changed}
        after = {k: after.get(k) for k in changed}
    ctx = current()
    user = ctx.current_user()
    return _entries().objects.create(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=_content_type(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        jurisdiction_id=node if node is not None else _node_of(instance),
        before=before,
        after=after,
    )


_BULK_COLUMNS = ("time", "user_id", "user_name", "request_id", "source", "action", "content_type_id", "object_id",
                 "object_repr", "jurisdiction_id", "before", "after")


def record_created(instances, user=None):
    """`create` rows for records inserted in bulk (`bulk_create` sends no signals).

    The same rows the signals would write one by one (user, request id, source, snapshot),
    written in one statement: COPY on PostgreSQL, one prepared INSERT run for all rows
    elsewhere. `user` defaults to the context's user.
    """


    instances = list(instances)
    if not instances:
        return
    ctx = current()
    user = user if user is not None else ctx.current_user()
    user_id, user_name = (user.pk, user.get_username()) if user is not None else (None, "")
    ct_ids = {}
    now = timezone.now()
    rows = []
    for instance in instances:
        model = type(instance)
        if model not in ct_ids:
            ct_ids[model] = _content_type(model).pk
        rows.append((now, user_id, user_name, ctx.request_id, str(ctx.source), str(ChangeAction.CREATE), ct_ids[model],
                     str(instance.pk), str(instance)[:200], _node_of(instance), None, _snapshot_json(instance)))
    connection = connections[router.db_for_write(_entries())]
    if connection.vendor == "postgresql" and len(rows) > 1:
        columns = ", ".join(connection.ops.quote_name(c) for c in _BULK_COLUMNS)
        with connection.cursor() as cursor, connection.wrap_database_errors, cursor.copy(
                f"COPY {connection.ops.quote_name(_entries()._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Elsewhere one prepared INSERT run for all rows (the ORM's bulk_create would build a model and
    # compile every field of every row); the snapshot is JSON text already.
    meta = _entries()._meta
    fields = [meta.get_field(c) for c in _BULK_COLUMNS[:10]]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in _BULK_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(_BULK_COLUMNS))})")
    params = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row[:10], strict=True)] + [row[10], row[11]]
              for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not is_tracked(sender):
        return
    instance._changelog_before = None
    if instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).first()
        if old is not None:
            instance._changelog_before = snapshot(old)


def _post_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not is_tracked(sender):
        return
    before = getattr(instance, "_changelog_before", None)
    if created or before is None:
        record(instance, ChangeAction.CREATE, None, snapshot(instance))
    else:
        record(instance, ChangeAction.UPDATE, before, snapshot(instance))
    instance._changelog_before = None


def _pre_delete(sender, instance, **kwargs):
    if is_tracked(sender):
        instance._changelog_deleted = (snapshot(instance), _node_of(instance))


def _post_delete(sender, instance, **kwargs):
    if not is_tracked(sender):
        return
    before, node = getattr(instance, "_changelog_deleted", (snapshot(instance), None))
    record(instance, ChangeAction.DELETE, before, None, node=node)


def connect_signals():
    pre_save.connect(_pre_save, dispatch_uid="shouwang_changelog_pre_save")
    post_save.connect(_post_save, dispatch_uid="shouwang_changelog_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="shouwang_changelog_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="shouwang_changelog_post_delete")
