"""What an incident used of the resources, for its page, and the points open now, for the live
board (the actions are in `resources_use`)."""

from shouwang.core.scope import can, can_at
from shouwang.resources import queries as resource_queries
from shouwang.resources.models import EvacuationPoint

from .choices import Status


def page_context(incident, user):
    """What the incident used, and whether this user may use more from its page."""
    may = (incident.status == Status.OPEN and can_at(user, "incidents", "change", incident.jurisdiction.path)
           and can(user, "resources", "change"))
    return {"resources_used": resource_queries.used_for(incident), "may_use_resources": may}


def board_points(user):
    """The points open now in the user's scope, for the live board (list and map)."""
    points = EvacuationPoint.objects.restrict(user, "view")
    return [resource_queries.point_marker(o.point, o) | {"opened_at": o.opened_at, "node": o.point.jurisdiction.name}
            for o in resource_queries.open_openings(points)]
