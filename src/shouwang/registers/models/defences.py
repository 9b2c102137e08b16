"""Physical, technical and staffed defences of a key place."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel
from shouwang.core.validators import head_count

from ..choices import KIND_OF_DEFENCE_TYPE, DefenceKind, DefenceType, WorkingState
from .places import KeyPlace


class Defence(ScopedModel):
    permission_area = "registers"

    place = models.ForeignKey(KeyPlace, on_delete=models.CASCADE, related_name="defences", verbose_name=_("key place"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(pgettext_lazy("defence", "kind"), max_length=12, choices=DefenceKind.choices)
    type = models.CharField(_("type"), max_length=16, choices=DefenceType.choices)
    cctv_count = models.PositiveSmallIntegerField(_("number of cameras"), null=True, blank=True,
                                                  validators=[head_count(10000)])
    coverage_percent = models.PositiveSmallIntegerField(_("coverage (%)"), null=True, blank=True)
    guard_count = models.PositiveSmallIntegerField(_("number of guards"), null=True, blank=True,
                                                   validators=[head_count(5000)])
    state = models.CharField(_("working state"), max_length=16, choices=WorkingState.choices, default=WorkingState.WORKING)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    check_period_days = models.PositiveSmallIntegerField(
        _("check period (days)"), null=True, blank=True,
        help_text=_("Empty: the node's policy (review_periods.defence_check_days)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("defence")
        verbose_name_plural = _("defences")
        ordering = ["place", "kind", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:defence_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.place_id and self.jurisdiction_id and self.place.jurisdiction_id != self.jurisdiction_id:
            errors["place"] = _("The key place must be on the same node as the defence.")
        expected = KIND_OF_DEFENCE_TYPE.get(self.type)
        if expected and self.kind and expected != self.kind:
            errors["type"] = _("This type belongs to another kind of defence.")
        if self.coverage_percent is not None and self.coverage_percent > 100:
            errors["coverage_percent"] = _("Coverage is a percentage between 0 and 100.")
        if self.type == DefenceType.CCTV and not self.cctv_count:
            errors["cctv_count"] = _("Give the number of cameras.")
        if self.check_period_days is not None and not 1 <= self.check_period_days <= 3650:
            errors["check_period_days"] = _("A check period is between 1 and 3650 days.")
        if errors:
            raise ValidationError(errors)
