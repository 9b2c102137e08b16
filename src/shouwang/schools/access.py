"""Who may act on a school's records: the permission table on the school's node (the office, the
street's leaders), or the school's own security staff and leaders (`querysets.STAFF_ACTIONS`)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouwang.core.scope import can_at, refusal

from .querysets import STAFF_ACTIONS


def is_staff(user, school) -> bool:
    """Is `user` one of `school`'s security staff or leaders?"""
    if user is None or not user.is_authenticated:
        return False
    return (school.security_staff.filter(user=user).exists() or school.leaders.filter(user=user).exists())


def may(user, school, action, area="schools") -> bool:
    if user is None:
        return True  # a job
    if can_at(user, area, action, school.jurisdiction.path):
        return True
    return action in STAFF_ACTIONS.get(area, set()) and is_staff(user, school)


def require(user, school, action, area="schools"):
    """Raise PermissionDenied, in words, unless `user` may do `action` on `school`'s records."""
    if not may(user, school, action, area):
        if is_staff(user, school) or can_at(user, "schools", "view", school.jurisdiction.path):
            raise PermissionDenied(_("Your role does not allow this at %(school)s.") % {"school": school})
        raise PermissionDenied(refusal(user, area, school.jurisdiction.path))
