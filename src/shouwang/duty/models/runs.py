"""The optimiser's runs (progress stored for the page to poll, the result a draft to review) and the
secret links of the calendar feeds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel

from ..choices import RunState
from .roster import Roster


class SolveRun(ScopedModel):
    """One run of the optimiser on a roster: queued, running (the best penalty so far and when each
    better roster came, stored as it goes), then a result to review and publish, or nothing found."""

    permission_area = "duty"
    changelog_exclude = ("progress", "best_penalty", "result")  # written many times a second while it runs

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="runs", verbose_name=_("duty roster"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("started by"))
    seconds = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=30)
    workers = models.PositiveSmallIntegerField(_("solver threads"), default=2)
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("solver's verdict"), max_length=12, blank=True)
    best_penalty = models.IntegerField(_("best penalty so far"), null=True, blank=True)
    progress = models.JSONField(default=list, blank=True)  # [[seconds, penalty], ...] as better rosters came
    result = models.JSONField(default=dict, blank=True)  # {"assignments": [[person, day, shift, post]], "terms": ...}
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("optimiser run")
        verbose_name_plural = _("optimiser runs")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(seconds__gte=1, seconds__lte=600), name="run_seconds_1_600"),
                       models.CheckConstraint(condition=Q(workers__gte=1, workers__lte=8), name="run_workers_1_8")]

    def __str__(self):
        return f"{self.roster} · {timezone.localtime(self.created_at):%m-%d %H:%M}" if self.created_at else str(self.roster)

    def get_absolute_url(self):
        return reverse("duty:solverun_detail", args=[self.pk])

    @property
    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        end = self.finished_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())

    @property
    def percent(self) -> int:
        """How much of its time limit has passed (100 once finished)."""
        if self.state not in (RunState.QUEUED, RunState.RUNNING):
            return 100
        return min(99, int(100 * self.elapsed / max(self.seconds, 1)))


class FeedToken(ScopedModel):
    """The secret link of a calendar feed (a person's duties, or a whole roster); revoked, it answers
    404 from then on."""

    permission_area = "duty"
    duty_lookups = ("person__user",)
    changelog_exclude = ("token",)  # the secret stays out of the change log

    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="duty_feeds", verbose_name=_("person"))
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, null=True, blank=True, related_name="feeds",
                               verbose_name=_("duty roster"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("made by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=(Q(person__isnull=False, roster__isnull=True) | Q(person__isnull=True, roster__isnull=False)),
            name="feed_of_a_person_or_a_roster")]

    def __str__(self):
        return str(_("Calendar of %(what)s") % {"what": self.person or self.roster})

    def get_absolute_url(self):
        return self.roster.get_absolute_url() if self.roster_id else reverse("duty:mine")

    @property
    def active(self):
        return self.revoked_at is None
