"""Reads of plans, drills, training and campaigns for pages, the API, the home page and briefings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Jurisdiction, Person
from shouwang.core.registry import PLAN_RESOURCES, POLICY_TERMS
from shouwang.core.search import Hit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from . import scoring
from .choices import (
    KIND_CERTIFICATE,
    KIND_CORRECTIVE,
    KIND_DRILL,
    KIND_PLAN_REVIEW,
    DrillState,
    ImprovementState,
    InjectState,
    VersionState,
)
from .diffs import supply_text
from .models import (
    Campaign,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Improvement,
    Inject,
    Plan,
    PlanVersion,
    Session,
)

# ---------------------------------------------------------------- plans

def matching_versions(node, working_kind, category, level):
    """The approved versions in force of the plans on `node` or above that cover an incident of this
    working category, category and level: the nearest node first."""
    chain = [*node.ancestors(), node]
    versions = (PlanVersion.objects.filter(plan__jurisdiction__in=chain, plan__active=True,
                                           state=VersionState.APPROVED, plan__working_kind=working_kind)
                .select_related("plan", "jurisdiction", "lead_group"))
    found = [v for v in versions if v.plan.current_id == v.pk and (not v.categories or category in v.categories)
             and v.covers_level(level)]
    return sorted(found, key=lambda v: (-v.jurisdiction.depth, v.title, v.pk))


def category_terms():
    return {code: str(label) for code, label in (POLICY_TERMS.get("categories") or {}).items()}


def category_labels(codes):
    terms = category_terms()
    return [terms.get(code, code) for code in codes or []]


def resources_of(version):
    """The resources a version needs: its teams, its supplies in words, and what other apps say of
    them (core.registry.PLAN_RESOURCES)."""
    rows = {"teams": list(version.teams.all()), "supplies": [supply_text(s) for s in version.supplies or []],
            "linked": []}
    for _key, (label, func) in PLAN_RESOURCES.items():
        items = list(func(version) or [])
        if items:
            rows["linked"].append((str(label), items))
    return rows


def review_state(plans, now=None):
    """{plan id: (state, due_at)} of each plan's nearest pending expert review."""
    now = now or timezone.now()
    out = {}
    rows = (Obligation.objects.for_subjects(Plan, [p.pk for p in plans]).of_kind(KIND_PLAN_REVIEW).pending()
            .with_state(now).order_by("due_at"))
    for ob in rows:
        out.setdefault(int(ob.subject_id), (ob.state_db, ob.due_at))
    return out


# ---------------------------------------------------------------- drills

@dataclass
class ActionRow:
    action: object
    scored: scoring.Scored
    window_ends: object
    late: bool
    evaluations: list = field(default_factory=list)

    @property
    def rating(self):
        return self.evaluations[-1].rating if self.evaluations else ""


@dataclass
class InjectRow:
    inject: object
    due_at: object
    actions: list = field(default_factory=list)
    contingencies: list = field(default_factory=list)


def inject_due_at(drill, inject):
    """When the inject falls due on the wall clock, given the pauses so far (None before the start)."""
    if drill.started_at is None:
        return None
    due = drill.started_at + timedelta(minutes=inject.offset_minutes, seconds=drill.paused_seconds)
    if drill.paused_at is not None:
        due += max(timezone.now() - drill.paused_at, timedelta(0))
    return due


def timeline(drill, now=None):
    """The drill's scenario as the console shows it: each inject (contingencies under the action
    they back up), its state, due time, and its expected actions with their score."""
    now = now or timezone.now()
    injects = list(drill.injects.select_related("recipient_group", "recipient_person", "handled_by")
                   .prefetch_related("actions__evaluations", "actions__person", "actions__done_by")
                   .order_by("offset_minutes", "order", "pk"))
    by_action = defaultdict(list)
    for inject in injects:
        if inject.contingency_for_id:
            by_action[inject.contingency_for_id].append(inject)
    rows = []
    for inject in injects:
        if inject.contingency_for_id:
            continue
        row = InjectRow(inject=inject, due_at=inject_due_at(drill, inject))
        for action in inject.actions.all():
            evaluations = sorted(action.evaluations.all(), key=lambda e: (e.at, e.pk))
            ends = inject.delivered_at + timedelta(minutes=action.window_minutes) if inject.delivered_at else None
            scored = scoring.score(action.points, done_at=action.done_at, window_ends=ends,
                                   rating=evaluations[-1].rating if evaluations else "")
            row.actions.append(ActionRow(action=action, scored=scored, window_ends=ends,
                                         late=bool(ends and not action.done_at and now > ends),
                                         evaluations=evaluations))
            row.contingencies += by_action.get(action.pk, [])
        rows.append(row)
    return rows


def scores(rows):
    return scoring.total(a.scored for row in rows for a in row.actions)


def offered(drill):
    return list(drill.injects.filter(state=InjectState.OFFERED).select_related("contingency_for"))


def player_view(drill, person):
    """The delivered injects meant for `person` (or his groups), newest first, with their actions."""
    groups = set(person.memberships.values_list("group_id", flat=True)) if person else set()
    rows = []
    for row in timeline(drill):
        inject = row.inject
        if inject.state != InjectState.DELIVERED:
            continue
        mine = person is not None and (inject.recipient_person_id == person.pk or inject.recipient_group_id in groups
                                       or any(a.action.person_id == person.pk for a in row.actions))
        rows.append((row, mine))
    return sorted(rows, key=lambda r: r[0].inject.delivered_at, reverse=True)


def live_drills(user):
    return (Drill.objects.restrict(user, "view").filter(state__in=[DrillState.RUNNING, DrillState.PAUSED])
            .select_related("jurisdiction", "unit").order_by("-started_at"))


def latest_injects(drills, limit=3):
    """{drill id: its last delivered injects} for the board."""
    out = {}
    for drill in drills:
        out[drill.pk] = list(drill.injects.filter(state=InjectState.DELIVERED).order_by("-delivered_at", "-pk")[:limit])
    return out


def clock_summary(clocks):
    """Met in time, met late, and not met (missed, or still running when the drill ended)."""
    met = sum(1 for c in clocks if c.get("state") == State.MET)
    late = sum(1 for c in clocks if c.get("state") == State.MET_LATE)
    return {"met": met, "late": late, "missed": len(clocks) - met - late, "total": len(clocks)}


# ---------------------------------------------------------------- the desk's figures

def desk_figures(user, now=None):
    """For the office's home page: drills owed this period (and missed), plan reviews overdue,
    certificates expiring or expired, open corrective actions — real duties, in scope."""
    now = now or timezone.now()
    counts = (Obligation.objects.restrict(user, "view").real()
              .of_kind(KIND_DRILL, KIND_PLAN_REVIEW, KIND_CERTIFICATE, KIND_CORRECTIVE).pending().opened_by(now)
              .state_counts(now))  # one grouped query for five figures
    return {
        "drills_due": counts.get((KIND_DRILL, State.OPEN), 0) + counts.get((KIND_DRILL, State.DUE_SOON), 0),
        "drills_missed": counts.get((KIND_DRILL, State.MISSED), 0),
        "reviews_overdue": counts.get((KIND_PLAN_REVIEW, State.MISSED), 0),
        "certificates_expiring": Certificate.objects.restrict(user, "view").filter(
            renewed=False, expires_on__gte=timezone.localdate(now),
            expires_on__lte=timezone.localdate(now) + timedelta(days=60)).count(),
        "certificates_expired": counts.get((KIND_CERTIFICATE, State.MISSED), 0),
        "corrective_open": Improvement.objects.restrict(user, "view").exclude(state=ImprovementState.VERIFIED).count(),
        "corrective_overdue": counts.get((KIND_CORRECTIVE, State.MISSED), 0),
    }


def drills_owed(user, now=None, limit=8):
    """The pending drills the policy asks for, most urgent first."""
    now = now or timezone.now()
    return list(Obligation.objects.restrict(user, "view").real().of_kind(KIND_DRILL).pending().opened_by(now)
                .most_urgent_first(now).select_related("jurisdiction", "responsible_unit")[:limit])


# ---------------------------------------------------------------- training

def qualified_share(user, today=None):
    """Per post (kind of person): people in scope, how many hold a valid certificate of every course
    that qualifies for it, the share."""
    today = today or timezone.localdate()
    courses = list(Course.objects.restrict(user, "view"))
    required = defaultdict(set)
    for course in courses:
        for post in course.posts or []:
            required[post].add(course.pk)
    rows = []
    for post, course_ids in sorted(required.items()):
        people = list(Person.objects.restrict(user, "view").filter(kind=post, active=True).values_list("pk", flat=True))
        valid = defaultdict(set)
        certificates = Certificate.objects.filter(person_id__in=people, course_id__in=course_ids,
                                                  issued_on__lte=today).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        for person_id, course_id in certificates.values_list("person_id", "course_id"):
            valid[person_id].add(course_id)
        qualified = sum(1 for pk in people if course_ids <= valid[pk])
        label = PersonKind(post).label if post in PersonKind.values else post
        rows.append({"post": post, "label": label, "people": len(people), "qualified": qualified,
                     "percent": round(100 * qualified / len(people)) if people else None,
                     "courses": [c for c in courses if c.pk in course_ids]})
    return rows


def hours_of(person):
    """A person's training hours: the hours of the courses of the sessions he attended."""
    return person.attendances.aggregate(h=Sum("session__course__hours"))["h"] or 0


# ---------------------------------------------------------------- campaigns

def rollup(user, year, root=None):
    """Campaigns and audience of `year` rolled up the tree: the user's top nodes (or `root`) and
    their children, each over its subtree, against the node's target for the year."""
    nodes = [root] if root is not None else list(Jurisdiction.objects.restrict(user, "view").order_by("depth", "path"))
    if root is None and nodes:
        top = nodes[0].depth
        nodes = [n for n in nodes if n.depth == top]
    shown = []
    for node in nodes:
        shown.append(node)
        shown += list(node.children().order_by("path"))
    campaigns = Campaign.objects.restrict(user, "view").filter(held_on__year=year)
    targets = {t.jurisdiction_id: t for t in CampaignTarget.objects.filter(year=year, jurisdiction__in=shown)}
    rows = []
    for node in shown:
        agg = campaigns.filter(jurisdiction__path__startswith=node.path).aggregate(n=Count("pk"), people=Sum("audience"))
        target = targets.get(node.pk)
        rows.append({"node": node, "campaigns": agg["n"] or 0, "audience": agg["people"] or 0, "target": target,
                     "percent": round(100 * (agg["n"] or 0) / target.campaigns) if target and target.campaigns else None,
                     "child": root is None and node.depth > nodes[0].depth if nodes else False})
    return rows


def upcoming_sessions(user, now=None, limit=5):
    now = now or timezone.now()
    return list(Session.objects.restrict(user, "view").filter(ends_at__gte=now).select_related("course")
                .order_by("starts_at")[:limit])


def open_injects_for(person):
    """Delivered injects of live drills meant for `person` (directly or through his groups)."""
    if person is None:
        return Inject.objects.none()
    groups = person.memberships.values("group_id")
    return (Inject.objects.filter(drill__state__in=[DrillState.RUNNING, DrillState.PAUSED],
                                  state=InjectState.DELIVERED)
            .filter(Q(recipient_person=person) | Q(recipient_group_id__in=groups) | Q(actions__person=person))
            .distinct().select_related("drill"))


def search(user, q, limit):
    """Plans and drills for the global search (core.search): by title."""
    plans = Plan.objects.restrict(user, "view").filter(title__icontains=q).select_related("jurisdiction")[:limit]
    drills = Drill.objects.restrict(user, "view").filter(title__icontains=q).select_related("jurisdiction")[:limit]
    return ([Hit(p.title, p.get_absolute_url(), f"{p.jurisdiction.name} · {p.get_working_kind_display()}",
                 p.title == q) for p in plans]
            + [Hit(str(d), d.get_absolute_url(), f"{d.jurisdiction.name} · {d.get_state_display()}", d.title == q)
               for d in drills])
