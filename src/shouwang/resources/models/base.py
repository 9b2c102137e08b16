"""What every resources record shares: its area of rights, and the record it was used for."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from shouwang.core.models import ScopedModel


class ResourceModel(ScopedModel):
    permission_area = "resources"

    class Meta:
        abstract = True


class UsedFor(models.Model):
    """The record a resource was used for (an incident, a drill): referred to by type and id, so
    resources need not know the apps above them that use it."""

    cause_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False)
    cause_id = models.CharField(max_length=64, blank=True, editable=False)
    cause = GenericForeignKey("cause_type", "cause_id")

    class Meta:
        abstract = True

    def set_cause(self, record):
        if record is None:
            self.cause_type, self.cause_id = None, ""
        else:
            self.cause_type = ContentType.objects.get_for_model(type(record), for_concrete_model=False)
            self.cause_id = str(record.pk)

    @property
    def cause_label(self):
        return str(self.cause) if self.cause_type_id else ""


def cause_filter(record, prefix=""):
    """Filter arguments for the rows used for `record`."""
    ct = ContentType.objects.get_for_model(type(record), for_concrete_model=False)
    return {f"{prefix}cause_type": ct, f"{prefix}cause_id": str(record.pk)}


def cause_fields(record):
    """The columns that say a row was used for `record` (for rows made in bulk)."""
    if record is None:
        return {}
    return {"cause_type": ContentType.objects.get_for_model(type(record), for_concrete_model=False),
            "cause_id": str(record.pk)}


