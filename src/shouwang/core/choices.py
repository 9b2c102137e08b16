from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeLevel(models.TextChoices):
    DISTRICT = "district", _("district")
    STREET = "street", _("street")
    COMMUNITY = "community", _("community")
    AREA = "area", _("area")
    GRID = "grid", _("grid")


LEVEL_ORDER = [c.value for c in NodeLevel]


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("government department")
    POLICE = "police", _("police station")
    SCHOOL = "school", _("school")
    KINDERGARTEN = "kindergarten", _("kindergarten")
    HOSPITAL = "hospital", _("hospital")
    TRANSPORT = "transport", _("transport station")
    UTILITY = "utility", _("utility")
    BUSINESS = "business", _("business")
    PROPERTY = "property", _("property company")
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OTHER = "other", _("other")


class PersonKind(models.TextChoices):
    STAFF = "staff", _("staff")
    GRID_WORKER = "grid_worker", _("grid worker")
    VOLUNTEER = "volunteer", _("safety volunteer")
    PATROL = "patrol", _("patrol member")
    SECURITY = "security", _("security guard")
    POLICE = "police", _("police officer")
    CONTACT = "contact", _("unit contact person")


class GroupKind(models.TextChoices):
    LEADING = "leading", _("leading group")
    OFFICE = "office", _("office")
    WORKING = "working", _("special working group")


class WorkingKind(models.TextChoices):
    """The eight working groups of the community patrol and safety measures (preset B)."""

    SOCIAL_SAFETY = "social_safety", _("social safety")
    PUBLIC_ORDER = "public_order_criminal", _("major public-order and criminal cases")
    ACCIDENTS = "accidents", _("accidents")
    PUBLIC_HEALTH = "public_health", _("public health")
    NATURAL_DISASTERS = "natural_disasters", _("natural disasters")
    NETWORK_SECURITY = "network_security", _("network and information security")
    EXAM_SECURITY = "exam_security", _("examination security")
    INFORMATION = "information", _("information")


class Position(models.TextChoices):
    LEADER = "leader", _("group leader")
    DEPUTY = "deputy", _("deputy leader")
    DIRECTOR = "director", _("office director")
    MEMBER = "member", _("member")
    LIAISON = "liaison", _("liaison")


class Role(models.TextChoices):
    LEADER = "leader", _("leader")
    OFFICE_STAFF = "office_staff", _("office staff")
    GRID_WORKER = "grid_worker", _("grid worker")
    PATROL_MEMBER = "patrol_member", _("patrol member")
    INSPECTOR = "inspector", _("inspector")
    UNIT_LIAISON = "unit_liaison", _("unit liaison")
    VIEWER = "viewer", _("viewer")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")


class ChangeSource(models.TextChoices):
    WEB = "web", _("web page")
    API = "api", _("API")
    COMMAND = "command", _("command")
    TASK = "task", _("background task")
    SYSTEM = "system", _("system")


class TeamKind(models.TextChoices):
    """The forces of the plans: who patrols, stands by, guards."""
    POLICE = "police", _("police patrol")
    FULL_TIME = "full_time", _("full-time patrol team")
    VOLUNTEERS = "volunteers", _("safety volunteers")
    PROPERTY = "property", _("property security")
    SCHOOL = "school", _("school security")
    MILITIA = "militia", _("militia")
    RESERVE = "reserve", _("reserve team")


class HolidayKind(models.TextChoices):
    PUBLIC = "public", _("public holiday")
    SCHOOL = "school", _("school holiday")
    SENSITIVE = "sensitive", _("sensitive period")
