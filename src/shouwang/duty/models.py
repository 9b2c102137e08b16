"""Duty: rosters and their assignments, leave, swap requests, and the posture level of a node."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.models import ScopedModel

from .choices import OPEN_SWAPS, Post, PostureLevel, RosterState, SwapState


class Roster(ScopedModel):
    """A node's duty roster for a period: its shifts (times may cross midnight), how many people of
    each post every shift needs, the rules a roster must keep, and who may be put on it."""

    permission_area = "duty"

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    team = models.ForeignKey("core.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="rosters",
                             verbose_name=_("force"))
    members = models.ManyToManyField("core.Person", blank=True, related_name="rosters", verbose_name=_("people on it"))
    leaders = models.ManyToManyField("core.Person", blank=True, related_name="rosters_led",
                                     verbose_name=_("leaders on duty"))
    # [{"id": "early", "label": "早班", "start": "08:00", "end": "16:00"}], end <= start crosses midnight
    shifts = models.JSONField(_("shifts"), default=list)
    # [{"shift": "early", "role": "patrol", "count": 3}]: every day
    demand = models.JSONField(_("required people"), default=list)
    # the problem format's rules (min_rest_hours, forbidden_transitions, max_shifts_per_7_days)
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RosterState.choices, default=RosterState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-starts_on", "name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(days__gte=1, days__lte=92), name="roster_days_1_to_92")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("duty:roster_detail", args=[self.pk])

    def shift(self, shift_id):
        return next((s for s in self.shifts if s.get("id") == shift_id), None)

    def shift_label(self, shift_id):
        found = self.shift(shift_id)
        return (found or {}).get("label") or shift_id


class Assignment(ScopedModel):
    """One person on one shift of one day of a roster, in a post."""

    permission_area = "duty"
    changelog_exclude = ("sequence",)

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="assignments",
                               verbose_name=_("duty roster"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="duty_assignments",
                               verbose_name=_("person"))
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=20)
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    confirmed_at = models.DateTimeField(_("confirmed on duty at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on every change

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["day", "shift", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["roster", "person", "day", "shift"],
                                               name="assignment_one_person_once_a_shift")]
        indexes = [models.Index(fields=["person", "day"])]

    def __str__(self):
        return f"{self.day:%m-%d} {self.roster.shift_label(self.shift)} · {self.person}"

    def get_absolute_url(self):
        return reverse("duty:assignment_detail", args=[self.pk])

    @property
    def shift_label(self):
        return self.roster.shift_label(self.shift)


class Leave(ScopedModel):
    """A person not available from one day to another (leave, training, sick)."""

    permission_area = "duty"

    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="duty_leaves",
                               verbose_name=_("person"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="leave_ends_after_start")]

    def __str__(self):
        return f"{self.person} {self.starts_on:%m-%d}–{self.ends_on:%m-%d}"

    def get_absolute_url(self):
        return reverse("duty:leave_detail", args=[self.pk])


class SwapRequest(ScopedModel):
    """A person asks a colleague to take his shift; the colleague accepts; the office approves.
    Every step re-checks the roster's rules for the colleague and refuses naming the rule."""

    permission_area = "duty"

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


class Posture(ScopedModel):
    """A node's posture level for a period, set by a leader with a reason. Lower nodes inherit it
    unless they raise their own."""

    permission_area = "duty"

    level = models.CharField(pgettext_lazy("posture", "level"), max_length=14, choices=PostureLevel.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("set by"))

    class Meta:
        verbose_name = _("posture level")
        verbose_name_plural = _("posture levels")
        ordering = ["-starts_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="posture_ends_after_start")]

    def __str__(self):
        return f"{self.jurisdiction} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("duty:posture_detail", args=[self.pk])
