"""The period a briefing or a dashboard sums up: a node (with its subtree), dates and a data time,
and the daily counts of that subtree read once (`core.registry.BriefingSection` documents what a
section may ask of it)."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cached_property
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction

from . import rollups


class Period:
    def __init__(self, node, start: date, end: date, as_of: datetime | None = None):
        self.node = node
        self.start, self.end = start, end
        self.as_of = as_of or timezone.now()
        self.days = rollups.day_range(start, end)

    def __repr__(self):
        return f"<Period {self.node} {self.start}..{self.end} as of {self.as_of:%Y-%m-%d %H:%M}>"

    @property
    def length(self) -> int:
        return len(self.days)

    @property
    def start_at(self) -> datetime:
        return local_datetime(self.start)

    @property
    def end_at(self) -> datetime:
        """The end of the period (exclusive), or the data time when the period runs into it."""
        return timezone.localtime(min(local_datetime(self.end + timedelta(days=1)), self.as_of))

    @cached_property
    def subtree(self) -> list[tuple[int, str]]:
        return list(Jurisdiction.objects.filter(path__startswith=self.node.path).values_list("pk", "path"))

    @cached_property
    def children(self) -> list:
        return list(Jurisdiction.objects.filter(path__startswith=self.node.path, depth=self.node.depth + 1)
                    .order_by("path"))

    @cached_property
    def _child_of(self) -> dict:
        """{node id: the child whose subtree holds it} (the node's own records belong to no child)."""
        out = {}
        for pk, path in self.subtree:
            for child in self.children:
                if path.startswith(child.path):
                    out[pk] = child.pk
                    break
        return out

    @cached_property
    def rows(self) -> dict:
        """{(node id, day, kind): n} of the subtree over the period, read once."""
        return rollups.read([pk for pk, _path in self.subtree], self.start, self.end, now=self.as_of)

    def child_of(self, node_id):
        """The id of the child whose subtree holds this node (None for the node itself)."""
        return self._child_of.get(node_id)

    def _matches(self, kind, prefixes):
        return not prefixes or kind.startswith(prefixes)

    def counts(self, *prefixes) -> dict:
        out: dict = defaultdict(int)
        for (_node, _day, kind), n in self.rows.items():
            if self._matches(kind, prefixes):
                out[kind] += n
        return dict(out)

    def total(self, *prefixes) -> int:
        return sum(self.counts(*prefixes).values())

    def per_day(self, *prefixes) -> dict:
        index = {day: i for i, day in enumerate(self.days)}
        out: dict = defaultdict(lambda: [0] * len(self.days))
        for (_node, day, kind), n in self.rows.items():
            if self._matches(kind, prefixes) and day in index:
                out[kind][index[day]] += n
        return dict(out)

    def per_child(self, *prefixes) -> dict:
        out: dict = defaultdict(lambda: defaultdict(int))
        for (node, _day, kind), n in self.rows.items():
            child = self._child_of.get(node)
            if child is not None and self._matches(kind, prefixes):
                out[child][kind] += n
        return {child: dict(kinds) for child, kinds in out.items()}

    def dates(self) -> dict:
        return {"period_after": self.start.isoformat(), "period_before": self.end.isoformat()}

    def link(self, url_name, node=None, **params) -> str | None:
        """The list behind a figure: the page with the node and the given filters."""
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            return None
        query = {"node": (node or self.node).pk, **{k: v for k, v in params.items() if v not in (None, "")}}
        return f"{url}?{urlencode(query)}"
