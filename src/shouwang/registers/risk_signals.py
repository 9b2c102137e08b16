"""The rule-suggested default colour of a key place: pluggable risk signals.

A risk signal is a function `(place, day) -> iterable of (colour, reason)`. The suggested
colour is the highest colour any signal returns (green when none does). Apps above
registers (inspections: an open serious hazard; incidents: a recent incident) add theirs
with `register_risk_signal(name, func)` in their AppConfig.ready().
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.registry import RISK_SIGNALS

from .choices import COLOUR_ORDER, LOSS_KINDS, HazardClass, RiskColour, WorkingState, colour_rank
from .models import StockMovement
from .queries import overdue_checks

SEVERE_CLASSES = {HazardClass.EXPLOSIVES, HazardClass.TOXIC, HazardClass.RADIOACTIVE}
RECENT_LOSS_DAYS = 7


def register_risk_signal(name, func):
    RISK_SIGNALS.register(name, func)


def suggest(place, day=None):
    """(colour, [reasons]) the rules suggest for `place` on `day`."""

    day = day or timezone.localdate()
    colour, reasons = RiskColour.GREEN.value, []
    for _name, func in RISK_SIGNALS.items():
        for found, reason in func(place, day) or ():
            if found not in COLOUR_ORDER:
                continue
            reasons.append(f"{RiskColour(found).label}: {reason}")
            if colour_rank(found) > colour_rank(colour):
                colour = found
    return colour, reasons


def _defences_out_of_order(place, day):
    for d in place.defences.exclude(state=WorkingState.WORKING):
        yield RiskColour.ORANGE, _("defence “%(name)s” is %(state)s") % {"name": d.name, "state": d.get_state_display()}


def _hazardous_stock(place, day):
    for s in place.stocks.filter(quantity__gt=0):
        colour = RiskColour.ORANGE if s.hazard_class in SEVERE_CLASSES else RiskColour.BLUE
        yield colour, _("hazardous stock held: %(substance)s") % {"substance": s.substance}


def _recent_loss(place, day):

    since = day - timedelta(days=RECENT_LOSS_DAYS)
    for m in StockMovement.objects.filter(stock__place=place, kind__in=LOSS_KINDS, at__date__gt=since,
                                          at__date__lte=day).select_related("stock"):
        yield RiskColour.RED, _("%(kind)s of %(substance)s on %(date)s") % {
            "kind": m.get_kind_display(), "substance": m.stock.substance, "date": m.at.date()}


def _overdue_obligations(place, day):

    overdue = overdue_checks(place)
    if overdue["review"]:
        yield RiskColour.BLUE, _("register review overdue")
    if overdue["defence_check"]:
        yield RiskColour.BLUE, _("defence check overdue")


register_risk_signal("registers.defence_out_of_order", _defences_out_of_order)
register_risk_signal("registers.hazardous_stock", _hazardous_stock)
register_risk_signal("registers.recent_loss", _recent_loss)
register_risk_signal("registers.overdue", _overdue_obligations)
