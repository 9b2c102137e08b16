"""Reads of schools' records: scope by the jurisdiction (the office, the street's leaders) and by
the school's own people (its security staff and leaders see and write their school's records, and
nothing of another school on the same node)."""

from django.db.models import Q

from shouwang.core.scope import ScopedQuerySet

# What a school's own security staff and leaders may do on their school's records, per area.
STAFF_ACTIONS = {"schools": {"view", "add", "change"}, "visitors": {"view", "add", "change"}}


class SchoolRecordQuerySet(ScopedQuerySet):
    """`restrict(user, action)`: rows on the user's subtrees where his role allows `action` (the
    permission table), and the rows of the schools where he is security staff or a leader, for
    the actions `STAFF_ACTIONS` give them. Viewing through the model's `duty_lookups`, as core
    does; adding and changing through `staff_lookups`."""

    def restrict(self, user, action="view"):
        qs = super().restrict(user, action)
        if action == "view" or user is None or not user.is_authenticated or user.is_superuser:
            return qs
        lookups = getattr(self.model, "staff_lookups", ())
        if not lookups or action not in STAFF_ACTIONS.get(self.model.permission_area, set()):
            return qs
        condition = Q()
        for lookup in lookups:
            condition |= Q(pk__in=self.model._base_manager.filter(**{lookup: user}).values("pk"))
        return qs | self.filter(condition)

    def inside(self):
        """Visitors or vehicles not yet out (a refused vehicle never came in)."""
        return self.filter(left_at__isnull=True)
