"""Reads of obligations: the only way other apps filter them (state is derived here, in SQL)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, CharField, Count, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from shouwang.core.scope import ScopedQuerySet

from .choices import State

DEFAULT_DUE_SOON = timedelta(minutes=30)


class ObligationQuerySet(ScopedQuerySet):
    def real(self):
        """The real duties: a drill's (an exercise incident's clocks and tasks) are left out. Every
        count, board, tile and audit of real work reads through this."""
        return self.filter(drill=False)

    def drills(self):
        """Only a drill's duties."""
        return self.filter(drill=True)

    def pending(self):
        return self.filter(met_at__isnull=True, waived_at__isnull=True)

    def in_state(self, state, now=None, due_soon=DEFAULT_DUE_SOON):
        """Filter by a derived state, in SQL, against `now`."""
        now = now or timezone.now()
        pending = Q(met_at__isnull=True, waived_at__isnull=True)
        conditions = {
            State.WAIVED: Q(waived_at__isnull=False),
            State.MET: Q(waived_at__isnull=True, met_at__isnull=False, met_at__lte=F("due_at")),
            State.MET_LATE: Q(waived_at__isnull=True, met_at__isnull=False, met_at__gt=F("due_at")),
            State.MISSED: pending & Q(due_at__lt=now),
            State.DUE_SOON: pending & Q(due_at__gte=now, due_at__lt=now + due_soon, opens_at__lte=now),
            State.OPEN: pending & Q(due_at__gte=now + due_soon, opens_at__lte=now),
            State.UPCOMING: pending & Q(opens_at__gt=now, due_at__gte=now + due_soon),
        }
        return self.filter(conditions[State(state)])

    def with_state(self, now=None, due_soon=DEFAULT_DUE_SOON):
        """Annotate `state_db` so that lists can group and count by state in one query."""
        now = now or timezone.now()
        return self.annotate(
            state_db=Case(
                When(waived_at__isnull=False, then=Value(State.WAIVED.value)),
                When(met_at__isnull=False, met_at__lte=F("due_at"), then=Value(State.MET.value)),
                When(met_at__isnull=False, then=Value(State.MET_LATE.value)),
                When(due_at__lt=now, then=Value(State.MISSED.value)),
                When(opens_at__gt=now, due_at__gte=now + due_soon, then=Value(State.UPCOMING.value)),
                When(due_at__lt=now + due_soon, then=Value(State.DUE_SOON.value)),
                default=Value(State.OPEN.value),
                output_field=models.CharField(),
            )
        )

    def most_urgent_first(self, now=None, due_soon=DEFAULT_DUE_SOON):
        """Lists people read: missed (the newest miss first), then due soon, open and upcoming
        (the nearest deadline first), then the done and waived (the newest first)."""
        rank = {State.MISSED: 0, State.DUE_SOON: 1, State.OPEN: 2, State.UPCOMING: 3}
        ranked = self.with_state(now, due_soon).annotate(
            urgency=Case(*[When(state_db=Value(s.value), then=Value(r)) for s, r in rank.items()],
                         default=Value(4), output_field=models.IntegerField()),
            nearest=Case(When(urgency__in=[1, 2, 3], then=F("due_at")), default=None,
                         output_field=models.DateTimeField()),
        )
        return ranked.order_by("urgency", F("nearest").asc(nulls_last=True), "-due_at", "-pk")

    def for_subject(self, subject):
        ct = ContentType.objects.get_for_model(type(subject), for_concrete_model=False)
        return self.filter(subject_type=ct, subject_id=str(subject.pk))

    def for_subjects(self, model, ids):
        """Obligations of the records of `model` with these ids."""
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return self.filter(subject_type=ct, subject_id__in=[str(i) for i in ids])

    def not_for_subjects(self, model, ids):
        """Without the obligations of these records of `model` (`ids` a list or a queryset of pks)."""
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        if isinstance(ids, models.QuerySet):
            ids = ids.annotate(_as_text=Cast("pk", CharField())).values("_as_text")
        else:
            ids = [str(i) for i in ids]
        return self.exclude(subject_type=ct, subject_id__in=ids)

    def daily_counts(self, start, end, now=None):
        """[(node id, local due day, kind, state, n)] of the obligations due from `start` to `end`
        (aware datetimes): what the daily rollups store (state as of `now`; on a day that has
        ended, anything neither met nor waived is missed)."""
        tz = timezone.get_current_timezone()
        return list(self.due_between(start, end).with_state(now).annotate(day=TruncDate("due_at", tzinfo=tz))
                    .order_by().values_list("jurisdiction_id", "day", "kind", "state_db").annotate(n=Count("pk")))

    def due_days(self, pks):
        """The local due days of these obligations (what a change to them touches)."""
        tz = timezone.get_current_timezone()
        return set(self.filter(pk__in=pks).annotate(day=TruncDate("due_at", tzinfo=tz)).order_by()
                   .values_list("day", flat=True).distinct())

    def earliest_due(self):
        """The earliest due time among these obligations (None when there are none)."""
        return self.aggregate(first=Min("due_at"))["first"]

    def of_outer_subject(self, model):
        """In a subquery: the obligations of the outer query's row (a record of `model`)."""
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return self.filter(subject_type=ct, subject_id=Cast(OuterRef("pk"), CharField()))

    def opened_by(self, when):
        """Open at `when` or before (a window that has started)."""
        return self.filter(opens_at__lte=when)

    def of_kind(self, *kinds):
        return self.filter(kind__in=kinds)

    def with_keys(self, keys):
        return self.filter(key__in=list(keys))

    def under(self, node):
        """On `node` and everything below it."""
        return self.filter(jurisdiction__path__startswith=node.path)

    def due_between(self, start, end):
        """Due from `start` (inclusive) to `end` (exclusive)."""
        return self.filter(due_at__gte=start, due_at__lt=end)

    def windows_between(self, start, end):
        """Check-in windows that open from `start` (inclusive) to `end` (exclusive)."""
        return self.filter(window_start__gte=start, window_start__lt=end)

    def open_around(self, first, last, grace=timedelta(0)):
        """Open at some time from `first` to `last`: opened by `last`, due no earlier than `first - grace`."""
        return self.filter(opens_at__lte=last, due_at__gte=first - grace)

    def state_counts(self, now=None, due_soon=DEFAULT_DUE_SOON):
        """{(kind, state): n} of the queryset, in one grouped query (for tiles that show several figures)."""
        rows = (self.with_state(now, due_soon).order_by().values_list("kind", "state_db")
                .annotate(n=models.Count("pk")))
        return {(kind, state): n for kind, state, n in rows}

    def kinds_present(self):
        return set(self.order_by().values_list("kind", flat=True).distinct())
