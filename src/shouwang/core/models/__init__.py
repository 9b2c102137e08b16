from .access import RoleAssignment
from .base import ScopedModel
from .calendar import Holiday
from .changelog import ChangeLogEntry
from .forces import Team
from .jurisdiction import Jurisdiction
from .org import Contact, Group, Membership, Person, Unit
from .system import JobHeartbeat

__all__ = [
    "ChangeLogEntry",
    "Contact",
    "Group",
    "Holiday",
    "JobHeartbeat",
    "Jurisdiction",
    "Membership",
    "Person",
    "RoleAssignment",
    "ScopedModel",
    "Team",
    "Unit",
]
