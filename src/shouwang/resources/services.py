"""Resource writes with side effects: supplies through the shared ledger (core/stock.py), their
stock-takes and expiry; equipment issued and returned with its asset log; the reserve team's
call-outs, acknowledgements and check-ins; evacuation points checked, opened and closed; and the
obligations the policy makes of them.

Every verb re-checks the user's right at the record's node inside its transaction (a view's
check is not enough: the API and the incident page call the same verbs)."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core import changelog
from shouwang.core import stock as ledger
from shouwang.core.choices import TeamKind
from shouwang.core.clock import local_datetime
from shouwang.core.idempotency import replay
from shouwang.core.models import Jurisdiction, Team
from shouwang.core.scope import can_at, refusal
from shouwang.obligations import services as obligations
from shouwang.obligations.models import Obligation
from shouwang.policies.services import effective

from .choices import (
    KIND_ASSEMBLE,
    KIND_EXPIRY,
    KIND_POINT_CHECK,
    KIND_RETURN,
    KIND_STOCKTAKE,
    CallOutKind,
    Condition,
    EquipmentState,
    EventKind,
    MovementKind,
    Purpose,
)
from .models import (
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
    StockMovement,
    StockTake,
    Store,
    SupplyItem,
    cause_fields,
)
from .querysets import usable

# What the policy's `resources` section says when a node has none (policies/presets B).
DEFAULTS = {
    "stocktake_days": 90, "expiry_remind_days": 30, "point_check_days": 30, "equipment_check_days": 180,
    "assemble_minutes": 60,
    "callout_targets": {"acknowledged_30": 0.9, "acknowledged_60": 1.0, "arrived_30": 0.6, "arrived_60": 0.9},
}
FUTURE_GRACE = datetime.timedelta(minutes=5)


def policy(node):
    """(the `resources` section with defaults filled in, its policy version) for `node`."""
    rules = effective(node)
    section = rules.get("resources") or {}
    merged = {**DEFAULTS, **section}
    merged["callout_targets"] = {**DEFAULTS["callout_targets"], **(section.get("callout_targets") or {})}
    return merged, rules.version_of("resources")


def reserve_standard(node):
    """{item code: minimum per store} of the office's reserve standard for `node`."""
    standard = effective(node).get("reserve_standard") or {}
    return {str(code): Decimal(str(minimum)) for code, minimum in standard.items()}


def check_right(user, record, action="change"):
    """The user's right at the record's node, or PermissionDenied with the reason in words."""
    if user is not None and not can_at(user, "resources", action, record.scope_path):
        raise PermissionDenied(refusal(user, "resources", record.scope_path))


def _now_or(at):
    at = at or timezone.now()
    if at > timezone.now() + FUTURE_GRACE:
        raise ValidationError({"at": _("This time lies in the future.")})
    return at


# --- obligations the policy makes ---------------------------------------------------------------

def _sync_periodic(*, kind, subject, base, days, title, person=None, unit=None, version=None, rule=""):
    """Keep exactly one pending obligation for `subject`, due `days` after `base`."""
    due = base + datetime.timedelta(days=days)
    pending = obligations.for_subject(subject, kind).pending().order_by("-due_at").first()
    if pending is not None:
        if pending.due_at != due:
            obligations.reschedule(pending, due_at=due, opens_at=min(base, due), rule=rule, policy_version=version)
        return pending
    ob = obligations.open_obligation(
        kind=kind, title=title, jurisdiction=subject.jurisdiction, due_at=due, opens_at=min(base, due),
        subject=subject, responsible_person=person, responsible_unit=unit, policy_version=version, rule=rule,
        key=obligations.obligation_key(kind, subject, due))
    if ob.met_at or ob.waived_at:  # done twice in one day: the next one is due as this one was
        ob = obligations.reopen(ob, due_at=due)
    return ob


def _unit_of(person):
    """The unit that answers with a person (his own), for the audit's table by unit."""
    return person.unit if person is not None and person.unit_id else None


def _meet_pending(kind, subject, *, at, by=None, evidence=""):
    for ob in obligations.for_subject(subject, kind).pending():
        if ob.opens_at <= at:
            obligations.meet(ob, at=at, by=None if by is None else by, evidence=evidence)
        else:  # not open yet (a stock-take done early): done all the same, as of when it opens
            obligations.meet(ob, at=ob.opens_at, by=None, evidence=evidence)


def sync_stocktake(store):
    """The store's next stock-take is due one period after the last (or after it was set up)."""
    rules, version = policy(store.jurisdiction)
    base = local_datetime(store.last_stocktake_on) if store.last_stocktake_on else store.created_at
    return _sync_periodic(
        kind=KIND_STOCKTAKE, subject=store, base=base, days=int(rules["stocktake_days"]),
        title=_("Stock-take of %(store)s") % {"store": store.name}, person=store.keeper, unit=_unit_of(store.keeper),
        version=version, rule="resources.stocktake_days")


def sync_expiry(lot):
    """A lot in stock that expires is an obligation: use or replace it before its expiry date,
    open `expiry_remind_days` before; met when the lot is empty."""
    pending = obligations.for_subject(lot, KIND_EXPIRY).pending()
    if lot.expires_on is None or lot.quantity <= 0:
        for ob in pending:
            if lot.quantity <= 0:
                at = max(timezone.now(), ob.opens_at)
                obligations.meet(ob, at=min(at, timezone.now() + FUTURE_GRACE), evidence=_("lot used up or moved out"))
            else:
                obligations.waive(ob, reason=_("The lot no longer has an expiry date."), by=None)
        return None
    rules, version = policy(lot.jurisdiction)
    due = local_datetime(lot.expires_on + datetime.timedelta(days=1))  # usable through its expiry date
    opens = min(due, local_datetime(lot.expires_on) - datetime.timedelta(days=int(rules["expiry_remind_days"])))
    current = pending.first()
    if current is not None:
        if current.due_at != due:
            obligations.reschedule(current, due_at=due, opens_at=opens)
        return current
    return obligations.open_obligation(
        kind=KIND_EXPIRY, title=_("Use or replace %(lot)s at %(store)s before it expires")
        % {"lot": lot, "store": lot.store.name}, jurisdiction=lot.jurisdiction, due_at=due, opens_at=opens,
        subject=lot, responsible_person=lot.store.keeper, responsible_unit=_unit_of(lot.store.keeper),
        policy_version=version,
        rule="resources.expiry_remind_days", key=obligations.obligation_key(KIND_EXPIRY, lot, due))


# --- supplies -----------------------------------------------------------------------------------

def _lock_store(store):
    return Store.objects.select_for_update(of=("self",)).select_related("keeper", "jurisdiction").get(pk=store.pk)


def _lot_for(store, item, *, lot_number="", expires_on=None, received_on=None):
    """The store's lot of `item` with this number and expiry, made when new (the store row is
    locked first, so two receipts of a new lot make one)."""
    lot_number = (lot_number or "").strip()
    lot = Lot.objects.filter(store=store, item=item, lot_number=lot_number, expires_on=expires_on).first()
    if lot is None:
        lot = Lot.objects.create(jurisdiction_id=store.jurisdiction_id, store=store, item=item, lot_number=lot_number,
                                 expires_on=expires_on, received_on=received_on)
    return lot


def _leg(lot, kind, quantity, **fields):
    return ledger.Leg(lot, kind, quantity, {"store": lot.store, "item": lot.item, **fields})


def _post(entry, *, by, client_id=None, at=None):
    """Post one entry through the shared ledger; the lots' expiry obligations follow."""
    movements = ledger.post(StockMovement, entry, by=by, client_id=client_id, now=at)
    if not movements[0].replayed:
        for lot in Lot.objects.filter(pk__in={m.lot_id for m in movements}).select_related("store__keeper", "item"):
            sync_expiry(lot)
    return movements


def _check_item(store, item):
    if not SupplyItem.objects.filter(pk=item.pk, jurisdiction__path__in=_path_and_above(store)).exists():
        raise ValidationError({"item": _("This item is not in the catalogue of the store's node or the nodes above it.")})


def _path_and_above(record):
    path, step = record.jurisdiction.path, Jurisdiction.steplen
    return [path[:n] for n in range(step, len(path) + 1, step)]


@transaction.atomic
def receive(store, item, quantity, *, by=None, lot_number="", expires_on=None, received_on=None, at=None,
            description="", cause=None, client_id=None):
    """Supplies into a store (a new lot, or more of one it has): one movement in."""
    check_right(by, store)
    quantity = ledger.parse_quantity(quantity)
    at = _now_or(at)
    store = _lock_store(store)
    _check_item(store, item)
    if expires_on and received_on and expires_on < received_on:
        raise ValidationError({"expires_on": _("It cannot expire before it was received.")})
    found = ledger.replayed(StockMovement, by, client_id)
    if found:
        return found
    lot = _lot_for(store, item, lot_number=lot_number, expires_on=expires_on,
                   received_on=received_on or timezone.localdate(at))
    return _post([_leg(lot, MovementKind.IN, quantity, at=at, description=description, **cause_fields(cause))],
                 by=by, client_id=client_id, at=at)[0]


def proposed_lots(store, item, today=None):
    """The lots to issue from, in order: earliest expiry first, expired lots left out."""
    return list(Lot.objects.filter(store=store, item=item).in_stock().filter(usable(today))
                .picking_order().select_related("item", "store"))


@transaction.atomic
def issue(store, item, quantity, *, by=None, lot=None, recipient="", reason="", description="", cause=None,
          at=None, client_id=None):
    """Supplies out of a store. Without a lot, from the lots that expire first (several lots if
    one is not enough; expired lots never chosen); a chosen expired lot needs a reason."""
    check_right(by, store)
    quantity = ledger.parse_quantity(quantity)
    at = _now_or(at)
    store = _lock_store(store)
    reason = (reason or "").strip()
    found = ledger.replayed(StockMovement, by, client_id, entry=True)
    if found:
        return found
    fields = {"at": at, "recipient": (recipient or "").strip()[:120], "reason": reason[:200],
              "description": description, **cause_fields(cause)}
    if lot is not None:
        lot = Lot.objects.select_related("item", "store").get(pk=lot.pk)
        if lot.store_id != store.pk or lot.item_id != item.pk:
            raise ValidationError({"lot": _("Choose a lot of this item in this store.")})
        if lot.expires_on and lot.expires_on < timezone.localdate(at) and not reason:
            raise ValidationError({"reason": _("This lot expired on %(date)s: say why it is issued all the same.")
                                   % {"date": lot.expires_on.isoformat()}})
        entry = [_leg(lot, MovementKind.OUT, quantity, **fields)]
    else:
        entry, left = [], quantity
        for candidate in proposed_lots(store, item, timezone.localdate(at)):
            take = min(left, candidate.quantity)
            entry.append(_leg(candidate, MovementKind.OUT, take, **fields))
            left -= take
            if left <= 0:
                break
        if left > 0:
            have = quantity - left
            raise ValidationError({"quantity": _("Only %(left)s %(unit)s of %(item)s that have not expired are in "
                                                 "this store.") % {"left": _plain(have), "unit": item.unit,
                                                                   "item": item.name}})
    return _post(entry, by=by, client_id=client_id, at=at)


def _plain(number):
    return format(Decimal(number).normalize(), "f")


@transaction.atomic
def transfer(lot, to_store, quantity, *, by=None, description="", at=None, client_id=None):
    """A lot moved to another store: out of this one, into the same lot there (two rows that
    point at each other), all or nothing."""
    check_right(by, lot)
    if to_store is None:
        raise ValidationError({"to_store": _("Choose the store it goes to.")})
    if to_store.pk == lot.store_id:
        raise ValidationError({"to_store": _("A transfer goes to another store.")})
    check_right(by, to_store)
    quantity = ledger.parse_quantity(quantity)
    at = _now_or(at)
    found = ledger.replayed(StockMovement, by, client_id, entry=True)
    if found:
        return found
    for store in sorted([lot.store, to_store], key=lambda s: s.pk):  # one order of locks for every transfer
        _lock_store(store)
    lot = Lot.objects.select_related("item", "store").get(pk=lot.pk)
    _check_item(to_store, lot.item)
    there = _lot_for(to_store, lot.item, lot_number=lot.lot_number, expires_on=lot.expires_on,
                     received_on=timezone.localdate(at))
    there = Lot.objects.select_related("item", "store").get(pk=there.pk)
    fields = {"at": at, "description": description}
    return _post([_leg(lot, MovementKind.TRANSFER_OUT, quantity, recipient=to_store.name[:120], **fields),
                  _leg(there, MovementKind.TRANSFER_IN, quantity, **fields)], by=by, client_id=client_id, at=at)


@transaction.atomic
def write_off(lot, quantity, *, reason, by=None, description="", at=None, client_id=None):
    """Supplies written off (expired, damaged, lost): out of the ledger, with the reason."""
    check_right(by, lot)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is written off.")})
    quantity = ledger.parse_quantity(quantity)
    at = _now_or(at)
    lot = Lot.objects.select_related("item", "store").get(pk=lot.pk)
    return _post([_leg(lot, MovementKind.WRITE_OFF, quantity, at=at, reason=reason[:200], description=description)],
                 by=by, client_id=client_id, at=at)[0]


@transaction.atomic
def stocktake(store, counts, *, by=None, at=None, note=""):
    """A count of the store: `counts` {lot: counted quantity}. Each difference from the book is a
    movement (surplus or shortage) referring to the stock-take; the due stock-take is met and the
    next one opened."""
    check_right(by, store)
    at = _now_or(at)
    store = _lock_store(store)
    lots = {lot.pk: lot for lot in Lot.objects.filter(store=store).select_related("item", "store")}
    errors, entries = {}, []
    for key, counted in counts.items():
        lot = lots.get(getattr(key, "pk", key))
        if lot is None:
            errors["counts"] = [_("Count only the lots of this store.")]
            continue
        try:
            counted = Decimal(str(counted))
            if not counted.is_finite() or counted < 0:
                raise ValueError
        except (ValueError, ArithmeticError):
            errors[f"lot_{lot.pk}"] = [_("Give the counted quantity (0 or more).")]
            continue
        if counted != lot.quantity:
            kind = MovementKind.SURPLUS if counted > lot.quantity else MovementKind.SHORTAGE
            entries.append((lot, kind, abs(counted - lot.quantity)))
    if errors:
        raise ValidationError(errors)
    if not counts:
        raise ValidationError({"counts": _("Count at least one lot.")})
    take = StockTake.objects.create(jurisdiction_id=store.jurisdiction_id, store=store, taken_at=at, taken_by=by,
                                    lots_counted=len(counts), differences=len(entries), note=note)
    for lot, kind, difference in entries:
        _post([_leg(lot, kind, difference, at=at, stocktake=take, description=_("stock-take"))], by=by, at=at)
    store.last_stocktake_on = timezone.localdate(at)
    store.save(update_fields=["last_stocktake_on", "updated_at"])
    _meet_pending(KIND_STOCKTAKE, store, at=at, by=by, evidence=_("stock-take of %(date)s")
                  % {"date": timezone.localdate(at).isoformat()})
    sync_stocktake(store)
    return take


@transaction.atomic
def post_receipts(rows, *, by=None, at=None):
    """Many receipts at once (an imported ledger): each row {store, item, quantity, lot_number,
    expires_on, received_on, description, client_id}, posted in one batch of the ledger. A row
    whose client id was posted before is answered with its first movement (a re-import adds
    nothing). Returns one `core.stock.Outcome` per row."""
    at = _now_or(at)
    entries, keys = [], []
    for row in rows:
        store = row["store"]
        check_right(by, store)
        lot = _lot_for(store, row["item"], lot_number=row.get("lot_number", ""), expires_on=row.get("expires_on"),
                       received_on=row.get("received_on"))
        lot = Lot.objects.select_related("item", "store").get(pk=lot.pk)
        entries.append([_leg(lot, MovementKind.IN, row["quantity"], at=at, description=row.get("description", ""))])
        keys.append(row.get("client_id"))
    outcomes = ledger.post_many(StockMovement, entries, by=by, client_ids=keys, now=at)
    touched = {m.lot_id for o in outcomes if not o.replayed for m in o.movements}
    for lot in Lot.objects.filter(pk__in=touched).select_related("store__keeper", "item"):
        sync_expiry(lot)
    return outcomes


def waive_pending(subject, reason):
    for ob in obligations.for_subject(subject).pending():
        obligations.waive(ob, reason=reason, by=None)


# --- equipment ----------------------------------------------------------------------------------

def _lock_equipment(equipment):
    return Equipment.objects.select_for_update().get(pk=equipment.pk)


def _event(equipment, kind, *, by, at, note="", condition="", issue=None):
    return EquipmentEvent.objects.create(jurisdiction_id=equipment.jurisdiction_id, equipment=equipment, kind=kind,
                                         at=at, by=by, note=note, condition=condition, issue=issue)


def _set_state(equipment, state, **fields):
    equipment.state = state
    for name, value in fields.items():
        setattr(equipment, name, value)
    equipment.save(update_fields=["state", *fields, "updated_at"])


STATE_REFUSALS = {
    EquipmentState.ISSUED: gettext_lazy("It is issued; record its return first."),
    EquipmentState.REPAIR: gettext_lazy("It is under repair."),
    EquipmentState.LOST: gettext_lazy("It was reported lost."),
    EquipmentState.RETIRED: gettext_lazy("It was retired."),
}


def _must_be(equipment, *states, field="equipment"):
    if equipment.state not in states:
        raise ValidationError({field: str(STATE_REFUSALS.get(equipment.state, _("Not possible in its state.")))})


@transaction.atomic
def issue_equipment(equipment, *, by=None, person=None, team=None, purpose, due_back_at, at=None, note="",
                    cause=None, client_uuid=None):
    """Equipment handed to a person or a team; its return is an obligation due `due_back_at`."""
    check_right(by, equipment)
    if client_uuid:
        found = replay(EquipmentIssue, by, client_uuid=client_uuid)
        if found:
            found.replayed = True
            return found
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.AVAILABLE)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose the purpose.")})
    if due_back_at is None:
        raise ValidationError({"due_back_at": _("Say when it is due back.")})
    issue = EquipmentIssue(jurisdiction_id=equipment.jurisdiction_id, equipment=equipment, person=person, team=team,
                           purpose=purpose, issued_at=at, due_back_at=due_back_at, issued_by=by, note=note,
                           client_uuid=client_uuid)
    issue.set_cause(cause)
    issue.full_clean(exclude=["jurisdiction", "equipment", "issued_by", "received_by", "person", "team"])
    issue.save()
    _event(equipment, EventKind.ISSUE, by=by, at=at, note=note, issue=issue)
    _set_state(equipment, EquipmentState.ISSUED)
    holder = person or (team.leader if team is not None else None)
    # the duty hangs on what the equipment was used for (the incident page lists its duties), else on the issue
    obligations.open_obligation(
        kind=KIND_RETURN, title=_("Return %(equipment)s (issued to %(holder)s)")
        % {"equipment": equipment, "holder": issue.holder}, jurisdiction=equipment.jurisdiction,
        due_at=due_back_at, opens_at=at, subject=cause or issue, responsible_person=holder,
        responsible_unit=(team.unit if team is not None and team.unit_id else _unit_of(holder)), key=return_key(issue))
    return issue


@transaction.atomic
def dispatch_equipment(pieces, *, by=None, person=None, team=None, purpose, due_back_at, at=None, note="",
                       cause=None, client_uuid=None):
    # each piece's key is derived from the form's one client uuid: dispatch_key(client_uuid, piece)
    """Several pieces handed out at once (an incident's dispatch): all issued or none, each with its
    own return duty; a retried submission (the same client uuid) replays every piece."""
    pieces = sorted(pieces, key=lambda e: e.pk)
    if not pieces:
        raise ValidationError({"equipment": _("Choose the equipment.")})
    issues = []
    for piece in pieces:
        key = dispatch_key(client_uuid, piece.pk) if client_uuid else None
        try:
            issues.append(issue_equipment(piece, by=by, person=person, team=team, purpose=purpose,
                                          due_back_at=due_back_at, at=at, note=note, cause=cause, client_uuid=key))
        except ValidationError as exc:
            if not hasattr(exc, "error_dict") or "equipment" not in exc.error_dict:
                raise
            raise ValidationError({"equipment": [f"{piece}: {m}" for m in exc.message_dict["equipment"]]}) from exc
    return issues


def dispatch_key(client_uuid, piece_pk):
    return uuid.uuid5(client_uuid, str(piece_pk))


def return_key(issue):
    return obligations.obligation_key(KIND_RETURN, issue)


def assemble_key(callout, person):
    return obligations.obligation_key(KIND_ASSEMBLE, callout, person)


def open_issue(equipment):
    return EquipmentIssue.objects.filter(equipment=equipment, returned_at__isnull=True).first()


@transaction.atomic
def return_equipment(equipment, *, by=None, condition=Condition.GOOD, at=None, note=""):
    """The equipment comes back, in the condition found; the return obligation is met."""
    check_right(by, equipment)
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    issue = open_issue(equipment)
    if issue is None or equipment.state != EquipmentState.ISSUED:
        raise ValidationError({"equipment": _("%(equipment)s is not issued: there is nothing to return.")
                               % {"equipment": equipment}})
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Choose the condition it came back in.")})
    if at < issue.issued_at:
        raise ValidationError({"at": _("It cannot come back before it was issued.")})
    issue.returned_at, issue.return_condition, issue.received_by = at, condition, by
    if note:
        issue.note = f"{issue.note}\n{note}".strip()
    issue.save()
    _event(equipment, EventKind.RETURN, by=by, at=at, note=note, condition=condition, issue=issue)
    _set_state(equipment, EquipmentState.AVAILABLE, condition=condition)
    for ob in Obligation.objects.with_keys([return_key(issue)]).pending():
        obligations.meet(ob, at=at, by=None, evidence=_("returned"))
    return issue


@transaction.atomic
def check_equipment(equipment, *, by=None, condition, at=None, note=""):
    check_right(by, equipment)
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.AVAILABLE, EquipmentState.ISSUED, EquipmentState.REPAIR)
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Choose the condition found.")})
    _event(equipment, EventKind.CHECK, by=by, at=at, note=note, condition=condition)
    _set_state(equipment, equipment.state, condition=condition, last_checked_on=timezone.localdate(at))
    return equipment


@transaction.atomic
def send_to_repair(equipment, *, by=None, at=None, note=""):
    check_right(by, equipment)
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.AVAILABLE)
    _event(equipment, EventKind.REPAIR, by=by, at=at, note=note)
    _set_state(equipment, EquipmentState.REPAIR, condition=Condition.DAMAGED)
    return equipment


@transaction.atomic
def back_from_repair(equipment, *, by=None, at=None, note=""):
    check_right(by, equipment)
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.REPAIR)
    _event(equipment, EventKind.REPAIRED, by=by, at=at, note=note, condition=Condition.GOOD)
    _set_state(equipment, EquipmentState.AVAILABLE, condition=Condition.GOOD)
    return equipment


@transaction.atomic
def report_lost(equipment, *, by=None, at=None, note=""):
    """Lost, in store or while issued (its issue is closed and the return waived: it will not
    come back)."""
    check_right(by, equipment)
    at = _now_or(at)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how it was lost.")})
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.AVAILABLE, EquipmentState.ISSUED)
    issue = open_issue(equipment)
    if issue is not None:
        issue.returned_at, issue.received_by = at, by
        issue.note = f"{issue.note}\n{_('reported lost')}: {note}".strip()
        issue.save()
        for ob in Obligation.objects.with_keys([return_key(issue)]).pending():
            obligations.waive(ob, reason=_("Reported lost: %(note)s") % {"note": note}, by=None, at=at)
    _event(equipment, EventKind.LOST, by=by, at=at, note=note, issue=issue)
    _set_state(equipment, EquipmentState.LOST)
    return equipment


@transaction.atomic
def found_again(equipment, *, by=None, at=None, note="", condition=Condition.GOOD):
    check_right(by, equipment)
    at = _now_or(at)
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.LOST)
    _event(equipment, EventKind.FOUND, by=by, at=at, note=note, condition=condition)
    _set_state(equipment, EquipmentState.AVAILABLE, condition=condition)
    return equipment


@transaction.atomic
def retire(equipment, *, by=None, at=None, note=""):
    check_right(by, equipment)
    at = _now_or(at)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is retired.")})
    equipment = _lock_equipment(equipment)
    _must_be(equipment, EquipmentState.AVAILABLE, EquipmentState.REPAIR, EquipmentState.LOST)
    _event(equipment, EventKind.RETIRE, by=by, at=at, note=note)
    _set_state(equipment, EquipmentState.RETIRED)
    return equipment


# --- the reserve team ---------------------------------------------------------------------------

def members_of(team):
    return list(team.members.filter(active=True).order_by("name", "pk"))


@transaction.atomic
def call_out(team, *, by=None, kind=CallOutKind.TEST, message="", at=None, cause=None, client_uuid=None,
             notify=True):
    """The office calls the reserve team out: every member in service gets an answer row (and a
    message in his inbox when he has a login, unless the call-out is recorded after the fact:
    `notify=False`); for an incident, each member's arrival at the assembly point is an
    obligation due `assemble_minutes` later."""
    if team.kind != TeamKind.RESERVE:
        raise ValidationError({"team": _("Only the reserve team is called out here.")})
    check_right(by, team, "add")
    if client_uuid:
        found = replay(CallOut, by, client_uuid=client_uuid)
        if found:
            return found
    if kind not in CallOutKind.values:
        raise ValidationError({"kind": _("Choose a call-out test or a call-out for an incident.")})
    at = _now_or(at)
    Team.objects.select_for_update().get(pk=team.pk)
    if CallOut.objects.filter(team=team, closed_at__isnull=True).exists():
        raise ValidationError({"team": _("%(team)s has a call-out still open: close it first.") % {"team": team}})
    members = members_of(team)
    if not members:
        raise ValidationError({"team": _("%(team)s has no members in service.") % {"team": team}})
    point = AssemblyPoint.objects.filter(team=team).first()
    assembly = f"{point.name} {point.address}".strip() if point else ""
    if not assembly:
        raise ValidationError({"team": _("Set the team's assembly point first.")})
    message = (message or "").strip() or _("Reserve team %(team)s: assemble at %(where)s now.") % {
        "team": team.name, "where": assembly}
    callout = CallOut(jurisdiction_id=team.jurisdiction_id, team=team, kind=kind, sent_at=at, sent_by=by,
                      message=message, assembly=assembly[:200], client_uuid=client_uuid)
    callout.set_cause(cause)
    callout.save()
    answers = [CallOutAnswer(jurisdiction_id=team.jurisdiction_id, callout=callout, person=p) for p in members]
    CallOutAnswer.objects.bulk_create(answers)
    changelog.record_created(CallOutAnswer.objects.filter(callout=callout).select_related("callout__team", "person"),
                             user=by)
    users = [p.user for p in members if p.user_id] if notify else []
    if users:
        obligations.send_message(users, title=_("Call-out: %(team)s") % {"team": team.name}, body=message,
                                 url=reverse("resources:phone"))
    if kind == CallOutKind.INCIDENT:
        rules, version = policy(team.jurisdiction)
        due = at + datetime.timedelta(minutes=int(rules["assemble_minutes"]))
        for person in members:
            obligations.open_obligation(
                kind=KIND_ASSEMBLE, title=_("%(person)s at the assembly point of %(team)s")
                % {"person": person.name, "team": team.name}, jurisdiction=team.jurisdiction, due_at=due,
                opens_at=at, subject=cause or callout, responsible_person=person, responsible_unit=_unit_of(person),
                policy_version=version,
                rule="resources.assemble_minutes", key=assemble_key(callout, person))
    return callout


ACK_SLACK = datetime.timedelta(minutes=2)


@transaction.atomic
def acknowledge(user, *, callout, client_uuid, device_time=None):
    """A member acknowledges a call-out on his phone (queued offline, sent later: the phone's time
    of the tap counts when it is plausible, between the call-out and now). The same client id
    again answers the same; an answer already given keeps its first time."""
    if not client_uuid:
        raise ValidationError({"client_uuid": _("Every submission needs a client id (UUID).")})
    found = replay(CallOutAnswer, user, client_uuid=client_uuid)
    if found:
        return found, False
    answer = (CallOutAnswer.objects.select_for_update(of=("self",)).select_related("callout__team", "person")
              .filter(callout=callout, person__user=user).first())
    if answer is None:
        raise PermissionDenied(_("You are not called out by this call-out."))
    if answer.acknowledged_at:
        return answer, False
    now = timezone.now()
    at = device_time if device_time and answer.callout.sent_at <= device_time <= now + ACK_SLACK else now
    answer.acknowledged_at, answer.acknowledged_by = min(at, now), user
    answer.received_at, answer.client_uuid = now, client_uuid
    answer.save()
    return answer, True


@transaction.atomic
def check_in(callout, persons, *, by=None, at=None):
    """Arrivals at the assembly point (ICS 211 check-in): the time and who recorded it, for each
    member named; the members' assembly obligations are met. Returns the answers checked in now."""
    check_right(by, callout)
    at = _now_or(at)
    callout = CallOut.objects.select_for_update().get(pk=callout.pk)
    if callout.closed_at:
        raise ValidationError({"callout": _("The call-out is closed.")})
    if at < callout.sent_at:
        raise ValidationError({"at": _("An arrival cannot be before the call-out.")})
    ids = {getattr(p, "pk", p) for p in persons}
    if not ids:
        raise ValidationError({"persons": _("Tick the members who arrived.")})
    answers = list(CallOutAnswer.objects.select_for_update(of=("self",)).filter(callout=callout, person_id__in=ids)
                   .select_related("person"))
    if len(answers) != len(ids):
        raise ValidationError({"persons": _("Only members called out by this call-out check in here.")})
    done = []
    for answer in answers:
        if answer.arrived_at:
            continue
        answer.arrived_at, answer.arrival_recorded_by = at, by
        answer.save()
        done.append(answer)
        for ob in Obligation.objects.with_keys([assemble_key(callout, answer.person)]).pending():
            obligations.meet(ob, at=at, by=None, evidence=_("checked in at the assembly point"))
    return done


@transaction.atomic
def close_callout(callout, *, by=None, at=None):
    check_right(by, callout)
    at = _now_or(at)
    callout = CallOut.objects.select_for_update().get(pk=callout.pk)
    if callout.closed_at:
        return callout
    callout.closed_at = max(at, callout.sent_at)
    callout.save(update_fields=["closed_at", "updated_at"])
    return callout


# --- evacuation and diversion points ------------------------------------------------------------

def sync_point_check(point):
    rules, version = policy(point.jurisdiction)
    base = local_datetime(point.last_checked_on) if point.last_checked_on else point.created_at
    return _sync_periodic(
        kind=KIND_POINT_CHECK, subject=point, base=base, days=int(rules["point_check_days"]),
        title=_("Check %(point)s") % {"point": point.name}, person=point.responsible, unit=_unit_of(point.responsible),
        version=version, rule="resources.point_check_days")


@transaction.atomic
def check_point(point, *, by=None, passed, findings="", on=None):
    """A check of the point; a failed one makes it unavailable until a check passes."""
    check_right(by, point)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"checked_on": _("A check cannot be in the future.")})
    findings = (findings or "").strip()
    if not passed and not findings:
        raise ValidationError({"findings": _("Say what failed.")})
    point = EvacuationPoint.objects.select_for_update().get(pk=point.pk)
    check = PointCheck.objects.create(jurisdiction_id=point.jurisdiction_id, point=point, checked_on=on,
                                      passed=passed, findings=findings, checked_by=by)
    if point.last_checked_on is None or on >= point.last_checked_on:
        point.last_checked_on, point.check_failed = on, not passed
        point.save(update_fields=["last_checked_on", "check_failed", "updated_at"])
    at = min(timezone.now(), local_datetime(on + datetime.timedelta(days=1)) - datetime.timedelta(seconds=1))
    _meet_pending(KIND_POINT_CHECK, point, at=at, by=by, evidence=_("checked"))
    sync_point_check(point)
    return check


@transaction.atomic
def open_point(point, *, by=None, at=None, occupancy=0, note="", cause=None):
    """The point opened (during an incident), shown on the live board until closed. A point
    whose last check failed opens only with a note saying why."""
    check_right(by, point)
    at = _now_or(at)
    point = EvacuationPoint.objects.select_for_update().get(pk=point.pk)
    if PointOpening.objects.filter(point=point, closed_at__isnull=True).exists():
        raise ValidationError({"point": _("%(point)s is open already.") % {"point": point.name}})
    note = (note or "").strip()
    if point.check_failed and not note:
        raise ValidationError({"note": _("The last check of %(point)s failed: say why it is opened all the same.")
                               % {"point": point.name}})
    opening = PointOpening(jurisdiction_id=point.jurisdiction_id, point=point, opened_at=at, opened_by=by,
                           occupancy=_head_count(occupancy), occupancy_at=at, note=note)
    opening.set_cause(cause)
    opening.save()
    return opening


def _head_count(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"occupancy": _("Give the number of people.")}) from None
    if not 0 <= number <= 200000:
        raise ValidationError({"occupancy": _("Give the number of people.")})
    return number


@transaction.atomic
def set_occupancy(opening, occupancy, *, by=None, at=None):
    check_right(by, opening)
    at = _now_or(at)
    opening = PointOpening.objects.select_for_update().get(pk=opening.pk)
    if opening.closed_at:
        raise ValidationError({"occupancy": _("The point is closed.")})
    opening.occupancy, opening.occupancy_at = _head_count(occupancy), at
    opening.save(update_fields=["occupancy", "occupancy_at", "updated_at"])
    return opening


@transaction.atomic
def close_point(opening, *, by=None, at=None):
    check_right(by, opening)
    at = _now_or(at)
    opening = PointOpening.objects.select_for_update().get(pk=opening.pk)
    if opening.closed_at:
        return opening
    opening.closed_at, opening.closed_by = max(at, opening.opened_at), by
    opening.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return opening


def sync_all():
    """Every store's stock-take, every point's check and every lot's expiry obligation as the
    policy now says (what the daily job runs; nothing changes when nothing did)."""
    done = 0
    for store in Store.objects.select_related("keeper", "jurisdiction"):
        sync_stocktake(store)
        done += 1
    for point in EvacuationPoint.objects.select_related("responsible", "jurisdiction"):
        sync_point_check(point)
        done += 1
    for lot in Lot.objects.filter(expires_on__isnull=False).in_stock().select_related("store__keeper", "item"):
        sync_expiry(lot)
        done += 1
    return done
