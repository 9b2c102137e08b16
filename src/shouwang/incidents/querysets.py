"""Reads of incidents that every count goes through."""

from django.db.models import Q

from shouwang.core.scope import ScopedQuerySet


def real_q(prefix=""):
    """The one condition "not a drill's": on incidents, or on records of an incident (`prefix`
    "incident__" for its tasks, reports...)."""
    return Q(**{f"{prefix}drill__isnull": True})


class IncidentQuerySet(ScopedQuerySet):
    def real(self):
        """Real incidents: a drill's exercise incident is left out. Every statistic, tile, board
        count, risk colour and list of real work reads through this."""
        return self.filter(real_q())

    def drills(self):
        """Only the exercise incidents of drills."""
        return self.exclude(real_q())
