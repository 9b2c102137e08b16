from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.TextChoices):
    """What the audit lists: the obligation states that count against someone."""

    MET_LATE = "met_late", _("done late")
    MISSED = "missed", _("not done")
    WAIVED = "waived", _("waived")
