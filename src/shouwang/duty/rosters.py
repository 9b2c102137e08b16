"""A roster as the optimiser's and checker's plain data, and their findings in people's words.

Staff ids are people's primary keys as text; a day is its index from the roster's first day.
Everyone on a roster holds every post its demand asks for but the leader's, which only its
leaders hold (leaders may also stand any other post)."""

from datetime import timedelta

from django.utils.translation import gettext as _

from shouwang.core.calendar import holidays_on
from shouwang.core.choices import HolidayKind

from . import checker, queries
from .choices import Post
from .models import Assignment, Leave
from .problem import parse


def _staff(roster, extra=()):
    members = {p.pk: p for p in roster.members.all()}
    leaders = {p.pk: p for p in roster.leaders.all()}
    for person in extra:
        members.setdefault(person.pk, person)
    posts = {row["role"] for row in roster.demand} - {Post.LEADER}
    people = {**members, **leaders}
    return people, [{"id": str(pk), "name": p.name, "roles": sorted(posts | ({Post.LEADER} if pk in leaders else set()))}
                    for pk, p in sorted(people.items())]


def data_of(roster, assignments=None, extra_people=()) -> dict:
    """The documented problem JSON of a roster: its shifts, demand, rules, people, their leave,
    the node's sensitive periods and public holidays, and the roster as it stands (previous)."""
    rows = list(assignments) if assignments is not None else list(
        Assignment.objects.live().filter(roster=roster).select_related("person"))
    people, staff = _staff(roster, [a.person for a in rows] + list(extra_people))
    end = roster.starts_on + timedelta(days=roster.days - 1)
    unavailable = []
    for leave in Leave.objects.filter(person__in=list(people), starts_on__lte=end, ends_on__gte=roster.starts_on):
        day = max(leave.starts_on, roster.starts_on)
        while day <= min(leave.ends_on, end):
            unavailable.append({"staff": str(leave.person_id), "day": day.isoformat()})
            day += timedelta(days=1)
    sensitive, holidays = set(), set()
    for h in holidays_on(roster.jurisdiction, roster.starts_on, end):
        day = max(h.starts_on, roster.starts_on)
        while day <= min(h.ends_on, end):
            (sensitive if h.kind == HolidayKind.SENSITIVE else holidays).add(day.isoformat())
            if h.kind == HolidayKind.PUBLIC:
                sensitive.add(day.isoformat())  # a holiday needs a leader on duty too
            day += timedelta(days=1)
    if sensitive and not any(r["role"] == Post.LEADER for r in roster.demand) and not roster.leaders.exists():
        sensitive = set()  # a roster without leaders (a patrol team's rota) is not asked for one
    demand = [{"day": day.isoformat(), "shift": shift_id, "role": post, "count": count}
              for (day, shift_id, post), count in sorted(queries.roster_demand(roster).items())]
    return {
        "start": roster.starts_on.isoformat(), "days": roster.days,
        "shifts": [{"id": s["id"], "start": s["start"], "end": s["end"]} for s in roster.shifts],
        "staff": staff, "demand": demand, "unavailable": unavailable,
        "rules": roster.rules or {}, "sensitive_days": sorted(sensitive), "holidays": sorted(holidays),
        "leader_role": Post.LEADER,
        "previous": [{"staff": str(a.person_id), "day": a.day.isoformat(), "shift": a.shift, "role": a.post}
                     for a in rows],
    }


def as_tuples(roster, assignments):
    return [(str(a.person_id), (a.day - roster.starts_on).days, a.shift, a.post) for a in assignments]


def check(roster, assignments=None, extra_people=()) -> dict:
    """The independent checker's verdict on the roster as it stands (or on `assignments`)."""
    rows = list(assignments) if assignments is not None else list(Assignment.objects.live().filter(roster=roster))
    data = data_of(roster, rows, extra_people)
    data["staff"] = data["staff"] or [{"id": "0", "name": "", "roles": []}]  # nobody on it yet: all uncovered
    problem = parse(data)
    return checker.check(problem, as_tuples(roster, rows))


RULES = {
    "coverage": lambda: _("required people per shift"),
    "role": lambda: _("post held"),
    "one_shift_per_day": lambda: _("one shift a day"),
    "rest": lambda: _("minimum rest between shifts"),
    "max_per_7_days": lambda: _("most shifts in 7 days"),
    "unavailable": lambda: _("leave and unavailability"),
    "leader_in_sensitive_period": lambda: _("a leader on duty in sensitive periods"),
}


TERMS = {
    "wishes": lambda: _("wishes not granted"),
    "fair_shifts": lambda: _("shifts away from a fair share"),
    "fair_nights": lambda: _("night shifts away from a fair share"),
    "fair_holidays": lambda: _("holiday shifts away from a fair share"),
    "fair_leader": lambda: _("leader duties away from a fair share"),
    "changes": lambda: _("changes from the roster as it stood"),
}


def term_label(term) -> str:
    return TERMS[term]() if term in TERMS else term


def rule_label(rule) -> str:
    return RULES[rule]() if rule in RULES else rule


def describe(roster, violation, names=None) -> str:
    """One violation in a sentence: the rule by its name, the person, the day and the shift."""
    names = names or {}
    who = names.get(violation.get("staff"), "")
    shift = roster.shift_label(violation.get("shift")) if violation.get("shift") else ""
    rule = violation["rule"]
    rules = {**{"min_rest_hours": 11, "max_shifts_per_7_days": 6}, **(roster.rules or {})}
    details = {
        "coverage": lambda: _("%(have)s of %(need)s people") % {"have": violation["have"], "need": violation["need"]},
        "role": lambda: _("does not stand this post"),
        "one_shift_per_day": lambda: _("two shifts on one day"),
        "rest": lambda: _("less than %(hours)s hours between two shifts") % {"hours": rules["min_rest_hours"]},
        "max_per_7_days": lambda: _("more than %(n)s shifts in 7 days") % {"n": rules["max_shifts_per_7_days"]},
        "unavailable": lambda: _("on leave that day"),
        "leader_in_sensitive_period": lambda: _("no leader on duty"),
    }
    detail = details[rule]() if rule in details else violation.get("detail", "")
    parts = [p for p in (violation.get("day", "")[5:], shift, who) if p]
    return _("%(rule)s: %(detail)s (%(where)s)") % {"rule": rule_label(rule), "detail": detail, "where": " ".join(parts)}

