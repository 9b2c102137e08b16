"""Who answers for a reporting clock: the policy names a role (`responsible` of the clock), and
it is found on the incident's node when the clock opens — a unit and a person, so the audit can
name them.

- community office: the community's residents' committee, and its office director (else the
  office's first member, else the committee's liaison);
- street office: the street's government unit, and its office director;
- leader in charge of safety: the leader of the street's leading group;
- on-scene commander: the person named commander on the incident (else the safety leader).
"""

from shouwang.core.choices import GroupKind, NodeLevel, Position, UnitKind
from shouwang.core.models import Membership, Person, Unit

from .choices import ClockRole


def _up_to(node, level):
    """`node` or its nearest ancestor at `level` (None when there is none)."""
    if node.level == level:
        return node
    return next((a for a in reversed(list(node.ancestors())) if a.level == level), None)


def _seat(node, group_kind, positions):
    """The person holding the first of `positions` in a group of `group_kind` on `node`."""
    if node is None:
        return None
    seats = {m.position: m.person for m in Membership.objects.filter(
        group__jurisdiction=node, group__kind=group_kind, person__active=True).select_related("person")
        .order_by("order", "pk")}
    for position in positions:
        if position in seats:
            return seats[position]
    return next(iter(seats.values()), None)


def _unit(node, kind):
    return Unit.objects.filter(jurisdiction=node, kind=kind).order_by("pk").first() if node is not None else None


def resolve(role, incident):
    """(unit, person) answering for a clock of `role` on `incident`; (None, None) if nobody is found."""
    node = incident.jurisdiction
    street = _up_to(node, NodeLevel.STREET)
    if role == ClockRole.COMMUNITY_OFFICE:
        community = _up_to(node, NodeLevel.COMMUNITY) or node
        unit = _unit(community, UnitKind.RESIDENTS_COMMITTEE)
        person = _seat(community, GroupKind.OFFICE, [Position.DIRECTOR, Position.LEADER]) or (unit.liaison if unit else None)
        return unit, person
    if role == ClockRole.STREET_OFFICE:
        return _unit(street, UnitKind.GOVERNMENT), _seat(street, GroupKind.OFFICE, [Position.DIRECTOR, Position.LEADER])
    if role in (ClockRole.SAFETY_LEADER, ClockRole.ON_SCENE_COMMANDER):
        person = None
        if role == ClockRole.ON_SCENE_COMMANDER and incident.commander:
            person = Person.objects.filter(jurisdiction__path__startswith=(street or node).path,
                                           name=incident.commander, active=True).order_by("pk").first()
        person = person or _seat(street, GroupKind.LEADING, [Position.LEADER, Position.DEPUTY])
        return _unit(street, UnitKind.GOVERNMENT), person
    return None, None
