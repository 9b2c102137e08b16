"""A briefing (简报) of a node and a period, made from the data; reviewed, then issued.

The figures are frozen in `content` when the briefing is made, with the data time they were
read at (`data_at`): the text the office edits around them (按语, notes per section) never
changes a figure, and an issued briefing is immutable: its number (期号, per year and node),
its time and issuer, and its Word document stored once.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from ..choices import BriefingState


def _document_path(instance, filename):
    return f"briefings/{instance.jurisdiction_id}/{instance.year}-{instance.sequence:03d}.docx"


class Briefing(ScopedModel):
    permission_area = "briefings"
    changelog_exclude = ("document", "content")  # the figures are the data's; the log keeps who did what

    title = models.CharField(_("title"), max_length=120)
    days = models.PositiveSmallIntegerField(_("period (days)"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    data_at = models.DateTimeField(_("data as of"), help_text=_("The moment the figures were read from the data."))
    content = models.JSONField(_("figures"), default=dict, blank=True)
    remark = models.TextField(_("remark (按语)"), blank=True,
                              help_text=_("The editor's remark printed before the body."))
    notes = models.JSONField(_("notes"), default=dict, blank=True)  # {section key: the editor's note under it}
    issuer = models.CharField(_("issuing office"), max_length=100)
    distribution = models.CharField(_("distribution"), max_length=300, blank=True,
                                    help_text=_("报 / 送 / 发: who receives it."))
    state = models.CharField(_("state"), max_length=10, choices=BriefingState.choices, default=BriefingState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("made by"))
    reviewed_at = models.DateTimeField(pgettext_lazy("briefing", "reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(pgettext_lazy("briefing", "issue number"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    document = models.FileField(_("document"), upload_to=_document_path, blank=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-end", "-pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year", "sequence"],
                                               name="briefing_number_unique")]
        indexes = [models.Index(fields=["jurisdiction", "end"], name="briefing_node_end_idx")]

    def __str__(self):
        return f"{self.title} {self.number_text}".strip()

    def get_absolute_url(self):
        return reverse("briefings:briefing_detail", args=[self.pk])

    @property
    def number_text(self) -> str:
        """期号 as printed: 2026年第12期."""
        return f"{self.year}年第{self.sequence}期" if self.sequence else ""

    @property
    def is_issued(self) -> bool:
        return self.state == BriefingState.ISSUED

    @property
    def sections(self) -> list:
        return (self.content or {}).get("sections", [])
