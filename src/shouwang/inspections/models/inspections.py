"""Plans and inspections: what is to be inspected, and what an inspector found on site."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel
from shouwang.core.models.org import validate_lat, validate_lon

from ..choices import PlanKind, Result
from .templates import ChecklistTemplate, TemplateItem, TemplateVersion


class InspectionPlan(ScopedModel):
    """Routine (every N days), pre-holiday (before a holiday) or a special campaign (a set of
    places, a template, a deadline). Each planned inspection is an obligation."""

    permission_area = "inspections"

    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    name = models.CharField(_("name"), max_length=120)
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="plans", verbose_name=_("checklist template"),
                                 help_text=_("Empty: each place's category template."))
    categories = models.JSONField(_("place categories"), default=list, blank=True,
                                  help_text=_("Routine and pre-holiday plans cover the places of these categories."))
    places = models.ManyToManyField("registers.KeyPlace", blank=True, related_name="inspection_plans",
                                    verbose_name=_("key places"))
    holiday = models.ForeignKey("core.Holiday", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="inspection_plans", verbose_name=_("holiday"))
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    inspector = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="inspection_plans", verbose_name=_("responsible inspector"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:inspectionplan_detail", args=[self.pk])


def _signature_path(instance, filename):
    return f"inspections/signatures/{instance.client_uuid}-{filename}"


class Inspection(ScopedModel):
    """One inspection of a key place (or a unit), sent from a phone with a client UUID."""

    idempotency_owner = "inspector"
    permission_area = "inspections"
    changelog_exclude = ("inspector_signature", "present_signature")

    client_uuid = models.UUIDField(_("client id"), unique=True)
    place = models.ForeignKey("registers.KeyPlace", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="inspections", verbose_name=_("key place"))
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="inspections", verbose_name=_("unit"))
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="inspections",
                                verbose_name=_("checklist"))
    plan = models.ForeignKey(InspectionPlan, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="inspections", verbose_name=pgettext_lazy("inspections", "plan"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=pgettext_lazy("inspections", "inspector"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at (phone)"))
    received_at = models.DateTimeField(_("received by the server at"))
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    score = models.PositiveIntegerField(_("score"), default=0)
    max_score = models.PositiveIntegerField(_("highest score"), default=0)
    failed_count = models.PositiveSmallIntegerField(_("failed items"), default=0)
    present_person = models.CharField(_("unit's person present"), max_length=60, blank=True)
    inspector_signature = models.FileField(_("inspector's signature"), upload_to=_signature_path, blank=True)
    present_signature = models.FileField(_("signature of the person present"), upload_to=_signature_path,
                                         blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-finished_at", "-pk"]
        indexes = [models.Index(fields=["place", "-finished_at"], name="inspection_place_recent")]

    def __str__(self):
        target = self.place or self.unit
        return f"{target} · {self.finished_at:%Y-%m-%d}" if self.finished_at else str(target)

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])

    @property
    def percent(self):
        return round(100 * self.score / self.max_score) if self.max_score else None


class Answer(ScopedModel):
    """The answer to one item; its result is computed when it is stored and never changes."""

    permission_area = "inspections"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers",
                                   verbose_name=_("inspection"))
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="answers",
                             verbose_name=_("checklist item"))
    value = models.CharField(_("answer"), max_length=500, blank=True)
    number = models.FloatField(_("value"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["inspection", "item__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="answer_unique_per_item")]

    def __str__(self):
        return f"{self.item.text}: {self.get_result_display()}"

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.inspection_id])


def _photo_path(instance, filename):
    return f"inspections/photos/{instance.client_uuid}{filename[filename.rfind('.'):] if '.' in filename else ''}"


class Photo(ScopedModel):
    """A photo of an inspection item or of a rectification's evidence, with the server's
    receipt time and the phone's position."""

    idempotency_owner = "taken_by"
    permission_area = "inspections"
    changelog_exclude = ("file",)

    client_uuid = models.UUIDField(_("client id"), unique=True)
    file = models.FileField(_("photo"), upload_to=_photo_path)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="photos", verbose_name=_("inspection"))
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="photos",
                               verbose_name=_("answer"))
    order = models.ForeignKey("inspections.RectificationOrder", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="photos", verbose_name=_("rectification order"))
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("taken by"))
    device_time = models.DateTimeField(_("device time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the server at"))
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["received_at", "pk"]

    def __str__(self):
        return self.caption or self.file.name

    def get_absolute_url(self):
        if self.order_id:
            return reverse("inspections:rectificationorder_detail", args=[self.order_id])
        return reverse("inspections:inspection_detail", args=[self.inspection_id])

    def changelog_snapshot_extra(self):
        return {"file": self.file.name or ""}
