"""Public alerts as OASIS CAP 1.2 XML (built here; `services.issue_alert` issues and stores them)."""

from django.utils import timezone
from lxml import etree

from shouwang.core.models.jurisdiction import street_of

from .choices import CAP_CATEGORY, CAP_CATEGORY_OF, CAP_SEVERITY, CapType

NS = "urn:oasis:names:tc:emergency:cap:1.2"
DEFAULT_RADIUS_KM = 1.0


def cap_time(dt):
    """CAP wants 2026-11-23T09:20:00+08:00: seconds, and a numeric offset (never Z)."""
    return timezone.localtime(dt).replace(microsecond=0).isoformat()


def _area(incident):
    """A polygon from the node's boundary when there is one, else a circle round the incident (or node)."""
    node = incident.jurisdiction
    boundary = node.boundary or {}
    if boundary.get("type") == "Polygon" and boundary.get("coordinates"):
        ring = [(pt[1], pt[0]) for pt in boundary["coordinates"][0]]
        if ring and ring[0] != ring[-1]:
            ring.append(ring[0])
        if len(ring) >= 4:
            return "polygon", " ".join(f"{lat:.6f},{lon:.6f}" for lat, lon in ring)
    lat, lon = (incident.lat, incident.lon) if incident.lat is not None else (node.lat, node.lon)
    if lat is not None and lon is not None:
        return "circle", f"{lat:.6f},{lon:.6f} {DEFAULT_RADIUS_KM}"
    return None, None


def sender_of(incident):
    return f"shouwang.{street_of(incident.jurisdiction).code}"


def build_xml(incident, *, identifier, msg_type, sent, headline, description, instruction, references):
    def sub(parent, tag, text=None):
        el = etree.SubElement(parent, f"{{{NS}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el

    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    sub(alert, "identifier", identifier)
    sub(alert, "sender", sender_of(incident))
    sub(alert, "sent", cap_time(sent))
    sub(alert, "status", "Exercise" if incident.is_drill else "Actual")  # a drill's alert is never "Actual"
    sub(alert, "msgType", msg_type)
    sub(alert, "scope", "Public")
    if references:
        sub(alert, "references", " ".join(f"{m.sender},{m.identifier},{cap_time(m.sent)}" for m in references))
    sub(alert, "incidents", incident.number)
    info = sub(alert, "info")
    sub(info, "language", "zh-CN")
    sub(info, "category", CAP_CATEGORY_OF.get(incident.category, CAP_CATEGORY[incident.incident_class]))
    sub(info, "event", incident.get_category_display())
    sub(info, "urgency", "Past" if msg_type == CapType.CANCEL else "Immediate")
    sub(info, "severity", CAP_SEVERITY[incident.level])
    sub(info, "certainty", "Observed")
    sub(info, "senderName", incident.jurisdiction.name)
    sub(info, "headline", headline)
    if description:
        sub(info, "description", description)
    if instruction:
        sub(info, "instruction", instruction)
    area = sub(info, "area")
    sub(area, "areaDesc", f"{incident.jurisdiction.name} {incident.place}".strip())
    shape, value = _area(incident)
    if shape:
        sub(area, shape, value)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
