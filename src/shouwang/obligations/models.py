"""The obligation: a duty with a time limit. Facts are stored; the state is derived.

An obligation is open from `opens_at` (or `window_start`) until `due_at`; it is met when
`met_at` is set (late if after `due_at`), waived when `waived_at` is set with a reason, and
missed when the clock passes `due_at` with neither. Escalation progress is stored as facts
too (`escalation_step`, with a fencing token), so a sweep that runs twice sends nothing twice.
"""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.scope import ScopedManager
from shouwang.policies.services import rule_label

from . import kinds, webhook_targets
from .choices import Channel, DeliveryStatus, NotificationKind, State, Step
from .querysets import DEFAULT_DUE_SOON, ObligationQuerySet


class Obligation(ScopedModel):
    permission_area = "obligations"
    duty_lookups = ("responsible_person__user",)  # "my obligations" wherever they are
    changelog_hidden = ("key",)  # the opener's idempotency key: bookkeeping, not a fact people read

    @staticmethod
    def changelog_value(name, value):
        """Kinds and rules in the history by their words, not their keys."""
        if name == "kind" and value:
            return kinds.label(value)
        if name == "rule" and value:
            return rule_label(value)
        return None

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    key = models.CharField(
        _("key"), max_length=200, unique=True, null=True, blank=True,
        help_text=_("Natural key that makes opening idempotent (e.g. one per report slot and day)."),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    responsible_unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="obligations",
        verbose_name=_("responsible unit"),
    )
    responsible_person = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="obligations",
        verbose_name=_("responsible person"),
    )
    opens_at = models.DateTimeField(_("opens at"))
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("met by")
    )
    evidence = models.CharField(_("evidence"), max_length=200, blank=True, help_text=_("What met it, e.g. report 12."))
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("waived by"),
    )
    waive_reason = models.TextField(_("reason for waiver"), blank=True)
    policy_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="obligations",
        verbose_name=_("policy version"),
    )
    rule = models.CharField(_("rule"), max_length=64, blank=True)
    # A drill's duty (an exercise incident's clock or task): measured with the drill, never counted
    # as a real duty (`ObligationQuerySet.real()`). Set when opened, from its subject; never changed.
    drill = models.BooleanField(_("drill"), default=False, editable=False)
    # Escalation progress: facts written by the sweep under a row lock.
    escalation_step = models.PositiveSmallIntegerField(default=0)
    sweep_token = models.PositiveIntegerField(default=0)

    objects = ScopedManager.from_queryset(ObligationQuerySet)()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["jurisdiction", "due_at"], name="obligation_node_due_idx"),
            models.Index(fields=["responsible_person", "due_at"], name="obligation_person_due_idx"),
            models.Index(fields=["responsible_unit", "due_at"], name="obligation_unit_due_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="obligation_subject_idx"),
            # The sweep reads only pending rows by due time: keep that index small.
            models.Index(
                fields=["due_at"], name="obligation_pending_due_idx",
                condition=Q(met_at__isnull=True, waived_at__isnull=True),
            ),
            # What the escalation sweep still has to look at: pending and not fully escalated.
            models.Index(
                fields=["due_at", "id"], name="obligation_sweep_idx",
                condition=Q(met_at__isnull=True, waived_at__isnull=True, escalation_step__lt=Step.OFFICE),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):

        return reverse("obligations:obligation_detail", args=[self.pk])

    def state_at(self, now=None, due_soon=DEFAULT_DUE_SOON) -> State:
        now = now or timezone.now()
        if self.waived_at:
            return State.WAIVED
        if self.met_at:
            return State.MET if self.met_at <= self.due_at else State.MET_LATE
        if now > self.due_at:
            return State.MISSED
        if now >= self.due_at - due_soon:
            return State.DUE_SOON
        if now < self.opens_at:
            return State.UPCOMING
        return State.OPEN

    @property
    def state(self) -> State:
        return self.state_at()

    def lateness(self, now=None) -> timedelta | None:
        """How late it was met, or how overdue it is; None when on time or waived."""
        now = now or timezone.now()
        if self.waived_at:
            return None
        end = self.met_at or now
        return end - self.due_at if end > self.due_at else None


class Webhook(ScopedModel):
    """A URL that receives every escalation on its node and below, signed with HMAC-SHA256."""

    permission_area = "obligations"
    changelog_exclude = ("secret", "url")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"), max_length=200,
        help_text=_("Shared secret; each POST carries X-Shouwang-Signature: sha256=HMAC(secret, body)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["jurisdiction", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("obligations:webhook_detail", args=[self.pk])

    def changelog_snapshot_extra(self):
        """The log keeps where a webhook points without its query (tokens live there): the query
        as a fingerprint, so a change of token is still a recorded change."""
        parts = urlsplit(self.url or "")
        shown = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else ""
        if parts.query:
            shown += "?…" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
        return {"url": shown}

    def clean(self):

        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": _("A webhook URL starts with http:// or https://.")})
        if self.url and webhook_targets.refusal(self.url):
            raise ValidationError({"url": _("This address is internal or unknown; the administrator must allow it "
                                            "(SHOUWANG_WEBHOOK_ALLOW).")})
        if self.secret is not None and 0 < len(self.secret.strip()) < 16:
            raise ValidationError({"secret": _("Use a secret of at least 16 characters.")})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one person's in-product inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient"),
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("obligation"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # The record a plain message is about (an incident page); an obligation's message links the obligation.
    url = models.CharField(_("link"), max_length=200, blank=True)
    # The obligation's fencing token when the sweep claimed it (0 for plain messages).
    sweep_token = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]
        constraints = [
            # Belt and braces under the row lock: one message per recipient, step and claim.
            models.UniqueConstraint(
                fields=["obligation", "recipient", "kind", "sweep_token"], name="notification_once_per_claim",
                condition=Q(obligation__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One send of one message over one channel, with its outcome."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries",
        verbose_name=_("notification"),
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries",
        verbose_name=_("obligation"),
    )
    webhook = models.ForeignKey(
        Webhook, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries", verbose_name=_("webhook"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    target = models.CharField(_("to"), max_length=500, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sweep_token = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="delivery_pending_idx", condition=Q(status="pending")),
            models.Index(fields=["next_attempt_at"], name="delivery_retry_idx", condition=Q(status="failed")),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.target}"

    @property
    def shown_to(self):
        """Who was notified, as the obligation's page says it: a person by name, a webhook by its
        name; never an e-mail address or a URL (those are for who manages the channels)."""
        if self.channel == Channel.WEBHOOK:
            return self.webhook.name if self.webhook_id and self.webhook else str(_("a removed webhook"))
        recipient = self.notification.recipient if self.notification_id and self.notification else None
        if recipient is None:
            return "—"
        person = getattr(recipient, "person", None)
        return person.name if person is not None else (recipient.get_full_name() or recipient.get_username())
