from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """Derived from the stored facts and the clock; never stored."""

    UPCOMING = "upcoming", _("upcoming")
    OPEN = "open", _("open")
    DUE_SOON = "due_soon", _("due soon")
    MET = "met", _("met")
    MET_LATE = "met_late", _("met late")
    MISSED = "missed", _("missed")
    WAIVED = "waived", _("waived")


# States that count against someone in the accountability audit.
FAILED_STATES = (State.MET_LATE, State.MISSED, State.WAIVED)
