"""What people on a roster ask of each other: swaps of a shift, and the handover between shifts."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from ..choices import OPEN_SWAPS, SwapState
from .roster import Assignment, Roster


class SwapRequest(ScopedModel):
    """A person asks a colleague to take his shift; the colleague accepts; the office approves.
    Every step re-checks the roster's rules for the colleague and refuses naming the rule."""

    permission_area = "duty"
    duty_lookups = ("requester__user", "colleague__user")
    idempotency_owner = "created_by"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="swaps",
                                   verbose_name=_("shift"))
    requester = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("asked by"))
    colleague = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="swaps_asked",
                                  verbose_name=_("colleague"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=SwapState.choices, default=SwapState.REQUESTED)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    refusal = models.TextField(_("why refused"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("sent by"))
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], condition=Q(state__in=OPEN_SWAPS),
                                    name="swap_one_open_per_shift"),
            models.CheckConstraint(condition=~Q(requester=F("colleague")), name="swap_not_to_oneself"),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.colleague}"

    def get_absolute_url(self):
        return reverse("duty:swaprequest_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in OPEN_SWAPS


class Handover(ScopedModel):
    """交接班: the outgoing person writes what the next shift must know; the incoming person
    acknowledges it. Unacknowledged 30 minutes after it was written, it escalates (an obligation
    of the incoming person)."""

    permission_area = "duty"
    duty_lookups = ("written_by__user", "incoming__user")
    idempotency_owner = "created_by"

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="handovers",
                               verbose_name=_("duty roster"))
    assignment = models.ForeignKey(Assignment, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="handovers", verbose_name=_("shift handed over"))
    written_by = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("outgoing"))
    incoming = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="handovers_received",
                                 verbose_name=_("incoming"))
    written_at = models.DateTimeField(_("written at"))
    open_items = models.TextField(_("open items"), blank=True)
    incidents = models.TextField(_("incidents on the shift"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("sent by"))
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = pgettext_lazy("duty", "handover")
        verbose_name_plural = _("handovers")
        ordering = ["-written_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(written_by=F("incoming")), name="handover_to_another")]

    def __str__(self):
        return f"{self.written_by} → {self.incoming} {timezone.localtime(self.written_at):%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("duty:handover_detail", args=[self.pk])

    @property
    def ack_due(self):
        """By when the incoming person acknowledges it (30 minutes after it was written)."""
        return self.written_at + timedelta(minutes=30)
