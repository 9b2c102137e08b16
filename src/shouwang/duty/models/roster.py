"""Rosters, their assignments, and leave."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.scope import ScopedQuerySet

from .. import layouts
from .. import shifts as shift_times
from ..choices import Layout, Post, RosterState


class Roster(ScopedModel):
    """A node's duty roster for a period: its shifts (times may cross midnight), how many people of
    each post every shift needs, the rules a roster must keep, who may be put on it, and who
    answers for it (its owner: an unstaffed slot becomes his obligation)."""

    permission_area = "duty"
    duty_lookups = ("members__user", "leaders__user")  # people on a roster see it, wherever it hangs

    @staticmethod
    def changelog_value(name, value):
        """Shifts, demand and rules in the history as people read them, not as stored."""
        if name == "shifts" and isinstance(value, list):
            return "；".join(f"{shift_times.label(s)} {s.get('start')}–{s.get('end')}" for s in value if isinstance(s, dict))
        if name == "demand" and isinstance(value, list):
            posts = dict(Post.choices)
            shifts = layout_shift_labels()
            return "；".join(f"{shifts.get(r.get('shift'), r.get('shift'))} {posts.get(r.get('role'), r.get('role'))} "
                            f"{r.get('count')}" for r in value if isinstance(r, dict))
        if name == "rules" and isinstance(value, dict):
            return rules_in_words(value, layout_shift_labels())
        return None

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("number of days"))
    team = models.ForeignKey("core.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="rosters",
                             verbose_name=_("force"))
    owner = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="rosters_owned", verbose_name=_("roster owner"))
    members = models.ManyToManyField("core.Person", blank=True, related_name="rosters", verbose_name=_("people on it"))
    leaders = models.ManyToManyField("core.Person", blank=True, related_name="rosters_led",
                                     verbose_name=_("leaders on duty"))
    # [{"id": "early", "label": "早班", "start": "06:00", "end": "14:00"}]: end <= start crosses midnight
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

    @property
    def ends_on(self):
        return self.starts_on + timedelta(days=self.days - 1)

    @property
    def is_published(self):
        return self.state == RosterState.PUBLISHED

    def shift(self, shift_id):
        return next((s for s in self.shifts if s.get("id") == shift_id), None)

    def shift_label(self, shift_id):
        found = self.shift(shift_id)
        return shift_times.label(found) if found else shift_id

    def posts(self):
        """The posts its demand asks for, in the order of the Post choices."""
        wanted = {row["role"] for row in self.demand}
        return [p for p in Post.values if p in wanted]


def layout_shift_labels():
    """Shift ids of the ready layouts and their names, in the current language."""
    return {s["id"]: s["label"] for layout in Layout.values for s in layouts.shifts_of(layout)}


def rules_in_words(rules, shift_labels=None):
    """The rules as a clerk reads them; shift ids named by `shift_labels` where known."""
    named = shift_labels or {}
    parts = []
    if "min_rest_hours" in rules:
        parts.append(_("at least %(n)s hours of rest between shifts") % {"n": rules["min_rest_hours"]})
    if "max_shifts_per_7_days" in rules:
        parts.append(_("at most %(n)s shifts in any 7 days") % {"n": rules["max_shifts_per_7_days"]})
    for first, then in rules.get("forbidden_transitions") or []:
        parts.append(_("never %(first)s then %(then)s the next day") % {"first": named.get(first, first),
                                                                            "then": named.get(then, then)})
    return "；".join(str(p) for p in parts)


class AssignmentQuerySet(ScopedQuerySet):
    def live(self):
        """Standing assignments (a removed one stays for the calendars, as cancelled)."""
        return self.filter(removed_at__isnull=True)

    def published(self):
        return self.live().filter(roster__state=RosterState.PUBLISHED)


class Assignment(ScopedModel):
    """One person on one shift of one day of a roster, in a post. Removed from a published roster,
    it stays (removed_at set) so that calendars show the shift cancelled under the same UID."""

    permission_area = "duty"
    duty_lookups = ("person__user",)  # a person sees his own duties
    changelog_exclude = ("sequence",)

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="assignments",
                               verbose_name=_("duty roster"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="duty_assignments",
                               verbose_name=_("person"))
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=20)
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    confirmed_at = models.DateTimeField(_("confirmed on duty at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.CharField(_("why removed"), max_length=200, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on every change

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["day", "shift", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["roster", "person", "day", "shift"],
                                               condition=Q(removed_at__isnull=True),
                                               name="assignment_one_person_once_a_shift")]
        indexes = [models.Index(fields=["person", "day"]), models.Index(fields=["roster", "day"])]

    def __str__(self):
        return f"{self.day:%m-%d} {self.roster.shift_label(self.shift)} {self.get_post_display()} · {self.person}"

    def get_absolute_url(self):
        return reverse("duty:assignment_detail", args=[self.pk])

    @property
    def shift_label(self):
        return self.roster.shift_label(self.shift)

    @property
    def bounds(self):
        """(start, end) of the shift, aware (a night shift ends the next day)."""
        return shift_times.bounds(self.day, self.roster.shift(self.shift) or {"start": "00:00", "end": "00:00"})

    @property
    def starts_at(self):
        return self.bounds[0]

    @property
    def ends_at(self):
        return self.bounds[1]


class Leave(ScopedModel):
    """A person not available from one day to another (leave, training, sick)."""

    permission_area = "duty"
    duty_lookups = ("person__user",)

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

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day is before the first.")})
