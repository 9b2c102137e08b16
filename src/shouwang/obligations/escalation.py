"""Escalation: remind before the due time, notify when missed, then the leading-group office.

Steps (stored on the obligation as `escalation_step`, see `choices.Step`):
1. `remind_before_minutes` before `due_at`: a reminder to the responsible person.
2. When missed: the responsible person and their supervisors (if `notify_supervisor`).
3. `office_after_minutes` past `due_at`: the leading-group office.

Who is who:
- *responsible person*: `obligation.responsible_person.user` (no account, no message).
- *supervisors*: users holding the leader or office-staff role on the obligation's node or,
  if nobody holds one there, on the nearest ancestor where somebody does.
- *office*: the members (through their person's user account) of the office group
  (`Group(kind=office)`) on the nearest node, from the obligation's own node upwards, that
  has one, plus the office-staff role holders on that same node; with no office group
  anywhere above, the office-staff role holders on the nearest node that has any.

The rules come from `obligation.policy_version` when that version has an `escalation`
section, else from the node's effective policy, else `DEFAULT_ESCALATION`.

Never twice: the sweep reads candidates by the partial index on pending `due_at`, then
claims each batch with SELECT ... FOR UPDATE SKIP LOCKED inside one transaction, bumps the
row's fencing token (`sweep_token`), advances `escalation_step` and writes the messages in
that same transaction. A second sweep (or a second worker) either skips the locked rows or,
after the commit, sees the advanced step and has nothing left to do. On SQLite, which has no
row locks, transactions begin IMMEDIATE (see settings), so sweeps simply run one after the
other and the second finds the step already advanced.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouwang.core.changelog import record
from shouwang.core.choices import ChangeAction, GroupKind, Role
from shouwang.core.models import Jurisdiction, Membership, RoleAssignment
from shouwang.policies.models import PolicyVersion
from shouwang.policies.services import effective

from .choices import NotificationKind, Step
from .models import Obligation
from .notify import deliver_pending, notify, webhooks_for

DEFAULT_ESCALATION = {"remind_before_minutes": 30, "notify_supervisor": True, "office_after_minutes": 60}
BATCH = 200
SUPERVISOR_ROLES = (Role.LEADER, Role.OFFICE_STAFF)


def rules_for(obligation, node_cache=None):
    """The escalation section that applies to this obligation."""
    version = obligation.policy_version
    if version is not None and isinstance(version.rules.get("escalation"), dict):
        return {**DEFAULT_ESCALATION, **version.rules["escalation"]}

    cache = node_cache if node_cache is not None else {}
    if obligation.jurisdiction_id not in cache:
        section = effective(obligation.jurisdiction).get("escalation")
        cache[obligation.jurisdiction_id] = {**DEFAULT_ESCALATION, **section} if isinstance(section, dict) else dict(DEFAULT_ESCALATION)
    return cache[obligation.jurisdiction_id]


def _chain(node):
    """The node and its ancestors, nearest first."""
    paths = [node.path[:i] for i in range(len(node.path), 0, -node.steplen)]
    by_path = {n.path: n for n in Jurisdiction.objects.filter(path__in=paths)}
    return [by_path[p] for p in paths if p in by_path]


def _role_holders(node_ids, roles):
    rows = RoleAssignment.objects.filter(jurisdiction_id__in=node_ids, role__in=roles, user__is_active=True)
    found = {}
    for node_id, user_id in rows.values_list("jurisdiction_id", "user_id"):
        found.setdefault(node_id, set()).add(user_id)
    return found


def supervisors(node):
    """Leader and office-staff role holders on the node or the nearest ancestor that has any."""
    chain = _chain(node)
    holders = _role_holders([n.pk for n in chain], SUPERVISOR_ROLES)
    for n in chain:
        if n.pk in holders:
            return list(get_user_model().objects.filter(pk__in=holders[n.pk]).select_related("person").order_by("pk"))
    return []


def office(node):
    """The leading-group office on the nearest node that has one, plus office staff there."""
    chain = _chain(node)
    ids = [n.pk for n in chain]
    members = Membership.objects.filter(group__kind=GroupKind.OFFICE, group__jurisdiction_id__in=ids)
    group_nodes = set(members.values_list("group__jurisdiction_id", flat=True))
    staff = _role_holders(ids, (Role.OFFICE_STAFF,))
    home = next((pk for pk in ids if pk in group_nodes), None) or next((pk for pk in ids if pk in staff), None)
    if home is None:
        return []
    user_ids = set(members.filter(group__jurisdiction_id=home, person__user__isnull=False, person__active=True)
                   .values_list("person__user_id", flat=True)) | staff.get(home, set())
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).select_related("person").order_by("pk"))


def _responsible_user(obligation):
    person = obligation.responsible_person
    return person.user if person is not None and person.active and person.user_id else None


def target_step(obligation, rules, now):
    """The furthest step the clock has reached for this obligation."""
    if now > obligation.due_at:
        office_after = rules.get("office_after_minutes")
        if office_after is None or now >= obligation.due_at + timedelta(minutes=office_after):
            return Step.OFFICE  # with no office step, escalation ends here
        return Step.MISSED
    remind = rules.get("remind_before_minutes")
    if remind and now >= obligation.due_at - timedelta(minutes=remind):
        return Step.REMINDED
    return Step.NONE


def _when(dt):
    return date_format(timezone.localtime(dt), "Y-m-d H:i")


def _messages(obligation, step):
    """(kind, title, body) for a step."""
    facts = {"title": obligation.title, "node": obligation.jurisdiction.name, "due": _when(obligation.due_at),
             "who": obligation.responsible_person or obligation.responsible_unit or _("nobody named")}
    if step == Step.REMINDED:
        return (NotificationKind.REMINDER, _("Due soon: %(title)s") % facts,
                _("“%(title)s” (%(node)s) is due at %(due)s.") % facts)
    if step == Step.MISSED:
        return (NotificationKind.MISSED, _("Missed: %(title)s") % facts,
                _("“%(title)s” (%(node)s) was due at %(due)s and is not done. Responsible: %(who)s.") % facts)
    return (NotificationKind.ESCALATED, _("Escalated to the office: %(title)s") % facts,
            _("“%(title)s” (%(node)s) was due at %(due)s and is still not done. Responsible: %(who)s.") % facts)


def _per_node(cache, kind, node, func):
    """Supervisors, office and webhooks of a node, looked up once per sweep."""
    if cache is None:
        return func(node)
    key = (kind, node.pk)
    if key not in cache:
        cache[key] = func(node)
    return cache[key]


def _recipients(obligation, step, rules, cache=None):
    responsible = _responsible_user(obligation)
    if step == Step.REMINDED:
        return [responsible] if responsible else []
    if step == Step.MISSED:
        people = [responsible] if responsible else []
        if rules.get("notify_supervisor", True) or not people:
            people += _per_node(cache, "supervisors", obligation.jurisdiction, supervisors)
        return people
    return _per_node(cache, "office", obligation.jurisdiction, office)


def escalate(obligation, now, rules, cache=None):
    """Advance one claimed (locked) obligation; returns the notifications written."""
    target = target_step(obligation, rules, now)
    if target <= obligation.escalation_step:
        return []
    obligation.sweep_token += 1
    written = []
    for step in range(obligation.escalation_step + 1, target + 1):
        if step == Step.REMINDED and target > Step.REMINDED:
            continue  # a reminder after the due time is noise: the missed message says it all
        if step == Step.OFFICE and rules.get("office_after_minutes") is None:
            continue
        kind, title, body = _messages(obligation, step)
        hooks = _per_node(cache, "webhooks", obligation.jurisdiction, lambda node: list(webhooks_for(node)))
        written += notify(_recipients(obligation, step, rules, cache), kind=kind, title=title, body=body,
                          obligation=obligation, token=obligation.sweep_token, webhooks=hooks)
    # The row is locked and these two fields are all that change: update them and log the
    # change explicitly (as the save signal would, without re-reading the row).
    before = {"escalation_step": obligation.escalation_step, "sweep_token": obligation.sweep_token - 1}
    obligation.escalation_step = target
    Obligation.objects.filter(pk=obligation.pk).update(
        escalation_step=target, sweep_token=obligation.sweep_token, updated_at=timezone.now()
    )
    record(obligation, ChangeAction.UPDATE, before=before,
           after={"escalation_step": target, "sweep_token": obligation.sweep_token})
    return written


def _horizon():
    """How far ahead of the clock a reminder can fall, over the policies in use (at least the default)."""

    longest = DEFAULT_ESCALATION["remind_before_minutes"]
    for rules in PolicyVersion.objects.filter(rules__has_key="escalation").values_list("rules", flat=True):
        value = (rules.get("escalation") or {}).get("remind_before_minutes")
        if isinstance(value, int) and value > longest:
            longest = value
    return timedelta(minutes=longest)


def candidates(now):
    """Pending, not fully escalated, due within the reminder horizon — served by `obligation_sweep_idx`."""
    return Obligation.objects.filter(
        met_at__isnull=True, waived_at__isnull=True, escalation_step__lt=Step.OFFICE, due_at__lte=now + _horizon(),
    )


def sweep(now=None, batch=BATCH):
    """One pass: escalate what the clock has reached. Safe to run twice or in two processes at once."""
    now = now or timezone.now()
    qs = candidates(now)
    cursor = None  # keyset over (due_at, id): rows with nothing to do yet are passed, not re-read
    stats = {"examined": 0, "escalated": 0, "notifications": 0}
    node_cache = {}
    lock = {"skip_locked": True, "of": ("self",)} if connection.features.has_select_for_update_skip_locked else {}
    while True:
        page = qs if cursor is None else qs.filter(Q(due_at__gt=cursor[0]) | Q(due_at=cursor[0], pk__gt=cursor[1]))
        with transaction.atomic():
            rows = list(
                page.select_for_update(**lock).select_related("jurisdiction", "responsible_person__user",
                                                              "responsible_unit", "policy_version")
                .order_by("due_at", "pk")[:batch]
            )
            for obligation in rows:
                step = obligation.escalation_step
                written = escalate(obligation, now, rules_for(obligation, node_cache), node_cache)
                stats["examined"] += 1
                stats["escalated"] += obligation.escalation_step != step
                stats["notifications"] += len(written)
        if len(rows) < batch:
            break
        cursor = (rows[-1].due_at, rows[-1].pk)
    deliver_pending()
    return stats
