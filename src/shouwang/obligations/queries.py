"""Read assemblies of obligations for pages and the home page's tiles (no writes)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from shouwang.core.clock import local_datetime

from .filtersets import mine_condition
from .models import Notification, Obligation

RELATED = ("jurisdiction", "responsible_unit", "responsible_person", "policy_version__policy")
RECENT = timedelta(days=7)


def today_bounds(now):
    start = local_datetime(timezone.localdate(now))
    return start, start + timedelta(days=1)


def my_obligations(user, now):
    """The three lists of the page and the API's `?mine=1`: due today, overdue, done recently."""
    qs = Obligation.objects.restrict(user, "view").real().filter(mine_condition(user)).select_related(*RELATED)
    _start, end = today_bounds(now)
    pending = qs.filter(met_at__isnull=True, waived_at__isnull=True)
    return {
        "due_today": pending.filter(due_at__gte=now, due_at__lt=end).order_by("due_at", "pk"),
        "overdue": pending.filter(due_at__lt=now).order_by("-due_at", "-pk")[:100],
        "done": qs.filter(Q(met_at__gte=now - RECENT) | Q(waived_at__gte=now - RECENT)).order_by("-due_at", "-pk")[:50],
    }


def due_summary(qs, now, limit=8):
    """Pending obligations of `qs` that are overdue or due later today, counted by kind and by
    responsible unit: two grouped queries, whatever the size of the street."""
    start, end = today_bounds(now)
    pending = qs.real().pending().filter(due_at__lt=end).order_by()
    counts = {"overdue": Count("pk", filter=Q(due_at__lt=now)),
              "today": Count("pk", filter=Q(due_at__gte=start))}
    by_kind = list(pending.values("kind").annotate(**counts).order_by("-overdue", "-today", "kind"))
    by_unit = list(pending.filter(due_at__lt=now).values("responsible_unit", "responsible_unit__name")
                   .annotate(n=Count("pk")).order_by("-n", "responsible_unit__name")[:limit])
    return {
        "by_kind": [row for row in by_kind if row["overdue"] or row["today"]],
        "by_unit": by_unit,
        "overdue": sum(row["overdue"] for row in by_kind),
        "today": sum(row["today"] for row in by_kind),
        "start": start,
    }


def unit_duties(unit, now, limit=6):
    """A unit's pending duties, the most urgent first, and how many are overdue."""
    pending = Obligation.objects.real().pending().filter(responsible_unit=unit).select_related(*RELATED)
    return {"items": list(pending.order_by("due_at", "pk")[:limit]),
            "overdue": pending.filter(due_at__lt=now).count()}


def unread_alerts(user, limit=4):
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return {"items": list(unread.order_by("-created_at", "-pk")[:limit]), "count": unread.count()}


@dataclass
class InboxGroup:
    """The messages about one record (an incident, a patrol window...), each escalation once."""

    key: str
    url: str
    title: str
    items: list = field(default_factory=list)
    unread: int = 0

    @property
    def latest(self):
        return self.items[0].created_at

    @property
    def unread_ids(self):
        return [n.pk for n in self.items if n.read_at is None]


def _subject_urls(notes):
    """{(content type id, subject id): url} of the records the notes' obligations are about."""
    wanted: dict = {}
    for note in notes:
        ob = note.obligation
        if ob is not None and ob.subject_type_id and ob.subject_id:
            wanted.setdefault(ob.subject_type_id, set()).add(ob.subject_id)
    urls = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        keys = [int(i) for i in ids if str(i).isdigit()]
        for pk, record in model._default_manager.in_bulk(keys).items():
            urls[(type_id, str(pk))] = record.get_absolute_url()
    return urls


def inbox_groups(user, *, unread=False, kind=None, limit=300):
    """The user's latest messages grouped by the record they are about, newest group first.
    (A step of an escalation is one message per person: a unique constraint holds it.)"""
    notes = Notification.objects.filter(recipient=user).select_related("obligation")
    if unread:
        notes = notes.filter(read_at__isnull=True)
    if kind:
        notes = notes.filter(kind=kind)
    notes = list(notes.order_by("-created_at", "-pk")[:limit])
    urls = _subject_urls(notes)
    groups: dict = {}
    for note in notes:
        ob = note.obligation
        subject_url = urls.get((ob.subject_type_id, ob.subject_id)) if ob is not None else None
        url = note.url or subject_url or (ob.get_absolute_url() if ob is not None else "")
        key = url or f"note:{note.pk}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = InboxGroup(key=key, url=url, title=note.title)
        note.link = ob.get_absolute_url() if ob is not None else url
        group.items.append(note)
        group.unread += note.read_at is None
    return list(groups.values())
