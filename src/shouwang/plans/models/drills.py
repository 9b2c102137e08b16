"""Drills (演练): a scenario with timed injects and the actions expected of the players, run as an
exercise incident, evaluated on the phone, and followed by the after-action report whose areas for
improvement become corrective actions.

Times: an inject's offset counts exercise time from the start, pauses left out; an expected
action's window counts from its inject's delivery.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    DRILL_MARK,
    DrillKind,
    DrillState,
    ImprovementState,
    InjectState,
    Level,
    Rating,
)
from .plans import PlansScoped


class Drill(PlansScoped):
    # responders and evaluators see the drill they play in (core.scope), wherever it is
    duty_lookups = ("injects__recipient_person__user", "injects__recipient_group__memberships__person__user",
                    "evaluators__user")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=DrillKind.choices)
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="drills",
                             verbose_name=_("plan"))
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="drills",
                             verbose_name=_("unit"), help_text=_("The school or unit that drills."))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    objectives = models.TextField(_("objectives"), blank=True)
    scenario = models.TextField(_("scenario"), blank=True, help_text=_("The situation the players are told."))
    # The exercise incident the drill opens (through the same intake as a real one).
    category = models.CharField(_("incident category"), max_length=32)
    level = models.CharField(_("incident level"), max_length=3, choices=Level.choices, default=Level.IV)
    address = models.CharField(_("where"), max_length=200)
    storeys = models.PositiveSmallIntegerField(_("storeys of the building"), null=True, blank=True,
                                               help_text=_("For an evacuation: the target time depends on it."))
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    evaluators = models.ManyToManyField("core.Person", blank=True, related_name="drills_evaluated",
                                        verbose_name=_("evaluators"))
    # The run: facts; the state follows from them.
    state = models.CharField(_("state"), max_length=8, choices=DrillState.choices, default=DrillState.PLANNED,
                             editable=False)
    plan_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="drills", editable=False, verbose_name=_("plan version exercised"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("started by"))
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True, editable=False)
    paused_seconds = models.PositiveIntegerField(_("paused for (seconds)"), default=0, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", editable=False, verbose_name=_("ended by"))
    evacuation_signal_at = models.DateTimeField(_("evacuation signal"), null=True, blank=True, editable=False)
    all_clear_at = models.DateTimeField(_("all clear"), null=True, blank=True, editable=False)
    target_seconds = models.PositiveIntegerField(_("evacuation target (seconds)"), null=True, blank=True,
                                                 editable=False)
    target_basis = models.CharField(_("target from"), max_length=200, blank=True, editable=False)
    # The exercise incident's clocks as measured when the drill ended (label, due, met, state).
    clocks = models.JSONField(_("clocks measured"), default=list, blank=True, editable=False)
    strengths = models.TextField(_("strengths"), blank=True)
    reported_at = models.DateTimeField(_("after-action report at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self):
        return f"{DRILL_MARK}{self.title}"

    def get_absolute_url(self):
        return reverse("plans:drill_detail", args=[self.pk])

    @property
    def is_live(self):
        return self.state in (DrillState.RUNNING, DrillState.PAUSED)

    def elapsed(self, now=None) -> timedelta:
        """Exercise time: from the start to now (or the end), pauses left out."""
        if self.started_at is None:
            return timedelta(0)
        end = self.ended_at or self.paused_at or now or timezone.now()
        return max(end - self.started_at - timedelta(seconds=self.paused_seconds), timedelta(0))

    @property
    def evacuation_seconds(self):
        if self.evacuation_signal_at and self.all_clear_at:
            return int((self.all_clear_at - self.evacuation_signal_at).total_seconds())
        return None

    @property
    def evacuation_met(self):
        seconds = self.evacuation_seconds
        if seconds is None or self.target_seconds is None:
            return None
        return seconds <= self.target_seconds


class Inject(PlansScoped):
    """A timed message of the scenario (master scenario events list): delivered at its offset by the
    sweep, or, a contingency inject, offered when its expected action was not logged in time."""

    duty_lookups = ("recipient_person__user", "recipient_group__memberships__person__user")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="injects", verbose_name=_("drill"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    offset_minutes = models.PositiveIntegerField(_("minutes after the start"), default=0)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    recipient_group = models.ForeignKey("core.Group", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("to group"))
    recipient_person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("to person"))
    contingency_for = models.ForeignKey("plans.ExpectedAction", on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="contingencies", verbose_name=_("contingency for"),
                                        help_text=_("Offered when this expected action is not logged in its window."))
    state = models.CharField(_("state"), max_length=10, choices=InjectState.choices, default=InjectState.PENDING,
                             editable=False)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    skipped_at = models.DateTimeField(_("skipped at"), null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("delivered or skipped by"))

    class Meta:
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        ordering = ["drill", "offset_minutes", "order", "pk"]
        indexes = [models.Index(fields=["state", "drill"], name="inject_state_idx")]

    def __str__(self):
        return f"{DRILL_MARK}{self.title}"

    def get_absolute_url(self):
        return self.drill.get_absolute_url()

    @property
    def recipient(self):
        return self.recipient_person or self.recipient_group

    def clean(self):
        if self.recipient_group_id is None and self.recipient_person_id is None:
            raise ValidationError({"recipient_person": _("Say who receives the inject: a group or a person.")})


class ExpectedAction(PlansScoped):
    """What a player should do after an inject, worth `points`, within `window_minutes` of its delivery."""

    idempotency_owner = "done_by"
    duty_lookups = ("person__user", "inject__recipient_person__user",
                    "inject__recipient_group__memberships__person__user", "inject__drill__evaluators__user")

    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="actions", verbose_name=_("inject"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("expected action"), max_length=200)
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("expected of"))
    points = models.PositiveSmallIntegerField(_("points"), default=10)
    window_minutes = models.PositiveIntegerField(_("within minutes"), default=5)
    done_at = models.DateTimeField(_("logged at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", editable=False, verbose_name=_("logged by"))
    done_note = models.CharField(_("note"), max_length=300, blank=True, editable=False)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("expected action")
        verbose_name_plural = _("expected actions")
        ordering = ["inject", "order", "pk"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.inject.drill.get_absolute_url()

    def window_ends(self):
        delivered = self.inject.delivered_at
        return delivered + timedelta(minutes=self.window_minutes) if delivered else None

    def in_window(self):
        ends = self.window_ends()
        return bool(self.done_at and ends and self.done_at <= ends)


class Evaluation(PlansScoped):
    """An evaluator's observation and rating of one expected action (from the phone)."""

    idempotency_owner = "evaluator"

    action = models.ForeignKey(ExpectedAction, on_delete=models.CASCADE, related_name="evaluations",
                               verbose_name=_("expected action"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  editable=False, verbose_name=_("evaluator"))
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    observation = models.TextField(_("observation record"), blank=True)
    at = models.DateTimeField(_("recorded at"), editable=False)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["action", "at", "pk"]

    def __str__(self):
        return f"{self.action} · {self.rating}"

    def get_absolute_url(self):
        return self.action.get_absolute_url()


class Improvement(PlansScoped):
    """An area for improvement of the after-action report and its corrective action: an owner, a
    deadline, reported done, verified by someone else (like a rectification)."""

    duty_lookups = ("owner__user",)

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="improvements", verbose_name=_("drill"))
    area = models.CharField(_("area for improvement"), max_length=300)
    action = models.CharField(_("corrective action"), max_length=300)
    owner = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    deadline = models.DateTimeField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=ImprovementState.choices,
                             default=ImprovementState.OPEN, editable=False)
    reported_at = models.DateTimeField(_("reported done at"), null=True, blank=True, editable=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("reported done by"))
    report_text = models.TextField(_("what was done"), blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("verified by"))
    failed_count = models.PositiveSmallIntegerField(_("failed verifications"), default=0, editable=False)
    note = models.TextField(_("verifier's note"), blank=True, editable=False)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.action

    def get_absolute_url(self):
        return reverse("plans:improvement_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state != ImprovementState.VERIFIED
