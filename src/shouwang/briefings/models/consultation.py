"""The daily information consultation (每日情报信息会商): one record per day and node, who
attended, what was reviewed, the analysis, and the decisions, each a task with a time limit."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel


class Consultation(ScopedModel):
    permission_area = "briefings"

    date = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"), help_text=_("Who took part, one name or office per line."))
    items = models.TextField(_("items reviewed"), help_text=_("What was summed up and reviewed, one item per line."))
    analysis = models.TextField(_("analysis"), blank=True, help_text=_("The assessment of the situation (研判)."))
    briefing = models.ForeignKey("briefings.Briefing", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="consultations", verbose_name=_("briefing reviewed"))
    chaired_by = models.CharField(_("chaired by"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("daily consultation")
        verbose_name_plural = _("daily consultations")
        ordering = ["-date", "jurisdiction", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "date"], name="consultation_one_per_day",
                                               violation_error_message=_("This node's consultation of that day "
                                                                         "is already recorded."))]

    def __str__(self):
        return f"{self.jurisdiction.name} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("briefings:consultation_detail", args=[self.pk])


class Decision(ScopedModel):
    """A decision of a consultation: a task for a person or unit with a time limit (an obligation)."""

    permission_area = "briefings"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="decisions",
                                     verbose_name=_("daily consultation"))
    text = models.CharField(pgettext_lazy("consultation", "decision"), max_length=300)
    responsible_unit = models.ForeignKey("core.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("responsible unit"))
    responsible_person = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("responsible person"))
    due_at = models.DateTimeField(_("to be done by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("done by"))
    done_note = models.CharField(pgettext_lazy("consultation", "what was done"), max_length=300, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("consultation", "decision")
        verbose_name_plural = _("decisions")
        ordering = ["consultation", "pk"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("briefings:consultation_detail", args=[self.consultation_id]) + f"#decision-{self.pk}"
