"""Read assemblies of inspections for pages, tiles and briefings (no writes)."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from .choices import OPEN_STATES, SEVERITY_ORDER, OrderState, Severity


def _severity_rank():
    return Case(*[When(finding__severity=s, then=Value(i)) for i, s in enumerate(SEVERITY_ORDER)],
                default=Value(-1), output_field=IntegerField())


def orders_for_list(qs):
    """Orders with what a list row shows, major first, then the oldest finding first."""
    return (qs.select_related("finding__place", "finding__unit", "responsible_unit", "responsible_person",
                              "jurisdiction")
            .annotate(severity_rank=_severity_rank()).order_by("-severity_rank", "finding__found_at", "pk"))


def open_counts(qs, now=None):
    """Counts on top of the open-hazard list: per severity, overdue, supervised, awaiting verification."""
    now = now or timezone.now()
    open_ = qs.filter(state__in=OPEN_STATES)
    row = open_.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=now) & ~Q(state=OrderState.REPORTED)),
        supervised=Count("pk", filter=Q(supervised=True)),
        reported=Count("pk", filter=Q(state=OrderState.REPORTED)),
        **{f"sev_{s.value}": Count("pk", filter=Q(finding__severity=s.value)) for s in Severity},
    )
    row["by_severity"] = [(s, row.pop(f"sev_{s.value}")) for s in reversed(Severity) if s != Severity.NOTE]
    return row
