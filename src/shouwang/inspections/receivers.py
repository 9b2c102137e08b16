"""What inspections tells the rest, connected in InspectionsConfig.ready():

- a risk signal for the registers' suggested colour: an open major hazard at a place suggests
  red, an open serious or urgent one orange, the order's number the reason;
- figures for the comprehensive ledger: open hazards and overdue rectifications of a subtree;
- a patrol's hazard sighting: nothing is created (the office triages it into a finding or not),
  the office is told that a hazard awaits triage.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shouwang.core.clock import local_datetime
from shouwang.obligations import services as obligations
from shouwang.obligations.escalation import office

from .choices import OPEN_STATES, OrderState, Severity
from .models import RectificationOrder

RISK_OF_SEVERITY = {Severity.MAJOR: "red", Severity.URGENT: "orange", Severity.SERIOUS: "orange"}


def _open_on(day):
    """Orders open at the end of `day`: found by then, not closed by then."""
    end = local_datetime(day) + timezone.timedelta(days=1)
    return Q(finding__found_at__lt=end) & (Q(closed_at__isnull=True, state__in=OPEN_STATES) | Q(closed_at__gte=end))


def open_hazard_risk(place, day):
    """Risk signal: each open major (red), urgent or serious (orange) hazard at the place."""
    orders = (RectificationOrder.objects.filter(_open_on(day), finding__place=place,
                                                finding__severity__in=list(RISK_OF_SEVERITY))
              .select_related("finding").order_by("deadline", "pk"))
    for order in orders:
        severity = order.finding.severity
        yield RISK_OF_SEVERITY[severity], _("open %(severity)s %(number)s: %(text)s") % {
            "severity": Severity(severity).label, "number": order.number, "text": order.finding.description[:40]}


def _under(node):
    return RectificationOrder.objects.filter(jurisdiction__path__startswith=node.path)


def open_hazards(node):
    """Ledger figure: hazards of the subtree whose order is not closed."""
    return _under(node).filter(state__in=OPEN_STATES).count()


def overdue_rectifications(node):
    """Ledger figure: orders of the subtree past their deadline and not reported done."""
    return _under(node).filter(state__in=[OrderState.ORDERED, OrderState.IN_PROGRESS],
                               deadline__lt=timezone.now()).count()


def _triage_url(sighting):
    try:
        return reverse("inspections:sighting_triage", args=[sighting.pk])
    except NoReverseMatch:  # the triage page is the office's list of sightings; until then the sighting
        return sighting.get_absolute_url()


def hazard_sighting(sender, sighting, **kwargs):
    """A patrol's hazard sighting waits for the office's triage: the office is told, nothing is made."""
    if sighting.kind != "hazard":
        return
    recipients = office(sighting.jurisdiction)
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):  # the office's message, in its language whoever reported
        title = _("Hazard sighting awaits triage: %(text)s") % {"text": sighting.text[:60]}
        body = _("Reported by %(who)s in %(node)s. Triage it into a finding with its rectification order, "
                 "or dismiss it.") % {"who": _name(sighting.reported_by), "node": sighting.jurisdiction.name}
    obligations.send_message(recipients, title=title, body=body, url=_triage_url(sighting))


def _name(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
