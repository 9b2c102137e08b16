"""Findings and their rectification: ordered, done, and verified by someone who did not fix it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from ..choices import FindingSource, OrderState, Result, Severity
from .inspections import Answer, Inspection


class Finding(ScopedModel):
    """A hazard found: from an inspection's failed item, a patrol's sighting, a supervision visit
    or an imported ledger. Every finding at or above the threshold has its order."""

    permission_area = "inspections"

    source = models.CharField(_("source"), max_length=12, choices=FindingSource.choices)
    place = models.ForeignKey("registers.KeyPlace", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="findings", verbose_name=_("key place"))
    unit = models.ForeignKey("core.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="findings", verbose_name=_("unit"))
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="findings", verbose_name=_("inspection"))
    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="finding", verbose_name=_("answer"))
    sighting = models.OneToOneField("patrols.Sighting", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="finding", verbose_name=_("sighting"))
    visit = models.ForeignKey("inspections.SupervisionVisit", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="findings", verbose_name=_("supervision visit"))
    description = models.TextField(_("hazard"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("found by"))

    class Meta:
        verbose_name = pgettext_lazy("inspections", "finding")
        verbose_name_plural = pgettext_lazy("inspections", "findings")
        ordering = ["-found_at", "-pk"]

    def __str__(self):
        return self.description[:60]

    def get_absolute_url(self):
        order = getattr(self, "order", None)
        if order is not None:
            return order.get_absolute_url()
        return reverse("inspections:finding_detail", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.severity == Severity.MAJOR


class RectificationOrder(ScopedModel):
    """What the responsible unit must put right, by when; its state is the lifecycle."""

    permission_area = "inspections"
    duty_lookups = ("responsible_person__user",)  # the unit's person sees and reports his orders

    number = models.CharField(_("number"), max_length=24, unique=True)
    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="order",
                                   verbose_name=pgettext_lazy("inspections", "finding"))
    responsible_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="rectification_orders", verbose_name=_("responsible unit"))
    responsible_person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="rectification_orders",
                                           verbose_name=_("responsible person"))
    requirement = models.TextField(_("what must be done"))
    deadline = models.DateTimeField(_("deadline"))
    state = models.CharField(_("state"), max_length=12, choices=OrderState.choices, default=OrderState.ORDERED)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("ordered by"))
    reported_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reported done by"))
    report_text = models.TextField(_("what was done"), blank=True)
    verify_by = models.DateTimeField(_("to be verified by"), null=True, blank=True)
    failed_count = models.PositiveSmallIntegerField(_("failed verifications"), default=0)
    supervised = models.BooleanField(_("listed for supervision"), default=False,
                                     help_text=_("挂牌督办: on the street's supervision list until closed."))
    closed_at = models.DateTimeField(pgettext_lazy("inspections", "closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="order_state_deadline")]

    def __str__(self):
        return f"{self.number} {self.finding.description[:40]}"

    def get_absolute_url(self):
        return reverse("inspections:rectificationorder_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state != OrderState.CLOSED

    @property
    def assignee_user_id(self):
        person = self.responsible_person
        return person.user_id if person else None


class RectificationPlan(ScopedModel):
    """A major hazard's plan with its six elements (the “五到位” practice)."""

    permission_area = "inspections"

    order = models.OneToOneField(RectificationOrder, on_delete=models.CASCADE, related_name="plan",
                                 verbose_name=_("rectification order"))
    goal = models.TextField(_("goal and task"))
    method = models.TextField(_("method and measures"))
    funds = models.TextField(_("funds and materials"))
    responsible = models.TextField(_("responsible body and people"))
    time_limit = models.DateTimeField(pgettext_lazy("inspections", "time limit"))
    safety_measures = models.TextField(_("safety measures and emergency plan"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    SIX_ELEMENTS = ("goal", "method", "funds", "responsible", "time_limit", "safety_measures")

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")

    def __str__(self):
        return str(self.order)

    def get_absolute_url(self):
        return self.order.get_absolute_url()


class Verification(ScopedModel):
    """A re-verification of reported work. The verifier is neither the order's assignee nor the
    person who reported it done: the service says why, the database refuses it anyway."""

    permission_area = "inspections"

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="verifications",
                              verbose_name=_("rectification order"))
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("verifier"))
    # Copied from the order when verifying, so the database can check the rule on this row.
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reported done by"))
    at = models.DateTimeField(_("verified at"))
    result = models.CharField(_("result"), max_length=4, choices=[(Result.PASS, Result.PASS.label),
                                                                 (Result.FAIL, Result.FAIL.label)])
    note = models.TextField(_("note"), blank=True)
    on_site = models.BooleanField(_("on-site acceptance"), default=False)
    acceptance_members = models.CharField(_("acceptance members"), max_length=300, blank=True)
    new_deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["order", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignee__isnull=True) | ~Q(verifier=F("assignee")))
                & (Q(reporter__isnull=True) | ~Q(verifier=F("reporter"))),
                name="verifier_is_not_the_fixer",
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.get_result_display()}"

    def get_absolute_url(self):
        return self.order.get_absolute_url()
