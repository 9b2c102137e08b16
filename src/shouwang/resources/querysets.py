"""Read filters of resources: the catalogue a node uses, lots in stock by expiry, equipment out."""

from datetime import timedelta

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

from shouwang.core.models import Jurisdiction
from shouwang.core.scope import ScopedQuerySet, scope_paths

from .choices import ExpiryBucket

BUCKET_DAYS = (30, 60, 90)


class SupplyItemQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """The catalogue: a community stocks the street's items, so viewing reaches the items of
        the nodes above the user's too (never a sibling's)."""
        mine = super().restrict(user, action)
        if action != "view" or user is None or not user.is_authenticated or user.is_superuser:
            return mine
        step = Jurisdiction.steplen
        above = {p[:n] for p in scope_paths(user, self.model.permission_area, "view") for n in range(step, len(p), step)}
        return (mine | self.filter(jurisdiction__path__in=above)) if above else mine


def bucket_of(expires_on, today):
    """The expiry bucket of a lot that expires on `expires_on` (None: it does not expire)."""
    if expires_on is None:
        return ExpiryBucket.NONE
    days = (expires_on - today).days
    if days < 0:
        return ExpiryBucket.EXPIRED
    for limit in BUCKET_DAYS:
        if days <= limit:
            return ExpiryBucket(str(limit))
    return ExpiryBucket.LATER


class LotQuerySet(ScopedQuerySet):
    def in_stock(self):
        return self.filter(quantity__gt=0)

    def with_bucket(self, today=None):
        """Each lot with `bucket`: expired, 30, 60, 90 (days at most), later, none (no expiry)."""
        today = today or timezone.localdate()
        whens = [When(expires_on__isnull=True, then=Value(ExpiryBucket.NONE.value)),
                 When(expires_on__lt=today, then=Value(ExpiryBucket.EXPIRED.value))]
        whens += [When(expires_on__lte=today + timedelta(days=d), then=Value(str(d))) for d in BUCKET_DAYS]
        return self.annotate(bucket=Case(*whens, default=Value(ExpiryBucket.LATER.value), output_field=CharField()))

    def in_bucket(self, bucket, today=None):
        return self.with_bucket(today).filter(bucket=bucket)

    def expiring(self, days, today=None):
        """Lots in stock that have expired or expire within `days`."""
        today = today or timezone.localdate()
        return self.in_stock().filter(expires_on__isnull=False, expires_on__lte=today + timedelta(days=days))

    def picking_order(self, today=None):
        """Earliest expiry first (lots that do not expire after those that do, expired lots last:
        never proposed), then the oldest received."""
        today = today or timezone.localdate()
        return self.order_by(Case(When(expires_on__lt=today, then=Value(2)), When(expires_on__isnull=True, then=Value(1)),
                                  default=Value(0)), "expires_on", "received_on", "pk")


def usable(today=None):
    """Lots one may issue without a reason: not expired."""
    today = today or timezone.localdate()
    return Q(expires_on__isnull=True) | Q(expires_on__gte=today)
