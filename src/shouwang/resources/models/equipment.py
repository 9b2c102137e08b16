"""Equipment with serial numbers, issued to a person or a team and returned; its asset log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import Condition, EquipmentKind, EquipmentState, EventKind, Purpose
from .base import ResourceModel, UsedFor
from .supplies import Store


class Equipment(ResourceModel):
    """A piece of equipment (stab vest, helmet, radio...) known by its serial number."""

    kind = models.CharField(_("kind"), max_length=16, choices=EquipmentKind.choices)
    name = models.CharField(_("make and model"), max_length=100, help_text=_("e.g. 防刺背心 FC-2"))
    serial_number = models.CharField(_("serial number"), max_length=60)
    store = models.ForeignKey(Store, on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment",
                              verbose_name=_("kept at"))
    state = models.CharField(_("state"), max_length=12, choices=EquipmentState.choices,
                             default=EquipmentState.AVAILABLE, editable=False)
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices, default=Condition.GOOD)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["kind", "serial_number", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "serial_number"],
                                               name="equipment_unique_serial_per_node")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.serial_number}"

    def get_absolute_url(self):
        return reverse("resources:equipment_detail", args=[self.pk])


class EquipmentIssue(ResourceModel, UsedFor):
    """Equipment handed to a person or a team, with its purpose and when it is due back; the
    return (with the condition found) closes it. At most one open issue per piece."""

    idempotency_owner = "issued_by"
    duty_lookups = ("person__user",)  # the person it was issued to sees his own

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="issues",
                                  verbose_name=_("equipment"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("issued to (person)"))
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("issued to (team)"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    issued_at = models.DateTimeField(_("issued at"))
    due_back_at = models.DateTimeField(_("due back"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_condition = models.CharField(_("condition on return"), max_length=12, choices=Condition.choices,
                                        blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("received by"))
    note = models.TextField(_("note"), blank=True)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("equipment issue")
        verbose_name_plural = _("equipment issues")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["equipment"], condition=Q(returned_at__isnull=True),
                                               name="equipment_one_open_issue")]

    def __str__(self):
        return f"{self.equipment} → {self.holder}"

    @property
    def holder(self):
        """Who has it, as people say it: the person, with the team in brackets when both are named."""
        if self.person_id and self.team_id:
            return gettext("%(person)s (%(team)s)") % {"person": self.person, "team": self.team}
        return str(self.person or self.team or "")

    @property
    def is_out(self):
        return self.returned_at is None

    def get_absolute_url(self):
        return self.equipment.get_absolute_url()

    def clean(self):
        if not self.person_id and not self.team_id:
            raise ValidationError({"person": _("Issue it to a person or a team.")})
        if self.due_back_at and self.issued_at and self.due_back_at <= self.issued_at:
            raise ValidationError({"due_back_at": _("It must be due back after it is issued.")})


class EquipmentEvent(ResourceModel):
    """The asset log: issued, returned, checked, sent for repair, back, lost, found, retired."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="events",
                                  verbose_name=_("equipment"))
    kind = models.CharField(_("what happened"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("recorded by"))
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices, blank=True)
    issue = models.ForeignKey(EquipmentIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
                              verbose_name=_("equipment issue"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("equipment log entry")
        verbose_name_plural = _("equipment log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.equipment} {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.equipment.get_absolute_url()
