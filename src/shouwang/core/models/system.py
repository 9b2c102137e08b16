from django.db import models
from django.utils.translation import gettext_lazy as _


class JobHeartbeat(models.Model):
    """When each periodic job last started and finished: what /healthz reads.

    Bookkeeping of the scheduler, not a record of the office: not in the change log.
    """

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    started_at = models.DateTimeField(_("last started"), null=True)
    finished_at = models.DateTimeField(_("last finished"), null=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("job heartbeat")
        verbose_name_plural = _("job heartbeats")

    def __str__(self):
        return self.name
