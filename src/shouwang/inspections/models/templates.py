"""Checklist templates: versioned; a version that was used never changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.registers.choices import Category

from ..choices import AnswerType, Severity


class ChecklistTemplate(ScopedModel):
    """A checklist for one place category (fuel station, school...), on a node and below."""

    permission_area = "inspections"

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("place category"), max_length=32, choices=Category.choices, blank=True,
                                help_text=_("Empty: for any place (e.g. a supervision checklist)."))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["category", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="template_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:checklisttemplate_detail", args=[self.pk])

    @property
    def current(self):
        """The newest version (the one new inspections use)."""
        return self.versions.order_by("-number").first()


class TemplateVersion(ScopedModel):
    """One version of a template: its items. Frozen once an inspection used it."""

    permission_area = "inspections"

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("template"))
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]

    def __str__(self):
        return f"{self.template.name} v{self.number}"

    def get_absolute_url(self):
        return reverse("inspections:checklisttemplate_detail", args=[self.template_id])

    def save(self, *args, **kwargs):
        if self.template_id:
            self.jurisdiction_id = self.template.jurisdiction_id
        super().save(*args, **kwargs)

    @property
    def used(self) -> bool:
        return self.inspections.exists()

    @property
    def max_score(self) -> int:
        return sum(i.weight for i in self.items.all())


class TemplateItem(ScopedModel):
    """A question of a version: how it is answered and what a failure means."""

    permission_area = "inspections"

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("template version"))
    section = models.CharField(_("section"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("question"), max_length=300)
    answer_type = models.CharField(_("answer type"), max_length=8, choices=AnswerType.choices,
                                   default=AnswerType.YES_NO)
    min_value = models.FloatField(_("lowest acceptable value"), null=True, blank=True)
    max_value = models.FloatField(_("highest acceptable value"), null=True, blank=True)
    unit_label = models.CharField(_("unit of measure"), max_length=20, blank=True)
    options = models.JSONField(_("choices"), default=list, blank=True,
                               help_text=_("For a choice: the options people pick from."))
    failing_options = models.JSONField(_("failing choices"), default=list, blank=True)
    photo_required = models.BooleanField(_("photo required"), default=False)
    severity = models.CharField(_("severity of a failure"), max_length=8, choices=Severity.choices,
                                default=Severity.GENERAL)
    weight = models.PositiveSmallIntegerField(_("points"), default=1)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("inspections:checklisttemplate_detail", args=[self.version.template_id])

    def save(self, *args, **kwargs):
        if self.version_id:
            self.jurisdiction_id = self.version.jurisdiction_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.answer_type == AnswerType.NUMBER:
            if self.min_value is None and self.max_value is None:
                errors["min_value"] = _("A number needs a lowest or a highest acceptable value.")
            elif None not in (self.min_value, self.max_value) and self.min_value > self.max_value:
                errors["max_value"] = _("The highest value is below the lowest.")
        if self.answer_type == AnswerType.CHOICE:
            if len(self.options or []) < 2:
                errors["options"] = _("A choice needs at least two options.")
            elif not set(self.failing_options or []) <= set(self.options or []):
                errors["failing_options"] = _("A failing choice must be one of the options.")
        if errors:
            raise ValidationError(errors)
