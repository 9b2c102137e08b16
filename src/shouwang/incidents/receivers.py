"""Incidents raised by other apps' events (connected in IncidentsConfig.ready)."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import override

from .choices import Category, Channel, IncidentLevel, Status
from .models import Incident
from .services import raise_draft


def hazardous_loss(sender, stock, movement, node, description, user=None, **kwargs):
    """A loss or theft of hazardous stock raises an incident draft for the office to confirm."""

    place = stock.place
    with override("zh-hans"):  # the record is the office's, in Chinese whoever triggered it
        title = _("Loss of hazardous goods: %(quantity)s %(uom)s %(substance)s at %(place)s") % {
            "quantity": movement.quantity, "uom": stock.unit_of_measure, "substance": stock.substance,
            "place": place.name,
        }
        raise_draft(
            jurisdiction=node, title=title, category=Category.PUBLIC_ORDER_CRIMINAL, level=IncidentLevel.IV,
            address=place.address or place.name, channel=Channel.REGISTER, description=description, user=user,
            key_place=place, unit=place.unit, lat=place.lat, lon=place.lon,
        )


def incident_sighting(sender, sighting, **kwargs):
    """A patrol member's incident sighting becomes an incident draft for the office to confirm."""

    if sighting.kind != "incident":
        return  # a hazard sighting is the office's to triage in inspections (told by its receivers)
    point = sighting.checkpoint
    place = point.key_place if point else None
    with override("zh-hans"):
        title = _("Patrol sighting: %(text)s") % {"text": sighting.text[:80]}
        address = place.address if place and place.address else (point.name if point else _("see position"))
        raise_draft(
            jurisdiction=sighting.jurisdiction, title=title, category=Category.SOCIAL_SAFETY, level=IncidentLevel.IV,
            address=address, channel=Channel.PATROL, description=sighting.text, user=sighting.reported_by,
            key_place=place, lat=sighting.lat, lon=sighting.lon,
        )


RECENT_INCIDENT_DAYS = 7


def recent_incident_risk(place, day):
    """Risk signal for the registers' four colours: an incident at the place in the last week
    raises its colour (I–II red, III–IV orange); drafts count once confirmed."""


    since = day - timedelta(days=RECENT_INCIDENT_DAYS)
    recent = Incident.objects.real().filter(key_place=place, received_at__date__gt=since, received_at__date__lte=day).exclude(
        status=Status.DRAFT
    )
    for incident in recent.only("number", "level", "title"):
        colour = "red" if incident.level in ("I", "II") else "orange"
        yield colour, _("incident %(number)s (level %(level)s): %(title)s") % {
            "number": incident.number, "level": incident.level, "title": incident.title}
