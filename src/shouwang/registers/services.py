"""Register writes with side effects: freshness and check obligations, movements, colours."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core import stock as ledger
from shouwang.core.clock import local_datetime
from shouwang.obligations import services as obligations
from shouwang.policies.services import effective

from .choices import (
    KIND_DEFENCE_CHECK,
    KIND_REVIEW,
    KIND_STOCK_CHECK,
    LOSS_KINDS,
    MovementKind,
    RiskColour,
)
from .models import Defence, HazardousStock, KeyPlace, RiskRating, StockMovement
from .risk_signals import suggest
from .signals import hazardous_loss_recorded

DEFAULT_PERIODS = {"keyplace_days": 30, "defence_check_days": 30, "hazardous_stock_check_days": 30}


def policy_period(node, key):
    """(days, policy version) from the node's `review_periods` section, with a default."""

    rules = effective(node)
    periods = rules.get("review_periods") or {}
    return int(periods.get(key, DEFAULT_PERIODS[key])), rules.version_of("review_periods")


def _sync_periodic(*, kind, subject, base, days, title, unit=None, person=None, policy_version=None, rule=""):
    """Keep exactly one pending obligation for `subject`, due `days` after `base`."""
    due = base + datetime.timedelta(days=days)
    pending = obligations.for_subject(subject, kind).pending().order_by("-due_at").first()
    if pending is not None:
        if pending.due_at != due or pending.opens_at != base:
            obligations.reschedule(pending, due_at=due, opens_at=min(base, due), rule=rule, policy_version=policy_version)
        return pending
    return obligations.open_obligation(
        kind=kind, title=title, jurisdiction=subject.jurisdiction, due_at=due, opens_at=base, subject=subject,
        responsible_unit=unit, responsible_person=person, policy_version=policy_version, rule=rule,
        key=obligations.obligation_key(kind, subject, due),
    )


def _close_pending(kind, subject, at, by, evidence):
    for ob in obligations.for_subject(subject, kind).pending():
        if ob.opens_at <= at:
            obligations.meet(ob, at=at, by=by, evidence=evidence)


def sync_review(place):
    """The place's next review is due one review period after the last review (or its creation)."""
    base = place.last_reviewed_at or place.created_at
    _days, version = policy_period(place.jurisdiction, "keyplace_days")
    return _sync_periodic(
        kind=KIND_REVIEW, subject=place, base=base, days=place.review_period_days,
        title=_("Review the register entry “%(name)s”") % {"name": place.name},
        unit=place.responsible_unit, person=place.responsible_person, policy_version=version,
        rule="review_period_days",
    )


@transaction.atomic
def review_place(place, *, by=None, at=None, note=""):
    """A review of the entry: meets the due review and opens the next."""
    at = at or timezone.now()
    place = KeyPlace.objects.select_for_update().get(pk=place.pk)
    _close_pending(KIND_REVIEW, place, at, by, note or _("reviewed"))
    place.last_reviewed_at = at
    place.save()
    return place


def defence_period(defence):
    if defence.check_period_days:
        return defence.check_period_days, None
    return policy_period(defence.jurisdiction, "defence_check_days")


def sync_defence_check(defence):
    days, version = defence_period(defence)
    base = local_datetime(defence.last_checked_on) if defence.last_checked_on else defence.created_at
    place = defence.place
    return _sync_periodic(
        kind=KIND_DEFENCE_CHECK, subject=defence, base=base, days=days,
        title=_("Check the defence “%(name)s” at %(place)s") % {"name": defence.name, "place": place.name},
        unit=place.responsible_unit, person=place.responsible_person, policy_version=version,
        rule="check_period_days" if defence.check_period_days else "review_periods.defence_check_days",
    )


@transaction.atomic
def check_defence(defence, *, state, by=None, on=None, notes=""):
    """Record a check: its date and the working state found; meets the due check, opens the next."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"last_checked_on": _("A check cannot be in the future.")})
    defence = Defence.objects.select_for_update().get(pk=defence.pk)
    at = min(timezone.now(), local_datetime(on + datetime.timedelta(days=1)) - datetime.timedelta(seconds=1))
    _close_pending(KIND_DEFENCE_CHECK, defence, at, by, notes or _("checked"))
    defence.state, defence.last_checked_on = state, on
    if notes:
        defence.notes = notes
    defence.full_clean()
    defence.save()
    return defence


def sync_stock_check(stock):
    days, version = policy_period(stock.jurisdiction, "hazardous_stock_check_days")
    base = local_datetime(stock.last_checked_on) if stock.last_checked_on else stock.created_at
    return _sync_periodic(
        kind=KIND_STOCK_CHECK, subject=stock, base=base, days=days,
        title=_("Check the hazardous stock “%(name)s” at %(place)s") % {"name": stock.substance, "place": stock.place.name},
        unit=stock.place.responsible_unit, person=stock.keeper or stock.place.responsible_person,
        policy_version=version, rule="review_periods.hazardous_stock_check_days",
    )


def waive_pending(subject, reason):
    for ob in obligations.for_subject(subject).pending():
        obligations.waive(ob, reason=reason, by=None)


# --- hazardous stock movements --------------------------------------------------------------

RECORDABLE = [k for k in MovementKind.values if k != MovementKind.OPENING]  # the opening is the registration's


@transaction.atomic
def record_movement(stock, *, kind, quantity, by=None, at=None, description="", client_id=None):
    """Move stock in or out through the shared ledger (core/stock.py): the balance never goes
    below zero and equals the sum of the movements; loss/theft tells the incidents app."""
    if kind not in RECORDABLE:
        raise ValidationError({"kind": _("Unknown movement.")})
    quantity = ledger.parse_quantity(quantity)
    if kind in LOSS_KINDS and not description.strip():
        raise ValidationError({"description": _("Describe the loss or theft.")})
    fields = {"at": at or timezone.now(), "description": description}
    (movement,) = ledger.post(StockMovement, [ledger.Leg(stock, kind, quantity, fields)], by=by, client_id=client_id)
    stock.refresh_from_db(fields=["quantity", "updated_at"])
    if kind in LOSS_KINDS and not movement.replayed:  # a retry tells nobody twice
        transaction.on_commit(lambda: hazardous_loss_recorded.send(
            sender=HazardousStock, stock=stock, movement=movement, node=stock.jurisdiction,
            description=description, user=by,
        ))
    return movement


def record_opening(stock, by=None):
    """A stock registered with a quantity starts its ledger with that opening balance."""
    return ledger.record_opening(StockMovement, stock, kind=MovementKind.OPENING, by=by,
                                 description=_("quantity when registered"))


# --- four-colour risk rating ----------------------------------------------------------------

@transaction.atomic
def set_colour(place, *, colour, reason="", by=None, day=None):
    """Rate the place for `day`. A colour other than the rules' needs a reason; a reason is kept either way."""

    day = day or timezone.localdate()
    if colour not in RiskColour.values:
        raise ValidationError({"colour": _("Unknown colour.")})
    rule_colour, rule_reasons = suggest(place, day)
    reason = (reason or "").strip()
    if colour != rule_colour and not reason:
        raise ValidationError({"reason": _("The rules suggest %(rule)s; say why the colour differs.")
                               % {"rule": RiskColour(rule_colour).label}})
    if not reason:
        reason = "; ".join(rule_reasons) or _("as the rules suggest: nothing raised the colour")
    return RiskRating.objects.create(
        jurisdiction=place.jurisdiction, place=place, date=day, colour=colour, rule_colour=rule_colour,
        rule_reasons=rule_reasons, reason=reason, set_by=by,
    )


def rate_unrated(day=None):
    """The daily default: every place without a colour for `day` gets the rules' colour."""
    day = day or timezone.localdate()

    done = 0
    for place in KeyPlace.objects.exclude(ratings__date=day).select_related("jurisdiction"):
        colour, _reasons = suggest(place, day)
        set_colour(place, colour=colour, day=day)
        done += 1
    return done
