"""Policy writes (new versions, assignments) and the effective rules of a node."""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.registry import RULE_LABELS

from .choices import Section
from .models import NodePolicy, Policy, PolicyVersion
from .validation import validate_rules

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
# Small allowance for a form submitted a moment after the page was drawn.
PAST_GRACE = timedelta(minutes=5)


@transaction.atomic
def new_version(policy, rules, *, user=None, note="", effective_from=None, allow_past=False):
    """Save `rules` as the next version of `policy`; running clocks keep the version they used."""
    validate_rules(rules)
    now = timezone.now()
    effective_from = effective_from or now
    if not allow_past and effective_from < now - PAST_GRACE:
        raise ValidationError({"effective_from": _("A new policy version cannot take effect in the past.")})
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    last = policy.versions.order_by("-number").first()
    return PolicyVersion.objects.create(
        policy=policy, number=(last.number + 1) if last else 1, rules=rules, note=note,
        effective_from=effective_from, created_by=user,
    )


def load_presets(out=print):
    """Create or update the shipped presets; an unchanged preset gets no new version."""
    loaded = []
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            policy, _created = Policy.objects.get_or_create(
                code=data["code"], defaults={"name": data["name"], "description": data.get("description", "")}
            )
            current = policy.versions.order_by("-number").first()
            if current is None or current.rules != data["rules"]:
                new_version(policy, data["rules"], note=_("Preset shipped with Shouwang"),
                            effective_from=timezone.now(), allow_past=True)
        loaded.append(policy)
        out(f"Preset {policy.code}: v{policy.versions.order_by('-number').first().number}")
    return loaded


@dataclass
class Effective:
    """The rules a node uses now, section by section, with the version each came from."""

    node: object
    sections: dict = field(default_factory=dict)  # name -> (value, PolicyVersion)

    def get(self, section, default=None):
        found = self.sections.get(section)
        return found[0] if found else default

    def version_of(self, section):
        found = self.sections.get(section)
        return found[1] if found else None

    def __contains__(self, section):
        return section in self.sections


def effective(node, at=None) -> Effective:
    """Merge the node's policies over its ancestors': the nearest node that sets a section wins."""
    at = at or timezone.now()
    chain = [*node.ancestors(), node]
    assignments = (
        NodePolicy.objects.filter(jurisdiction__in=chain).select_related("policy", "jurisdiction")
        .order_by("jurisdiction__depth", "priority", "pk")
    )
    result = Effective(node=node)
    for assignment in assignments:  # root first, so nearer nodes and higher priorities overwrite
        version = assignment.policy.current_version(at)
        if version is None:
            continue
        for section, value in version.rules.items():
            result.sections[section] = (value, version)
    return result


def assign(node, policy, priority=1):
    return NodePolicy.objects.get_or_create(jurisdiction=node, policy=policy, defaults={"priority": priority})[0]


@dataclass
class SectionRow:
    """One line of the effective-policy page: a section, its value, where it came from."""

    section: str
    value: object
    version: object
    node: object  # the node whose assignment supplied it
    inherited: bool
    overridden: list = field(default_factory=list)  # (version, node) pairs it replaced


def explain(node, at=None) -> list[SectionRow]:
    """`effective(node)` with its reasons: for each section, which assignment on which node won."""
    at = at or timezone.now()
    chain = [*node.ancestors(), node]
    assignments = (
        NodePolicy.objects.filter(jurisdiction__in=chain).select_related("policy", "jurisdiction")
        .order_by("jurisdiction__depth", "priority", "pk")
    )
    rows: dict[str, SectionRow] = {}
    for assignment in assignments:
        version = assignment.policy.current_version(at)
        if version is None:
            continue
        for section, value in version.rules.items():
            previous = rows.get(section)
            overridden = [*previous.overridden, (previous.version, previous.node)] if previous else []
            rows[section] = SectionRow(section, value, version, assignment.jurisdiction,
                                       assignment.jurisdiction_id != node.pk, overridden)
    return sorted(rows.values(), key=lambda r: r.section)


@transaction.atomic
def copy_policy(source, *, node, code, name, user=None, description=""):
    """A node's own policy, starting as a copy of `source` (usually a preset) at its current rules."""
    if Policy.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A policy with this code exists already.")})
    current = source.current_version() or source.versions.order_by("-number").first()
    if current is None:
        raise ValidationError({"source": _("That policy has no version to copy.")})
    policy = Policy.objects.create(code=code, name=name, jurisdiction=node,
                                   description=description or source.description)
    new_version(policy, current.rules, user=user,
                note=_("Copied from %(source)s v%(n)s") % {"source": source.code, "n": current.number})
    return policy


def unassign(node_policy):
    node_policy.delete()


def as_yaml(rules) -> str:
    return yaml.safe_dump(rules, allow_unicode=True, sort_keys=False, default_flow_style=False)


def parse_yaml(text):
    """Rules from YAML text, or a ValidationError that says where the text is broken."""
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)s, column %(col)s") % {"line": mark.line + 1, "col": mark.column + 1} if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError({"rules": _("This is not valid YAML (%(where)s): %(problem)s")
                               % {"where": where, "problem": problem}}) from exc
    if not isinstance(data, dict):
        raise ValidationError({"rules": _("Rules must be a mapping of sections.")})
    return data


def rule_label(rule, version=None) -> str:
    """The words for an obligation's `rule`: an app's registered label, else the label the policy
    data gives it (a clock's or a window's `label`), else its section's label; never a bare key
    when anything better is known."""
    if not rule:
        return ""
    registered = RULE_LABELS.get(rule)
    if registered is not None:
        return str(registered)
    for section in ((version.rules or {}).values() if version is not None else ()):
        if isinstance(section, list):
            for entry in section:
                if isinstance(entry, dict) and rule in (entry.get("rule"), entry.get("name")) and entry.get("label"):
                    return str(entry["label"])
    head, _dot, _tail = rule.partition(".")
    if head in Section.values:
        return str(Section(head).label)
    return rule
