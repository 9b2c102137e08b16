"""Daily counts per node per kind (rollups): what trends and multi-day briefings read instead of
scanning the raw rows. Derived data, rebuilt at will from the records (`briefings.rollups`), so
not in the change log and not scoped: pages read them summed over a node in the user's scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyCount(models.Model):
    """How many of `kind` happened on `node` (the record's own node, not its subtree) on local `day`.

    Only complete days are stored; today is counted live. `source` names the recomputation that
    wrote the row (each replaces its own rows of a day)."""

    node = models.ForeignKey("core.Jurisdiction", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("node"))
    day = models.DateField(_("date"))
    source = models.CharField(max_length=16)
    kind = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [models.UniqueConstraint(fields=["node", "day", "kind"], name="dailycount_unique")]
        indexes = [models.Index(fields=["day", "source"], name="dailycount_day_source_idx")]

    def __str__(self):
        return f"{self.node_id} {self.day} {self.kind}={self.count}"


class RollupState(models.Model):
    """One row: the last complete day rolled up and when the job last read the change log."""

    through = models.DateField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")

    def __str__(self):
        return f"{self.through} / {self.checked_at}"
