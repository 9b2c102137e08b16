"""What the policy asks of a school, read per school: its own school-security policy (preset F
assigned on its profile) or the `school_security` section of its node's policy; the gate windows
from the profile or the node's `checkin_windows` (school_arrival, school_dismissal: preset E)."""

from dataclasses import dataclass

from django.utils import timezone

from shouwang.core.clock import parse_hhmm
from shouwang.core.models import Jurisdiction
from shouwang.policies.models import NodePolicy, PolicyVersion
from shouwang.policies.services import effective

from .choices import GateKind

DEFAULT_RETENTION_DAYS = 90  # the visitor log when no policy says how long (the default)
WINDOW_NAMES = {GateKind.ARRIVAL: "school_arrival", GateKind.DISMISSAL: "school_dismissal"}


@dataclass
class Rules:
    section: dict
    version: object  # the PolicyVersion it came from, or None
    policy: object  # the node's Effective policy

    @property
    def source(self):
        return self.section.get("source", "")

    @property
    def retention_days(self) -> int:
        days = self.section.get("visitor_retention_days")
        return days if isinstance(days, int) and days > 0 else DEFAULT_RETENTION_DAYS

    @property
    def patrols_per_day(self):
        return self.section.get("key_area_patrols_per_day")

    @property
    def gatehouse_hours(self):
        return self.section.get("gatehouse_hours")


def of(school, policy=None) -> Rules:
    policy = policy or effective(school.jurisdiction)
    if school.policy_id:
        version = school.policy.current_version()
        if version is not None and isinstance(version.rules.get("school_security"), dict):
            return Rules(version.rules["school_security"], version, policy)
    section = policy.get("school_security")
    if isinstance(section, dict):
        return Rules(section, policy.version_of("school_security"), policy)
    return Rules({}, None, policy)


@dataclass
class GateTimes:
    kind: str
    start: object  # time of day
    end: object
    version: object = None  # the policy version, when the times came from policy
    label: str = ""


def gate_times(school, policy=None) -> list[GateTimes]:
    """The school's arrival and dismissal windows: its own times, else its node's policy's."""
    out = []
    windows = None
    for kind in (GateKind.ARRIVAL, GateKind.DISMISSAL):
        start, end = getattr(school, f"{kind}_start"), getattr(school, f"{kind}_end")
        if start is not None and end is not None:
            out.append(GateTimes(kind, start, end))
            continue
        if windows is None:
            policy = policy or effective(school.jurisdiction)
            windows = (policy.get("checkin_windows") or [], policy.version_of("checkin_windows"))
        entries, version = windows
        spec = next((w for w in entries if isinstance(w, dict) and w.get("name") == WINDOW_NAMES[kind]), None)
        if spec:
            out.append(GateTimes(kind, parse_hhmm(spec["start"]), parse_hhmm(spec["end"]), version,
                                 spec.get("label", "")))
    return out


def for_schools(schools, at=None) -> dict:
    """{school id: Rules} for many schools in three queries (the street's tile and table): the
    `school_security` section each school's node inherits (the nearest node that sets it, the
    higher priority on one node, as policies.services.effective merges), or its own policy's."""
    at = at or timezone.now()
    schools = list(schools)
    step = Jurisdiction.steplen
    chains = {s.pk: [s.jurisdiction.path[:n] for n in range(step, len(s.jurisdiction.path) + 1, step)]
              for s in schools}
    paths = {p for chain in chains.values() for p in chain}
    assignments = list(NodePolicy.objects.filter(jurisdiction__path__in=paths).select_related("jurisdiction")
                       .order_by("jurisdiction__depth", "priority", "pk"))
    policy_ids = {a.policy_id for a in assignments} | {s.policy_id for s in schools if s.policy_id}
    current = {}
    for version in PolicyVersion.objects.filter(policy_id__in=policy_ids, effective_from__lte=at).order_by(
            "policy_id", "-number"):
        current.setdefault(version.policy_id, version)
    out = {}
    for school in schools:
        section, found = {}, None
        chain = set(chains[school.pk])
        for a in assignments:
            version = current.get(a.policy_id)
            if a.jurisdiction.path in chain and version and isinstance(version.rules.get("school_security"), dict):
                section, found = version.rules["school_security"], version
        own = current.get(school.policy_id) if school.policy_id else None
        if own is not None and isinstance(own.rules.get("school_security"), dict):
            section, found = own.rules["school_security"], own
        out[school.pk] = Rules(section, found, None)
    return out
