"""The append-only stock ledger: one mechanism for every stock the product keeps (registers'
hazardous stock at a key unit, resources' emergency supplies by store and lot).

A *balance* row holds a quantity that never goes below zero; it changes only by *movements*,
rows that are written once and never edited. Each movement moves a positive quantity in or out
(its model says which kinds add: `INBOUND`) and keeps the balance after it, so the balance
always equals the sum of its movements and every row of the ledger shows the running balance.

    post(Movement, entry, by=user, client_id=...)   one entry (one or more legs), all or nothing
    post_many(Movement, entries, by=user)           a batch: each entry stored or refused alone

An *entry* is a list of legs moved together (a transfer is an entry of two legs: out of one
balance, into another); if one leg would take its balance below zero, no leg of the entry is
written. A movement model with an `entry` column gets one id per entry on all its legs. A client id makes an entry idempotent: sent again by the same user it answers the
movements stored the first time; sent by someone else it is refused (`KeyTaken`).

Writes are batched: the balances of a batch are locked once (SELECT ... FOR UPDATE; SQLite's
IMMEDIATE transactions serialise writers), the movements inserted in one statement and logged
with `changelog.record_created`, each changed balance saved once and logged.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import changelog
from .bulk import bulk_insert
from .choices import ChangeAction
from .idempotency import KeyTaken, owned, replay

QUANTITY = {"max_digits": 14, "decimal_places": 3}
MAX_QUANTITY = Decimal("99999999999.999")


class Movement(models.Model):
    """The columns every ledger row has. A concrete movement adds the foreign key to its
    balance (named by `balance_field`), its `kind` (with the inbound kinds in `INBOUND`), and
    declares `movement_constraints(<prefix>)` in its Meta."""

    idempotency_owner = "recorded_by"  # who sent it: a retry with its client key is only theirs
    balance_field = "stock"
    INBOUND: frozenset = frozenset({"in"})

    quantity = models.DecimalField(gettext_lazy("quantity"), validators=[MinValueValidator(Decimal("0"))], **QUANTITY)
    at = models.DateTimeField(gettext_lazy("time"))
    balance_after = models.DecimalField(gettext_lazy("balance after"), **QUANTITY)
    description = models.TextField(gettext_lazy("description"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=gettext_lazy("recorded by"))
    client_id = models.UUIDField(gettext_lazy("client id"), null=True, blank=True, unique=True, default=None)

    class Meta:
        abstract = True

    @property
    def signed_quantity(self) -> Decimal:
        return self.quantity if self.kind in self.INBOUND else -self.quantity


def movement_constraints(prefix):
    """A movement moves a positive quantity and leaves a balance that is not negative."""
    return [
        models.CheckConstraint(condition=models.Q(quantity__gt=0), name=f"{prefix}_quantity_positive"),
        models.CheckConstraint(condition=models.Q(balance_after__gte=0), name=f"{prefix}_balance_non_negative"),
    ]


def parse_quantity(value, field_name="quantity") -> Decimal:
    """A positive quantity with at most three decimals, or a ValidationError on the field."""
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field_name: _("Give a number.")}) from exc
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({field_name: _("A movement moves a positive quantity.")})
    if quantity > MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
        raise ValidationError({field_name: _("Give a quantity with at most three decimals.")})
    return quantity


@dataclass
class Leg:
    """One movement of an entry: `balance` (the row or its id), its kind and quantity, and the
    movement's other columns (`at`, `description`, anything the concrete model has)."""

    balance: object
    kind: str
    quantity: Decimal
    fields: dict = field(default_factory=dict)

    @property
    def balance_id(self):
        return getattr(self.balance, "pk", self.balance)


@dataclass
class Outcome:
    """What became of an entry: its movements (stored now, or the first time for a replayed
    client id), or the refusal by field."""

    movements: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    replayed: bool = False

    @property
    def stored(self):
        return not self.errors


def _short_of(balance, left):
    unit = getattr(balance, "stock_unit", "")
    return _("Only %(left)s %(unit)s are in stock.") % {"left": _plain(left), "unit": unit}


def _plain(number: Decimal) -> str:
    """10.000 -> 10, 2.500 -> 2.5: how people write a quantity."""
    text = format(number.normalize(), "f")
    return text


def _balance_model(movement_model):
    return movement_model._meta.get_field(movement_model.balance_field).related_model


def _key(value):
    """A client id as the database gives it back (a UUID's canonical text), or None."""
    if value in (None, ""):
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationError({"client_id": _("Every submission needs a client id (UUID).")}) from None


def post_many(movement_model, entries, *, by=None, client_ids=None, now=None):
    """Post a batch of entries (each a list of `Leg`), in order, in one transaction. Each entry
    is stored whole or refused whole (`Outcome.errors`); a refused entry changes nothing and
    the entries after it go on. `client_ids`: one per entry (or None), for idempotency.

    Returns one `Outcome` per entry."""
    entries = [list(e) for e in entries]
    keys = [_key(k) for k in client_ids] if client_ids is not None else [None] * len(entries)
    balance_model = _balance_model(movement_model)
    now = now or timezone.now()
    outcomes = [Outcome() for _e in entries]
    with transaction.atomic():
        sent = {k for k in keys if k}
        mine, taken = owned(movement_model, by, sent, field="client_id") if sent else ({}, set())
        answered = {}  # key -> the movements stored under it (earlier, or earlier in this batch)
        for row in movement_model._default_manager.filter(pk__in=list(mine.values())):
            answered[str(row.client_id)] = _entry_rows(movement_model, row)
        ids = {leg.balance_id for entry in entries for leg in entry}
        locked = balance_model._default_manager.select_for_update(of=("self",))
        related = getattr(balance_model, "stock_select_related", ())
        balances = (locked.select_related(*related) if related else locked).in_bulk(list(ids))
        before = {pk: changelog.snapshot(b) for pk, b in balances.items()}
        running = {pk: b.quantity for pk, b in balances.items()}
        pending, keeps_entry = [], _keeps(movement_model, "entry")
        for outcome, entry, key in zip(outcomes, entries, keys, strict=True):
            if key in taken:
                outcome.errors = KeyTaken().message_dict
                continue
            if key in answered:
                outcome.replayed, outcome.movements = True, answered[key]
                continue
            errors, trial, rows = _apply(movement_model, entry, balances, running, by, now)
            if errors:
                outcome.errors = errors
                continue
            if key:
                rows[0].client_id = key  # the entry's key on its first leg (a key is unique)
                answered[key] = rows
            if keeps_entry and len(rows) > 1:
                entry_id = uuid.uuid4()
                for row in rows:
                    row.entry = entry_id
            running.update(trial)
            outcome.movements = rows
            pending.extend(rows)
        if pending:
            bulk_insert(pending)
            changelog.record_created(pending, user=by)
        changed = [b for pk, b in balances.items() if running[pk] != b.quantity]
        for balance in changed:
            balance.quantity = running[balance.pk]
            balance.updated_at = now
        if changed:
            balance_model._default_manager.bulk_update(changed, ["quantity", "updated_at"])
            for balance in changed:
                changelog.record(balance, ChangeAction.UPDATE, before[balance.pk], changelog.snapshot(balance))
    return outcomes


def _apply(movement_model, entry, balances, running, by, now):
    """The entry tried on the running balances: (errors, new balances, unsaved rows)."""
    trial, rows = {}, []
    if not entry:
        return {"quantity": [_("Nothing to move.")]}, trial, rows
    for leg in entry:
        balance = balances.get(leg.balance_id)
        if balance is None:
            return {movement_model.balance_field: [_("This stock does not exist.")]}, trial, rows
        try:
            quantity = parse_quantity(leg.quantity)
        except ValidationError as exc:
            return exc.message_dict, trial, rows
        left = trial.get(balance.pk, running[balance.pk])
        after = left + quantity if leg.kind in movement_model.INBOUND else left - quantity
        if after < 0:
            return {"quantity": [_short_of(balance, left)]}, trial, rows
        if after > MAX_QUANTITY:
            return {"quantity": [_("The balance would be too large.")]}, trial, rows
        trial[balance.pk] = after
        fields = {"at": now, **leg.fields}
        row = movement_model(kind=leg.kind, quantity=quantity, balance_after=after, recorded_by=by,
                             jurisdiction_id=balance.jurisdiction_id, **fields)
        setattr(row, movement_model.balance_field, balance)  # its str() needs no query
        rows.append(row)
    return {}, trial, rows


def _keeps(movement_model, name):
    return any(f.name == name for f in movement_model._meta.concrete_fields)


def _entry_rows(movement_model, first):
    """The movements of the entry whose first leg is `first` (all of them when the model keeps
    the entry's id: the legs of an entry share it)."""
    if getattr(first, "entry", None):
        return list(movement_model._default_manager.filter(entry=first.entry).order_by("pk"))
    return [first]


def replayed(movement_model, user, client_id, entry=False):
    """What `user` already posted with this client id: its first movement (or, with `entry`, all
    the entry's movements), each marked `replayed`; None for a new key. Another user's key is
    refused (`KeyTaken`)."""
    key = _key(client_id)
    if key is None:
        return None
    first = replay(movement_model, user, client_id=key)
    if first is None:
        return None
    rows = _entry_rows(movement_model, first)
    for row in rows:
        row.replayed = True
    return rows if entry else rows[0]


def post(movement_model, entry, *, by=None, client_id=None, now=None):
    """One entry, all or nothing: its movements, or a ValidationError naming the field and the
    reason (nothing written). A replayed client id answers the first movements (each marked
    `replayed`)."""
    outcome = post_many(movement_model, [entry], by=by, client_ids=[client_id], now=now)[0]
    if outcome.errors:
        if outcome.errors.get("client_uuid"):
            raise KeyTaken
        raise ValidationError(outcome.errors)
    for movement in outcome.movements:
        movement.replayed = outcome.replayed  # a retry: the caller tells nobody twice
    return outcome.movements


def balance_of(movement_model, balance) -> Decimal:
    """The sum of a balance's movements (what its quantity must equal)."""
    total = Decimal("0")
    for kind, quantity in movement_model._default_manager.filter(
            **{movement_model.balance_field: balance}).values_list("kind", "quantity"):
        total += quantity if kind in movement_model.INBOUND else -quantity
    return total


def record_opening(movement_model, balance, *, kind="opening", at=None, by=None, description=""):
    """The first row of a balance registered with a quantity (typed into the form that created
    it): nothing moves, the ledger starts from it, so the balance still equals the sum of its
    movements. Written once; a balance that has movements already gets none."""
    if balance.quantity <= 0 or movement_model._default_manager.filter(
            **{movement_model.balance_field: balance}).exists():
        return None
    row = movement_model(kind=kind, quantity=balance.quantity, balance_after=balance.quantity, recorded_by=by,
                         at=at or balance.created_at or timezone.now(), description=description,
                         jurisdiction_id=balance.jurisdiction_id)
    setattr(row, movement_model.balance_field, balance)
    row.save()
    return row
