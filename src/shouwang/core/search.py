"""The global search: one box in the header finds a place, unit, person or incident number in
the user's scope. Core knows no app: each registers a finder in `core.registry.SEARCH`
(key -> callable(user, q, limit) -> [Hit]); the page groups the hits by kind."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit
from .registry import SEARCH

LIMIT = 8


@dataclass
class Hit:
    label: str
    url: str
    detail: str = ""
    exact: bool = False  # an exact number or name: shown first


def units(user, q, limit):
    rows = (Unit.objects.restrict(user, "view").filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(phone=q))
            .select_related("jurisdiction").order_by("name")[:limit])
    return [Hit(u.name, u.get_absolute_url(), f"{u.jurisdiction.name} · {u.get_kind_display()}", u.name == q)
            for u in rows]


def people(user, q, limit):
    rows = (Person.objects.restrict(user, "view").filter(Q(name__icontains=q) | Q(phone__icontains=q))
            .select_related("jurisdiction").order_by("name")[:limit])
    return [Hit(p.name, p.get_absolute_url(), f"{p.jurisdiction.name} · {p.title or p.get_kind_display()}",
                p.name == q or p.phone == q) for p in rows]


def register():
    SEARCH.register("units", (_("Units"), 30, units))
    SEARCH.register("people", (_("People"), 40, people))


def search(user, q, limit=LIMIT):
    """[(kind label, [Hit])] with hits, exact ones first, groups in their registered order."""
    q = (q or "").strip()
    if not q:
        return []
    groups = []
    for _key, (label, order, find) in sorted(SEARCH.items(), key=lambda kv: kv[1][1]):
        hits = sorted(find(user, q, limit), key=lambda h: not h.exact)
        if hits:
            groups.append((order, not any(h.exact for h in hits), label, hits))
    return [(label, hits) for _o, _e, label, hits in sorted(groups, key=lambda g: (g[1], g[0]))]
