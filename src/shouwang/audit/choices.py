from django.db import models
from django.utils.translation import pgettext_lazy


class Finding(models.TextChoices):
    """What the audit lists: the obligation states that count against someone."""

    MET_LATE = "met_late", pgettext_lazy("audit finding", "done late")
    MISSED = "missed", pgettext_lazy("audit finding", "not done")
    WAIVED = "waived", pgettext_lazy("audit finding", "waived")
