"""Daily counts per node per kind (rollups), kept by a periodic job, so that trends and multi-day
briefings read a few thousand small rows instead of millions of raw ones.

Kinds (a record counts on its own node and its local day):
- `ob:<obligation kind>:<state>`  obligations by the day they fall due and how they ended (met,
  met_late, missed, waived) — every app's duties, those of uncounted incidents (drills) left out;
- `incident:<category>:<level>`   incidents received (those `incidents.queries.counted_incidents` counts);
- `checkin`, `checkin:flagged`    patrol check-ins by their time;
- `finding:<severity>`            hazards found; `order:closed` rectifications verified and closed.

Only days that have ended are stored (an obligation due that day is then met, late, missed or
waived for good, until someone changes it); today is counted live. The job (`refresh`) is
incremental and idempotent: it rolls up the days that ended since its last run, and recomputes
every stored day that a change since then touched — a check-in synced late, a report met after
its day, an incident moved — found through the change log, where every write lands. Recomputing
a day replaces that source's rows of the day, so running twice changes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from shouwang.core.clock import local_datetime
from shouwang.core.models import ChangeLogEntry
from shouwang.incidents import queries as incident_queries
from shouwang.incidents.models import Incident
from shouwang.inspections.models import Finding, RectificationOrder
from shouwang.obligations.models import Obligation
from shouwang.patrols.choices import CheckInStatus
from shouwang.patrols.models import CheckIn

from .models import DailyCount, RollupState

# A change is looked for this far before the last run: a transaction that wrote its change-log
# row before the last run began but committed after it is still seen (recomputing is idempotent).
LAG = timedelta(minutes=10)


def _tz():
    return timezone.get_current_timezone()


def _local_day(field):
    return TruncDate(field, tzinfo=_tz())


def _in_nodes(qs, node_ids, lookup="jurisdiction_id"):
    return qs if node_ids is None else qs.filter(**{f"{lookup}__in": node_ids})


# --- sources: each counts its records of a range of days, per node, day and kind ----------------

def obligation_counts(start, end, node_ids=None, now=None):
    qs = _in_nodes(Obligation.objects.real().not_for_subjects(Incident, incident_queries.uncounted_incidents()),
                   node_ids)
    for node, day, kind, state, n in qs.daily_counts(start, end, now=now):
        yield node, day, f"ob:{kind}:{state}", n


def incident_counts(start, end, node_ids=None, now=None):
    qs = _in_nodes(incident_queries.counted_incidents().filter(received_at__gte=start, received_at__lt=end), node_ids)
    rows = (qs.annotate(day=_local_day("received_at")).order_by()
            .values_list("jurisdiction_id", "day", "category", "level").annotate(n=Count("pk")))
    for node, day, category, level, n in rows:
        yield node, day, f"incident:{category}:{level}", n


def checkin_counts(start, end, node_ids=None, now=None):
    qs = _in_nodes(CheckIn.objects.filter(at__gte=start, at__lt=end), node_ids)
    rows = (qs.annotate(day=_local_day("at")).order_by().values_list("jurisdiction_id", "day")
            .annotate(n=Count("pk"), flagged=Count("pk", filter=Q(status=CheckInStatus.FLAGGED))))
    for node, day, n, flagged in rows:
        yield node, day, "checkin", n
        if flagged:
            yield node, day, "checkin:flagged", flagged


def finding_counts(start, end, node_ids=None, now=None):
    found = (_in_nodes(Finding.objects.filter(found_at__gte=start, found_at__lt=end), node_ids)
             .annotate(day=_local_day("found_at")).order_by()
             .values_list("jurisdiction_id", "day", "severity").annotate(n=Count("pk")))
    for node, day, severity, n in found:
        yield node, day, f"finding:{severity}", n
    closed = (_in_nodes(RectificationOrder.objects.filter(closed_at__gte=start, closed_at__lt=end), node_ids)
              .annotate(day=_local_day("closed_at")).order_by()
              .values_list("jurisdiction_id", "day").annotate(n=Count("pk")))
    for node, day, n in closed:
        yield node, day, "order:closed", n


def _days_of(model, field):
    def days(pks):
        return set(model.objects.filter(pk__in=pks).annotate(day=_local_day(field)).order_by()
                   .values_list("day", flat=True).distinct())
    return days


@dataclass(frozen=True)
class Source:
    name: str
    count: object  # callable(start, end, node_ids=None, now=None) -> iterable of (node id, day, kind, n)
    models: tuple  # ((model, its date fields, callable(pks) -> the days those records fall on now), ...)
    prefixes: tuple  # the kinds it writes begin with these

    def earliest(self):
        firsts = []
        for model, fields, _days in self.models:
            for name in fields:
                if model is Obligation:
                    first = Obligation.objects.earliest_due()
                else:
                    first = model.objects.aggregate(first=Min(name))["first"]
                if first is not None:
                    firsts.append(timezone.localdate(first))
        return min(firsts, default=None)


SOURCES = (
    Source("obligations", obligation_counts, ((Obligation, ("due_at",), Obligation.objects.due_days),), ("ob:",)),
    Source("incidents", incident_counts, ((Incident, ("received_at",), _days_of(Incident, "received_at")),),
           ("incident:",)),
    Source("checkins", checkin_counts, ((CheckIn, ("at",), _days_of(CheckIn, "at")),), ("checkin",)),
    Source("findings", finding_counts, ((Finding, ("found_at",), _days_of(Finding, "found_at")),
                                        (RectificationOrder, ("closed_at",), _days_of(RectificationOrder, "closed_at"))),
           ("finding:", "order:")),
)


def _bounds(first: date, last: date):
    return local_datetime(first), local_datetime(last + timedelta(days=1))


def _write(source, first, last, now):
    """Replace the source's rows of the days from `first` to `last` with fresh counts."""
    start, end = _bounds(first, last)
    DailyCount.objects.filter(source=source.name, day__gte=first, day__lte=last).delete()
    rows = [DailyCount(node_id=node, day=day, source=source.name, kind=kind[:100], count=n)
            for node, day, kind, n in source.count(start, end, now=now) if n]
    DailyCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _snapshot_days(value) -> set:
    if not value:
        return set()
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is not None:
        return {timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()}
    day = parse_date(value) if isinstance(value, str) else None
    return {day} if day else set()


def touched_days(source, since) -> set:
    """The days of this source's records that a change since `since` touched: where they fall now,
    and where they fell before the change (a moved time, a deleted record)."""
    days = set()
    for model, fields, days_now in source.models:
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        entries = ChangeLogEntry.objects.filter(time__gte=since, content_type=ct).order_by()
        pks = set()
        for object_id, before, after in entries.values_list("object_id", "before", "after"):
            if object_id.isdigit():
                pks.add(int(object_id))
            for snap in (before, after):
                for name in fields:
                    days |= _snapshot_days((snap or {}).get(name))
        if pks:
            days |= {d for d in days_now(sorted(pks)) if d is not None}
    return days


@dataclass
class Refreshed:
    rolled_up: tuple | None = None  # (first, last) days rolled up for the first time
    recomputed: tuple = ()  # days recomputed because of changes
    rows: int = 0


@transaction.atomic
def refresh(now=None) -> Refreshed:
    """The job: roll up the days that ended since the last run, recompute the days changes touched."""
    now = now or timezone.now()
    state = RollupState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state = RollupState.objects.create()
        state = RollupState.objects.select_for_update().get(pk=state.pk)
    yesterday = timezone.localdate(now) - timedelta(days=1)
    done = Refreshed()
    if state.through is None:
        first = min((d for d in (s.earliest() for s in SOURCES) if d is not None), default=None)
        first = min(first, yesterday) if first is not None else yesterday
    else:
        first = state.through + timedelta(days=1)
    if first <= yesterday:
        for source in SOURCES:
            done.rows += _write(source, first, yesterday, now)
        done.rolled_up = (first, yesterday)
    if state.checked_at is not None:
        since = state.checked_at - LAG
        recomputed = set()
        for source in SOURCES:
            for day in sorted(touched_days(source, since)):
                if day < first and day <= yesterday:
                    done.rows += _write(source, day, day, now)
                    recomputed.add(day)
        done.recomputed = tuple(sorted(recomputed))
    state.through = max(yesterday, state.through or yesterday)
    state.checked_at = now
    state.save()
    return done


def rolled_through() -> date | None:
    state = RollupState.objects.order_by("pk").first()
    return state.through if state else None


# --- reading: stored days from the rollups, the others counted live ------------------------------

def _prefix_filter(prefixes):
    return reduce(or_, (Q(kind__startswith=p) for p in prefixes)) if prefixes else Q()


def read(node_ids, first: date, last: date, prefixes=(), now=None) -> dict:
    """{(node id, day, kind): n} over the days from `first` to `last` for these nodes: rolled-up
    days from the rollups, later ones (today, or days the job has not reached) counted live."""
    now = now or timezone.now()
    through = rolled_through()
    out: dict = defaultdict(int)
    stored_last = min(last, through) if through is not None else None
    if stored_last is not None and stored_last >= first:
        rows = (DailyCount.objects.filter(node_id__in=node_ids, day__gte=first, day__lte=stored_last)
                .filter(_prefix_filter(prefixes)).values_list("node_id", "day", "kind", "count"))
        for node, day, kind, n in rows:
            out[(node, day, kind)] += n
    live_first = max(first, stored_last + timedelta(days=1)) if stored_last is not None else first
    if live_first <= last:
        start, end = _bounds(live_first, last)
        for source in SOURCES:
            if prefixes and not any(p.startswith(sp) or sp.startswith(p) for p in prefixes for sp in source.prefixes):
                continue
            for node, day, kind, n in source.count(start, end, node_ids=node_ids, now=now):
                if not prefixes or kind.startswith(tuple(prefixes)):
                    out[(node, day, kind)] += n
    return dict(out)


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def as_local(moment: datetime) -> date:
    return timezone.localdate(moment)
