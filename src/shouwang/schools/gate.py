"""Who holds the gate: the published duty assignments of the school's rosters in the three posts
(`choices.POST_OF_ROLE`) whose shift overlaps the window. Duty is read through its models; schools
writes nothing of duty but its on-duty confirmation (duty.services.confirm_on_duty)."""

from collections import defaultdict
from datetime import timedelta

from shouwang.duty.models import Assignment

from .choices import POST_OF_ROLE, ROLE_OF_POST, GateRole

EARLY = timedelta(minutes=30)  # a role confirms from 30 minutes before the window opens


def assignments_on(rosters, day, posts):
    """Published, live assignments on these rosters in `posts` that may reach into `day` (its own and
    the day before's: a night or 24-hour shift), with roster and person."""
    return (Assignment.objects.published().filter(roster__in=rosters, day__gte=day - timedelta(days=1), day__lte=day,
                                                  post__in=posts).select_related("roster", "person"))


def rostered(window, rosters=None, assignments=None):
    """{role: [assignment, ...]} of the people rostered for the window, in role order (from the
    `assignments` already read, when given: those of the school's rosters around the day)."""
    if assignments is None:
        rosters = rosters if rosters is not None else window.school.rosters.all()
        assignments = assignments_on(rosters, window.day, list(POST_OF_ROLE.values()))
    out = defaultdict(list)
    for a in assignments:
        if a.day not in (window.day, window.day - timedelta(days=1)) or a.post not in ROLE_OF_POST:
            continue
        start, end = a.bounds
        if start < window.ends_at and end > window.starts_at:
            out[ROLE_OF_POST[a.post]].append(a)
    return {role: out[role] for role in GateRole.values if out.get(role)}


def roles_of(window, person, rosters=None):
    """[(role, assignment)] the person is rostered for in this window."""
    return [(role, a) for role, rows in rostered(window, rosters).items() for a in rows if a.person_id == person.pk]


def missing_roles(window, confirmed_roles):
    return [role for role in GateRole.values if role not in set(confirmed_roles)]
