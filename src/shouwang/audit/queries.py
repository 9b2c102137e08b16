"""The accountability audit (责任倒查): every late, missed or waived obligation of a node and period.

It reads the Obligation model generically — kind, title, subject, responsible unit and person,
rule and policy version, the times — so obligations that later apps open appear here without
changes. Kind labels come from `shouwang.obligations.kinds` (the raw kind otherwise). Evidence
is the change log: the entries of the obligation itself and of its subject.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from shouwang.core.clock import local_datetime
from shouwang.core.models import ChangeLogEntry
from shouwang.obligations import kinds
from shouwang.obligations.formats import format_duration
from shouwang.obligations.models import Obligation
from shouwang.policies.services import rule_label

from .choices import Finding

DEFAULT_DAYS = 7


def default_period(now=None) -> tuple[date, date]:
    """The last seven days, today included (dates, both inclusive)."""
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page of that record is not built (yet)
        return None


def changes_url(entry) -> str | None:
    """The change-log page showing everything done in the same request as `entry`."""
    base = _url("core:changelog_list")
    if base is None or entry.request_id is None:
        return base
    return f"{base}?{urlencode({'request_id': str(entry.request_id)})}"


@dataclass
class AuditRow:
    obligation: Obligation
    finding: str
    lateness: timedelta | None
    subject: object = None
    subject_url: str | None = None
    obligation_url: str | None = None
    changes: list = field(default_factory=list)

    @property
    def kind(self):
        return self.obligation.kind

    @property
    def kind_label(self):
        return kinds.label(self.obligation.kind)

    @property
    def finding_label(self):
        return Finding(self.finding).label

    @property
    def unit_name(self):
        unit = self.obligation.responsible_unit
        return unit.name if unit else ""

    @property
    def person_name(self):
        person = self.obligation.responsible_person
        return person.name if person else ""

    @property
    def lateness_text(self):
        return format_duration(self.lateness) if self.lateness else ""

    @property
    def basis(self):
        ob = self.obligation
        parts = []
        if ob.policy_version is not None:
            parts.append(f"{ob.policy_version.policy.name} v{ob.policy_version.number}")
        if ob.rule:
            parts.append(rule_label(ob.rule, ob.policy_version))
        return " · ".join(parts)

    @property
    def waived_by_name(self):
        user = self.obligation.waived_by
        return (user.get_full_name() or user.get_username()) if user else ""

    def as_dict(self):
        ob = self.obligation
        return {
            "id": ob.pk, "kind": ob.kind, "kind_label": self.kind_label, "title": ob.title,
            "state": self.finding, "state_label": str(self.finding_label),
            "node": {"id": ob.jurisdiction_id, "name": ob.jurisdiction.name},
            "responsible_unit": {"id": ob.responsible_unit_id, "name": self.unit_name} if ob.responsible_unit_id else None,
            "responsible_person": {"id": ob.responsible_person_id, "name": self.person_name} if ob.responsible_person_id else None,
            "opens_at": ob.opens_at, "due_at": ob.due_at, "met_at": ob.met_at,
            "late_seconds": int(self.lateness.total_seconds()) if self.lateness else None,
            "late_text": self.lateness_text,
            "waived_at": ob.waived_at, "waived_by": self.waived_by_name or None, "waive_reason": ob.waive_reason,
            "policy": ob.policy_version.policy.code if ob.policy_version else None,
            "policy_version": ob.policy_version.number if ob.policy_version else None,
            "rule": ob.rule, "evidence": ob.evidence,
            "subject": {"type": ob.subject_type.model if ob.subject_type_id else None, "id": ob.subject_id,
                        "repr": str(self.subject) if self.subject is not None else "", "url": self.subject_url}
            if ob.subject_type_id else None,
            "url": self.obligation_url,
            "changes": [
                {"id": e.pk, "time": e.time, "action": e.action, "user": e.user_name, "object": e.object_repr,
                 "fields": sorted(set(e.before or {}) | set(e.after or {})), "url": changes_url(e)}
                for e in self.changes
            ],
        }


@dataclass
class AuditReport:
    node: object
    since: date
    until: date
    generated_at: datetime
    rows: list[AuditRow]

    @property
    def totals(self) -> dict[str, int]:
        counts = Counter(row.finding for row in self.rows)
        return {f.value: counts.get(f.value, 0) for f in Finding}

    @property
    def summary(self) -> list[dict]:
        """One line per (kind, responsible unit) with counts per finding."""
        lines: dict[tuple, dict] = {}
        for row in self.rows:
            key = (row.kind_label, row.unit_name)
            line = lines.setdefault(key, {"kind": row.kind_label, "unit": row.unit_name,
                                          **{f.value: 0 for f in Finding}, "total": 0})
            line[row.finding] += 1
            line["total"] += 1
        return [lines[key] for key in sorted(lines)]

    @property
    def by_unit(self) -> list[dict]:
        groups: dict[str, list] = defaultdict(list)
        for row in self.rows:
            groups[row.unit_name].append(row)
        result = []
        for name in sorted(groups, key=lambda n: (n == "", n)):
            counts = Counter(r.finding for r in groups[name])
            result.append({"unit": name, "rows": groups[name], "counts": {f.value: counts.get(f.value, 0) for f in Finding},
                           "total": len(groups[name])})
        return result

    def as_dict(self):
        return {
            "node": {"id": self.node.pk, "code": self.node.code, "name": self.node.name},
            "since": self.since, "until": self.until, "generated_at": self.generated_at,
            "totals": self.totals, "summary": self.summary,
            "results": [row.as_dict() for row in self.rows],
        }


def build(node, since: date, until: date, *, now=None, kind=None, finding=None, user=None) -> AuditReport:
    """The audit of `node`'s subtree for obligations due from `since` to `until` (dates, inclusive)."""
    now = now or timezone.now()
    wanted = [finding] if finding else [f.value for f in Finding]
    qs = (
        Obligation.objects.real().under(node).due_between(local_datetime(since), local_datetime(until + timedelta(days=1)))
        .with_state(now).filter(state_db__in=wanted)
        .select_related("jurisdiction", "responsible_unit", "responsible_person", "policy_version__policy",
                        "waived_by", "subject_type")
        .order_by("due_at", "pk")
    )
    if kind:
        qs = qs.filter(kind__startswith=kind) if kind.endswith(".") else qs.filter(kind=kind)
    obligations = list(qs)
    rows = []
    for ob in obligations:
        lateness = None if ob.state_db == Finding.WAIVED else ((ob.met_at or now) - ob.due_at)
        rows.append(AuditRow(obligation=ob, finding=ob.state_db, lateness=lateness,
                             obligation_url=_url("obligations:obligation_detail", ob.pk)))
    _attach_subjects(rows)
    _attach_changes(rows, user)
    return AuditReport(node=node, since=since, until=until, generated_at=now, rows=rows)


def _attach_subjects(rows):
    by_type: dict[int, list] = defaultdict(list)
    for row in rows:
        if row.obligation.subject_type_id and row.obligation.subject_id:
            by_type[row.obligation.subject_type_id].append(row)
    for ct_id, group in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        found = model._default_manager.in_bulk([r.obligation.subject_id for r in group])
        for row in group:
            subject = found.get(_pk(model, row.obligation.subject_id))
            row.subject = subject
            get_url = getattr(subject, "get_absolute_url", None)
            if get_url is not None:
                try:
                    row.subject_url = get_url()
                except NoReverseMatch:
                    row.subject_url = None


def _pk(model, raw):
    try:
        return model._meta.pk.to_python(raw)
    except Exception:
        return raw


def _attach_changes(rows, user=None):
    """The change-log entries of each obligation and of its subject, in one query."""
    if not rows:
        return
    ob_type = ContentType.objects.get_for_model(Obligation, for_concrete_model=False)
    condition = Q(content_type=ob_type, object_id__in=[str(r.obligation.pk) for r in rows])
    subjects: dict[int, set] = defaultdict(set)
    for row in rows:
        if row.obligation.subject_type_id and row.obligation.subject_id:
            subjects[row.obligation.subject_type_id].add(row.obligation.subject_id)
    for ct_id, ids in subjects.items():
        condition |= Q(content_type_id=ct_id, object_id__in=sorted(ids))
    entries = ChangeLogEntry.objects.filter(condition)
    if user is not None:
        entries = entries.restrict(user, "view")
    index: dict[tuple, list] = defaultdict(list)
    for entry in entries.order_by("time", "pk"):
        index[(entry.content_type_id, entry.object_id)].append(entry)
    for row in rows:
        ob = row.obligation
        found = index.get((ob_type.pk, str(ob.pk)), []) + (
            index.get((ob.subject_type_id, ob.subject_id), []) if ob.subject_type_id else [])
        row.changes = sorted(found, key=lambda e: (e.time, e.pk))
