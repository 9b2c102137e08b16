"""Home-page tiles of resources: the desk's emergency resources (equipment not returned in time,
lots expired or near expiry: two grouped queries; the shortfalls against the reserve standard,
which read the policy of every store's node, are on the resources overview); a member's call-out
to acknowledge; the equipment a person holds and when it is due back."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.home import Tile

from . import queries
from .choices import ExpiryBucket
from .models import EquipmentIssue, Lot

SHOWN = 5


def desk(home):
    if not home.oversees:
        return None
    overdue = list(queries.overdue_issues(EquipmentIssue.objects.restrict(home.user, "view"), home.now)
                   .select_related("equipment", "person", "team").order_by("due_back_at")[:SHOWN + 1])
    buckets = queries.bucket_counts(Lot.objects.restrict(home.user, "view"), home.today)
    if not overdue and not (buckets[ExpiryBucket.EXPIRED] or buckets[ExpiryBucket.DAYS_30]):
        return None
    return Tile(_("Emergency resources"), "resources/tiles/desk.html", order=30, url=reverse("resources:overview"),
                context={"overdue": overdue[:SHOWN], "more_overdue": len(overdue) > SHOWN,
                         "expired": buckets[ExpiryBucket.EXPIRED], "within_30": buckets[ExpiryBucket.DAYS_30]})


def callouts(home):
    """A reserve member called out: acknowledge (on the phone page)."""
    pending = list(queries.pending_answers(home.user)[:3])
    if not pending:
        return None
    return Tile(_("Call-out: acknowledge"), "resources/tiles/callout.html", order=1, url=reverse("resources:phone"),
                context={"answers": pending})


def my_equipment(home):
    issues = list(EquipmentIssue.objects.filter(person__user=home.user, returned_at__isnull=True)
                  .select_related("equipment").order_by("due_back_at")[:SHOWN])
    if not issues:
        return None
    return Tile(_("Equipment I hold"), "resources/tiles/mine.html", order=60, context={"issues": issues,
                                                                                       "now": home.now})
