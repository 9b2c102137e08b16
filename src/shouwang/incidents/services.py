"""Every incident write with side effects: numbers, clocks, reports, activation, command, tasks, closure."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.choices import GroupKind, Role
from shouwang.core.idempotency import replay
from shouwang.core.ids import has_control_characters
from shouwang.core.models import RoleAssignment
from shouwang.core.models.jurisdiction import street_of
from shouwang.core.scope import can_at, refusal
from shouwang.obligations import services as obligations
from shouwang.obligations.choices import State
from shouwang.obligations.services import obligation_key
from shouwang.policies.services import effective, rule_label

from . import cap, checklist, major, responsibility
from .choices import (
    CATEGORY_MAP,
    KIND_FIRST_REPORT,
    KIND_RESPONDER_ON_SCENE,
    KIND_REVIEW_ACTION,
    KIND_TASK,
    KIND_WRITTEN_REPORT,
    Addressee,
    CapType,
    Category,
    IncidentLevel,
    LogKind,
    Phase,
    ReportKind,
    Status,
)
from .models import (
    CapMessage,
    Handover,
    Incident,
    IncidentCounter,
    LogEntry,
    Report,
    Responder,
    Review,
    ReviewAction,
    Task,
)

# A form submitted a moment after the clock was read is not "in the future".
FUTURE_GRACE = timedelta(minutes=2)
DEFAULT_RESPONDERS_MINUTES = 30
CASUALTIES = ("dead", "seriously_injured", "lightly_injured")


# ---------------------------------------------------------------- numbers

def allocate_number(node, when, drill=False):
    """`QL-WC-2026-0001`: one sequence per street and year, safe under concurrency (row lock). A
    drill's exercise incidents have a sequence of their own (`QL-WC-YL-2026-0001`), so the real
    numbers run without gaps."""
    prefix, year = street_of(node).code + ("-YL" if drill else ""), timezone.localtime(when).year
    with transaction.atomic():
        if not IncidentCounter.objects.filter(prefix=prefix, year=year).exists():
            try:
                with transaction.atomic():
                    IncidentCounter.objects.create(prefix=prefix, year=year)
            except IntegrityError:  # another intake created it a moment ago
                pass
        # UPDATE ... SET last = last + 1 takes the row lock until the intake commits.
        IncidentCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        last = IncidentCounter.objects.get(prefix=prefix, year=year).last
    return f"{prefix}-{year}-{last:04d}"


# ---------------------------------------------------------------- helpers

def _now_or(value):
    return value or timezone.now()


def _not_future(field, when):
    if when > timezone.now() + FUTURE_GRACE:
        raise ValidationError({field: _("This time lies in the future.")})


def log(incident, kind, text, *, user=None, at=None, **extra):
    return LogEntry.objects.create(incident=incident, jurisdiction_id=incident.jurisdiction_id, kind=kind,
                                   text=text, user=user, at=_now_or(at), **extra)


def notify(incident, persons, message, *, by=None, at=None):
    """Tell people about an incident: a message in the inbox (and e-mail) of each one with a login,
    and an activity-log entry per person so the log shows who was told what, when."""
    entries = []
    for person in persons:
        entries.append(log(incident, LogKind.NOTIFICATION, _("Notified %(person)s: %(message)s")
                           % {"person": person.name, "message": message}, user=by, at=at))
    users = [p.user for p in persons if p.user_id]
    if users:
        obligations.send_message(users, title=f"{incident.number} {incident.title}"[:200], body=message,
                                 url=incident.get_absolute_url())
    return entries


def obligations_of(incident):
    return obligations.for_subject(incident).order_by("due_at", "pk")


def failing_obligations(incident, now=None):
    """The incident's obligations that were met late or missed (what an audit would list)."""
    now = now or timezone.now()
    return [o for o in obligations_of(incident) if o.state_at(now) in (State.MET_LATE, State.MISSED)]


def _waiver_user(user, incident):
    return user if user is not None and can_at(user, "obligations", "waive", incident.jurisdiction.path) else None


def _meeting_user(user, incident):
    return user if user is not None and can_at(user, "obligations", "change", incident.jurisdiction.path) else None


# ---------------------------------------------------------------- clocks

def frozen_clocks(incident):
    """The clock rules of the policy version the incident started with."""
    if incident.policy_version is None:
        return []
    return list(incident.policy_version.rules.get("incident_clocks", []))


def clock_applies(clock, incident):
    categories = clock.get("categories")
    if categories and incident.category not in categories and incident.working_kind not in categories:
        return False
    if clock.get("levels") and incident.level not in clock["levels"]:
        return False
    if clock.get("major_only") and not incident.is_major:
        return False
    return True


def _clock_kind(clock):
    kinds = set(clock.get("report_kinds", []))
    return KIND_WRITTEN_REPORT if kinds == {"written"} else KIND_FIRST_REPORT


def _clock_base(clock, incident):
    return incident.activated_at if clock.get("from") == "activated" else incident.received_at


def _clock_key(incident, rule):
    return obligation_key("incident", incident, rule)


def open_clocks(incident):
    """Open every clock that applies and is not open yet (from its base: receipt or activation),
    with the unit and person its policy role names on the incident's node."""
    opened = []
    for clock in frozen_clocks(incident):
        base = _clock_base(clock, incident)
        if base is None or not clock_applies(clock, incident):
            continue
        unit, person = responsibility.resolve(clock.get("responsible"), incident)
        opened.append(obligations.open_obligation(
            kind=_clock_kind(clock), title=f"{incident.number} {clock.get('label', clock['rule'])}",
            jurisdiction=incident.jurisdiction, subject=incident, opens_at=base,
            due_at=base + timedelta(minutes=clock["minutes"]), policy_version=incident.policy_version,
            rule=clock["rule"], key=_clock_key(incident, clock["rule"]),
            responsible_unit=unit, responsible_person=person,
        ))
    return opened


def clock_rows(incident, now=None):
    """Every clock of the incident as a row for pages and the API: rule label, state, who answers."""
    now = now or timezone.now()
    rows = []
    for ob in obligations_of(incident).select_related("responsible_unit", "responsible_person", "policy_version"):
        state = ob.state_at(now)
        rows.append({
            "id": ob.pk, "kind": ob.kind, "rule": ob.rule, "label": rule_label(ob.rule, ob.policy_version),
            "title": ob.title, "opens_at": ob.opens_at, "due_at": ob.due_at, "met_at": ob.met_at,
            "state": state.value, "state_label": str(State(state).label),
            "responsible_unit": ob.responsible_unit.name if ob.responsible_unit else None,
            "responsible_person": ob.responsible_person.name if ob.responsible_person else None,
        })
    return rows


def pending_clocks(incident, at=None):
    """The incident's reporting clocks still open at `at` (now), each with its policy rule as `.clock`."""
    rules = {c["rule"]: c for c in frozen_clocks(incident)}
    rows = []
    for ob in obligations_of(incident).pending().opened_by(_now_or(at)):
        if ob.rule in rules and ob.key == _clock_key(incident, ob.rule):
            ob.clock = rules[ob.rule]
            rows.append(ob)
    return rows


def default_answers(incident, *, means, addressee="", at=None):
    """The clocks a report answers unless the sender says otherwise: the open clocks that take its
    means and go to its addressee (all of them); without an addressee, the earliest due."""
    fits = [ob for ob in pending_clocks(incident, at) if means in ob.clock.get("report_kinds", [])]
    if addressee:
        return [ob.rule for ob in fits if ob.clock.get("to") in (None, addressee)]
    return [fits[0].rule] if fits else []


# ---------------------------------------------------------------- major emergencies

def assess_major(incident, *, chosen=None):
    """Set the incident's kind of major emergency from the node's policy (or the office's choice
    among its kinds), and the sentence that says why. Returns whether it changed."""
    kinds = effective(incident.jurisdiction).get("major_kinds") or []
    if chosen is not None:
        kind = major.kind_named(kinds, chosen) if chosen else None
        if chosen and kind is None:
            raise ValidationError({"major_kind": _("Not a kind of major emergency of this node's policy.")})
    elif incident.major_kind and (major.kind_named(kinds, incident.major_kind) or {}).get("manual"):
        kind = major.kind_named(kinds, incident.major_kind)  # chosen by the office: it stays
    else:
        kind = major.matching_kind(incident, kinds)
    new_kind, new_basis = (kind["kind"], major.basis(incident, kind)) if kind else ("", "")
    changed = (new_kind, new_basis) != (incident.major_kind, incident.major_basis)
    incident.major_kind, incident.major_basis = new_kind, new_basis
    return changed


# ---------------------------------------------------------------- intake

def _check_choice(field, value, choices, message):
    if value not in choices:
        raise ValidationError({field: message})


@transaction.atomic
def intake(*, user, jurisdiction, title, category, level, address, received_at=None, client_uuid=None,
           major_kind=None, **fields):
    """Open an incident and its reporting clocks. Returns (incident, created).

    `major_kind`: the office's choice among the policy's kinds of major emergency; by default
    the kind is found from the category and level."""
    chosen_major = major_kind or None
    if client_uuid:
        existing = replay(Incident, user, client_uuid=client_uuid)
        if existing:
            return existing, False
    _check_choice("level", level, IncidentLevel.values, _("The level must be one of I, II, III, IV."))
    _check_choice("category", category, Category.values, _("Unknown category “%(value)s”.") % {"value": category})
    if jurisdiction is None or not can_at(user, "incidents", "add", jurisdiction.path):
        raise ValidationError({"jurisdiction": refusal(user, "incidents", jurisdiction.path) if jurisdiction else
                               _("Choose the community or grid where it happened.")})
    received_at = _now_or(received_at)
    _not_future("received_at", received_at)
    for name in ("happened_at", "discovered_at"):
        if fields.get(name):
            _not_future(name, fields[name])
    place = fields.get("key_place")
    if place is not None and fields.get("lat") is None and place.lat is not None:  # on the board at once
        fields["lat"], fields["lon"] = place.lat, place.lon
    version = effective(jurisdiction).version_of("incident_clocks")
    incident = Incident(jurisdiction=jurisdiction, title=title, category=category, level=level, address=address,
                        received_at=received_at, client_uuid=client_uuid, created_by=user,
                        policy_version=version, incident_class=CATEGORY_MAP[category][0], **fields)
    incident.clean()
    assess_major(incident, chosen=chosen_major)
    incident.number = allocate_number(jurisdiction, received_at, drill=incident.drill_id is not None)
    try:
        with transaction.atomic():
            incident.save()
    except IntegrityError:
        if client_uuid and (again := replay(Incident, user, client_uuid=client_uuid)) is not None:
            return again, False
        raise
    log(incident, LogKind.INTAKE, _("Received: %(title)s (%(level)s, %(category)s)")
        % {"title": title, "level": incident.get_level_display(), "category": incident.get_category_display()},
        user=user, at=received_at)
    open_clocks(incident)
    return incident, True


def _not_draft(incident):
    if incident.status == Status.DRAFT:
        raise ValidationError(_("This is a draft: confirm it as an incident first."))


@transaction.atomic
def raise_draft(*, jurisdiction, title, category, level, address, channel, description="", user=None, **fields):
    """An incident draft raised by the system (e.g. a loss of hazardous stock): no clocks run until
    someone confirms it, because nobody has yet judged that it is an incident."""
    now = timezone.now()
    incident = Incident(jurisdiction=jurisdiction, title=title[:200], category=category, level=level, address=address,
                        received_at=now, created_by=user, channel=channel, description=description,
                        status=Status.DRAFT, incident_class=CATEGORY_MAP[category][0],
                        policy_version=effective(jurisdiction).version_of("incident_clocks"), **fields)
    incident.clean()
    incident.number = allocate_number(jurisdiction, now)
    incident.save()
    log(incident, LogKind.INTAKE, _("Draft raised: %(title)s") % {"title": incident.title}, user=user, at=now)
    return incident


@transaction.atomic
def confirm_draft(incident, *, user, at=None):
    """Confirm a draft as an incident: it counts as received now and its clocks start."""
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not confirm this draft."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != Status.DRAFT:
        return incident
    incident.status, incident.received_at = Status.OPEN, _now_or(at)
    incident.policy_version = effective(incident.jurisdiction).version_of("incident_clocks")
    incident.save()
    log(incident, LogKind.INTAKE, _("Draft confirmed as an incident"), user=user, at=incident.received_at)
    open_clocks(incident)
    return incident


@transaction.atomic
def change_level(incident, level, *, user, reason="", at=None):
    """Re-evaluate the clocks against the frozen policy version after a change of level decided at
    `at` (now by default; a back-entered case gives its time): the log says when, and clocks the
    new level drops are waived as of then, unless already missed by then."""
    _check_choice("level", level, IncidentLevel.values, _("The level must be one of I, II, III, IV."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    at = _now_or(at)
    _not_future("at", at)
    if at < incident.received_at:
        raise ValidationError({"at": _("The level cannot change before the incident was received.")})
    if incident.level == level:
        return incident
    old = incident.get_level_display()
    incident.level = level
    assess_major(incident)
    incident.save(update_fields=["level", "major_kind", "major_basis", "updated_at"])
    _reevaluate_clocks(incident, user=user, at=at,
                       reason=_("No longer required at level %(level)s.") % {"level": incident.get_level_display()})
    log(incident, LogKind.LEVEL, _("Level changed from %(old)s to %(new)s. %(reason)s")
        % {"old": old, "new": incident.get_level_display(), "reason": reason}, user=user, at=at)
    return incident


def _reevaluate_clocks(incident, *, user, at, reason):
    """After the level or the kind of emergency changed at `at`: reschedule the clocks that still
    apply, waive as of `at` those that no longer do (unless already missed by then), open new ones."""
    by_rule = {o.rule: o for o in obligations_of(incident) if o.key == _clock_key(incident, o.rule)}
    for clock in frozen_clocks(incident):
        ob = by_rule.get(clock["rule"])
        base = _clock_base(clock, incident)
        if clock_applies(clock, incident):
            if ob is not None and base is not None:
                obligations.reschedule(ob, due_at=base + timedelta(minutes=clock["minutes"]))
        elif ob is not None and not ob.met_at and not ob.waived_at and ob.due_at >= at:
            obligations.waive(ob, by=_waiver_user(user, incident), at=at, reason=reason)
    open_clocks(incident)


def major_kinds(incident):
    """The kinds of major emergency the incident's node's policy knows."""
    return effective(incident.jurisdiction).get("major_kinds") or []


@transaction.atomic
def choose_major_kind(incident, major_kind, *, user, at=None):
    """The office says which kind of major emergency this is ("" = none of the data's kinds);
    the clocks follow from `at`."""
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not change this incident."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    at = _now_or(at)
    _not_future("at", at)
    if not assess_major(incident, chosen=major_kind):
        return incident
    incident.save(update_fields=["major_kind", "major_basis", "updated_at"])
    _reevaluate_clocks(incident, user=user, at=at, reason=_("Not a major emergency after all."))
    log(incident, LogKind.LEVEL, _("Kind of major emergency: %(basis)s") % {"basis": incident.major_basis or "—"},
        user=user, at=at)
    return incident


# ---------------------------------------------------------------- reports

def _check_casualties(fields):
    for name in CASUALTIES:
        value = fields.get(name)
        if value in (None, ""):
            fields[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError({name: _("Casualties are counted as whole numbers of zero or more.")})


@transaction.atomic
def submit_report(incident, *, user, kind, means, reported_by, reported_to, reported_at=None, client_uuid=None,
                  addressee="", answers=None, **fields):
    """Record a report up the chain and meet the clocks it answers. Returns (report, created).

    `answers`: the rule names of the open clocks it answers, as the sender chose them; by default
    those of its means and addressee (`default_answers`)."""
    if client_uuid:
        existing = replay(Report, user, client_uuid=client_uuid)
        if existing:
            return existing, False
    if not can_at(user, "incidents", "add", incident.jurisdiction.path):
        raise PermissionDenied(refusal(user, "incidents", incident.jurisdiction.path))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Status.CLOSED:
        raise ValidationError(_("The incident is closed; no more reports."))
    _not_draft(incident)
    _check_choice("kind", kind, ReportKind.values, _("Unknown kind of report."))
    reported_at = _now_or(reported_at)
    _not_future("reported_at", reported_at)
    if reported_at < incident.received_at:
        raise ValidationError({"reported_at": _("A report cannot be dated before the incident was received.")})
    _check_casualties(fields)
    if fields.get("event_time"):
        _not_future("event_time", fields["event_time"])
    if addressee:
        _check_choice("addressee", addressee, Addressee.values, _("Unknown addressee."))
    answers = _checked_answers(incident, answers, means=means, addressee=addressee, at=reported_at)
    report = Report(incident=incident, jurisdiction_id=incident.jurisdiction_id, kind=kind, means=means,
                    reported_at=reported_at, reported_by=reported_by, reported_to=reported_to, addressee=addressee,
                    answers=answers, client_uuid=client_uuid, submitted_by=user, **fields)
    report.full_clean(exclude=["incident", "jurisdiction", "client_uuid"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        if client_uuid and (again := replay(Report, user, client_uuid=client_uuid)) is not None:
            return again, False
        raise
    met = _meet_clocks_with(incident, report, user)
    text = _("%(kind)s by %(means)s from %(by)s to %(to)s") % {
        "kind": report.get_kind_display(), "means": report.get_means_display(), "by": reported_by, "to": reported_to}
    if met:
        text += " · " + _("meets: %(clock)s") % {"clock": "、".join(ob.title for ob in met)}
    log(incident, LogKind.REPORT, text, user=user, at=reported_at)
    return report, True


def _checked_answers(incident, answers, *, means, addressee, at):
    if answers is None:
        return default_answers(incident, means=means, addressee=addressee, at=at)
    open_rules = {ob.rule: ob.clock for ob in pending_clocks(incident, at)}
    bad = [rule for rule in answers if rule not in open_rules]
    if bad:
        raise ValidationError({"answers": _("Not an open reporting clock of this incident: %(rules)s.")
                               % {"rules": ", ".join(bad)}})
    wrong_means = [open_rules[r].get("label", r) for r in answers if means not in open_rules[r].get("report_kinds", [])]
    if wrong_means:
        raise ValidationError({"answers": _("A report of this kind cannot answer: %(clocks)s.")
                               % {"clocks": "、".join(wrong_means)}})
    return list(dict.fromkeys(answers))


def _meet_clocks_with(incident, report, user):
    met = []
    for ob in pending_clocks(incident, report.reported_at):
        if ob.rule in report.answers:
            met.append(obligations.meet(ob, at=report.reported_at, by=_meeting_user(user, incident),
                                        evidence=_("report %(id)s") % {"id": report.pk}))
    return met


@transaction.atomic
def correct_report(report, *, user, reason, **fields):
    """A correction: a new report with the corrected elements that supersedes `report`. The
    original stays as it was; the clocks it met stay met at its time."""
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("A correction needs a reason.")})
    if not can_at(user, "incidents", "correct", report.incident.jurisdiction.path):
        raise PermissionDenied(_("Only the office corrects a filed report."))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if Report.objects.filter(supersedes=report).exists():
        raise ValidationError(_("This report was corrected already; correct the latest version."))
    _check_casualties(fields)
    copied = {f.name: getattr(report, f.name) for f in Report._meta.concrete_fields
              if f.name not in ("id", "client_uuid", "supersedes", "correction_reason", "answers", "submitted_by",
                                "created_at", "updated_at")}
    unknown = set(fields) - set(copied)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    correction = Report(**{**copied, **fields}, supersedes=report, correction_reason=reason.strip(),
                        submitted_by=user, answers=[])
    correction.full_clean(exclude=["incident", "jurisdiction", "client_uuid", "supersedes"])
    correction.save()
    log(report.incident, LogKind.REPORT, _("Report %(id)s corrected: %(reason)s") % {"id": report.pk, "reason": reason},
        user=user)
    return correction


# ---------------------------------------------------------------- activation

def can_activate(user, incident):
    """(allowed, reason): a role named by the policy AND the `activate` verb on the incident's node."""
    path = incident.jurisdiction.path
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    if user.is_superuser:
        return True, ""
    roles = set(effective(incident.jurisdiction).get("activation", {}).get("roles", []))
    held = {role for role, node_path in RoleAssignment.objects.filter(user=user)
            .values_list("role", "jurisdiction__path") if path.startswith(node_path)}
    if roles and not held & roles:
        return False, _("The policy lets only these roles activate the response: %(roles)s.") % {
            "roles": "、".join(sorted(str(Role(r).label) if r in Role.values else r for r in roles))}
    if not can_at(user, "incidents", "activate", path):
        return False, _("Your role may not activate a response here.")
    return True, ""


@transaction.atomic
def activate(incident, *, user, plan_name="", lead_group=None, plan_text="", at=None, plan_version=None):
    """Activate the response under a plan version (its checklist becomes the tasks, its lead group
    leads unless another is chosen) or, where no plan is kept, a plan named in words."""
    allowed, reason = can_activate(user, incident)
    if not allowed:
        raise PermissionDenied(reason)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    _not_draft(incident)
    if plan_version is not None:
        checklist.check_version(incident, plan_version)
        plan_name = (plan_name or "").strip() or plan_version.title
        lead_group = lead_group or plan_version.lead_group
    if incident.activated_at:
        raise ValidationError(_("The response was already activated."))
    if incident.status == Status.CLOSED:
        raise ValidationError(_("The incident is closed."))
    if lead_group is None or lead_group.kind != GroupKind.WORKING:
        raise ValidationError({"lead_group": _("Choose a special working group to lead.")})
    if not incident.jurisdiction.path.startswith(lead_group.jurisdiction.path):
        raise ValidationError({"lead_group": _("The lead group must belong to the incident's node or one above it.")})
    if not (plan_name or "").strip():
        raise ValidationError({"plan_name": _("Name the plan being started.")})
    at = _now_or(at)
    _not_future("activated_at", at)
    policy = effective(incident.jurisdiction)
    minutes = policy.get("activation", {}).get("responders_minutes", DEFAULT_RESPONDERS_MINUTES)
    incident.activated_at, incident.activated_by = at, user
    incident.plan_name, incident.plan_text, incident.lead_group = plan_name.strip(), plan_text, lead_group
    incident.plan_version = plan_version
    incident.save()
    log(incident, LogKind.ACTIVATION, _("Response activated: plan %(plan)s, lead group %(group)s")
        % {"plan": incident.plan_name, "group": lead_group}, user=user, at=at)
    members = [m.person for m in lead_group.memberships.select_related("person")]
    notify(incident, members, _("respond to %(incident)s") % {"incident": incident}, by=user, at=at)
    due = at + timedelta(minutes=minutes)
    for person in members:
        if not person.user_id:
            continue
        Responder.objects.create(incident=incident, jurisdiction_id=incident.jurisdiction_id, person=person, due_at=due)
        obligations.open_obligation(
            kind=KIND_RESPONDER_ON_SCENE, title=_("%(number)s %(person)s on scene")
            % {"number": incident.number, "person": person.name},
            jurisdiction=incident.jurisdiction, subject=incident, opens_at=at, due_at=due, responsible_person=person,
            policy_version=policy.version_of("activation"), rule="responders_on_scene",
            key=obligation_key("incident", incident, "responder", person),
        )
    open_clocks(incident)  # clocks counted from activation
    if plan_version is not None:
        checklist.open_tasks(incident, plan_version, at=at, user=user, log=log)
    return incident


@transaction.atomic
def mark_arrival(responder, *, user, at=None):
    responder = Responder.objects.select_for_update().select_related("incident", "person").get(pk=responder.pk)
    incident = responder.incident
    if responder.person.user_id != user.pk and not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("Only the responder or the command may record this arrival."))
    if responder.arrived_at:
        return responder
    at = _now_or(at)
    _not_future("arrived_at", at)
    if at < incident.activated_at:
        raise ValidationError({"arrived_at": _("An arrival cannot be before the activation.")})
    responder.arrived_at = at
    responder.save()
    ob = obligations_of(incident).filter(key=obligation_key("incident", incident, "responder", responder.person_id)).first()
    if ob:
        obligations.meet(ob, at=at, by=_meeting_user(user, incident), evidence=_("arrival on scene"))
    log(incident, LogKind.ARRIVAL, _("%(person)s arrived on scene") % {"person": responder.person.name},
        user=user, at=at)
    return responder


# ---------------------------------------------------------------- command

def headquarters_rule(incident):
    """'always' or 'decide' for the incident's level (preset B); 'decide' when no policy says."""
    return effective(incident.jurisdiction).get("on_scene_headquarters", {}).get(incident.level, "decide")


@transaction.atomic
def hand_over(incident, *, user, from_commander, to_commander, situation, at=None, headquarters=False):

    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not change this incident."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    at = _now_or(at)
    _not_future("at", at)
    if at < incident.received_at:
        raise ValidationError({"at": _("A handover cannot be before the incident was received.")})
    if not (situation or "").strip():
        raise ValidationError({"situation": _("Describe the situation at handover.")})
    headquarters = headquarters or headquarters_rule(incident) == "always"
    handover = Handover.objects.create(
        incident=incident, jurisdiction_id=incident.jurisdiction_id, from_commander=from_commander,
        to_commander=to_commander, at=at, situation=situation, headquarters=headquarters, recorded_by=user)
    incident.phase, incident.commander = Phase.ON_SCENE, to_commander
    incident.headquarters = incident.headquarters or headquarters
    incident.save()
    text = _("Command handed over from %(from)s to %(to)s") % {"from": from_commander, "to": to_commander}
    if headquarters:
        text += " · " + _("on-scene headquarters set up")
    log(incident, LogKind.HANDOVER, text, user=user, at=at)
    return handover


# ---------------------------------------------------------------- log and tasks

def add_log(incident, *, user, kind, text, at=None, **extra):
    if not can_at(user, "incidents", "add", incident.jurisdiction.path):
        raise PermissionDenied(refusal(user, "incidents", incident.jurisdiction.path))
    at = _now_or(at)
    _not_future("at", at)
    return log(incident, kind, text, user=user, at=at, **extra)


@transaction.atomic
def add_task(incident, *, user, title, due_at, group=None, person=None):
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not assign tasks on this incident."))
    task = Task(incident=incident, jurisdiction_id=incident.jurisdiction_id, title=title, due_at=due_at,
                group=group, person=person, created_by=user)
    task.clean()
    if due_at <= timezone.now():
        raise ValidationError({"due_at": _("A task must be due in the future.")})
    task.save()
    obligations.open_obligation(
        kind=KIND_TASK, title=f"{incident.number} {title}", jurisdiction=incident.jurisdiction,
        subject=incident, due_at=due_at, responsible_person=person, key=obligation_key("incident", incident, "task", task),
    )
    log(incident, LogKind.TASK, _("Task: %(title)s → %(who)s") % {"title": title, "who": person or group}, user=user)
    return task


@transaction.atomic
def complete_task(task, *, user, at=None):
    incident = task.incident
    if (task.person is None or task.person.user_id != user.pk) and not can_at(user, "incidents", "add",
                                                                              incident.jurisdiction.path):
        raise PermissionDenied(refusal(user, "incidents", incident.jurisdiction.path))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_at:
        return task
    task.done_at = _now_or(at)
    task.save()
    ob = obligations_of(incident).filter(key=obligation_key("incident", incident, "task", task)).first()
    if ob:
        obligations.meet(ob, at=task.done_at, by=_meeting_user(user, incident), evidence=_("task done"))
    log(incident, LogKind.TASK, _("Task done: %(title)s") % {"title": task.title}, user=user, at=task.done_at)
    return task


# ---------------------------------------------------------------- closure and review

@transaction.atomic
def close(incident, *, user, at=None):
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not close this incident."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Status.CLOSED:
        return incident
    _not_draft(incident)
    if not incident.reports.filter(kind=ReportKind.FINAL).exists():
        raise ValidationError(_("An incident closes only after its final report."))
    incident.status, incident.closed_at = Status.CLOSED, _now_or(at)
    incident.save()
    log(incident, LogKind.CLOSURE, _("Incident closed"), user=user, at=incident.closed_at)
    return incident


@transaction.atomic
def review(incident, *, user, what_happened, what_worked, what_did_not, actions=()):
    """Record the after-action review; each action (text, person, due_at) becomes an obligation."""
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not review this incident."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != Status.CLOSED:
        raise ValidationError(_("Review an incident after it is closed."))
    if Review.objects.filter(incident=incident).exists():
        raise ValidationError(_("This incident already has its review."))
    rev = Review.objects.create(incident=incident, jurisdiction_id=incident.jurisdiction_id,
                                what_happened=what_happened, what_worked=what_worked, what_did_not=what_did_not,
                                reviewed_at=timezone.now(), reviewed_by=user)
    for item in actions:
        if item["due_at"] <= timezone.now():
            raise ValidationError({"actions": _("An action must be due in the future.")})
        action = ReviewAction.objects.create(review=rev, jurisdiction_id=incident.jurisdiction_id, text=item["text"],
                                             person=item.get("person"), due_at=item["due_at"])
        obligations.open_obligation(
            kind=KIND_REVIEW_ACTION, title=f"{incident.number} {action.text}", jurisdiction=incident.jurisdiction,
            subject=incident, due_at=action.due_at, responsible_person=action.person,
            key=obligation_key("incident", incident, "review_action", action),
        )
    return rev


@transaction.atomic
def issue_alert(incident, *, user, msg_type=CapType.ALERT, headline="", description="", instruction=""):
    """Issue an Alert, Update or Cancel; Update and Cancel reference every earlier message."""
    if not can_at(user, "incidents", "change", incident.jurisdiction.path):
        raise PermissionDenied(_("You may not issue alerts for this incident."))
    if msg_type not in CapType.values:
        raise ValidationError({"msg_type": _("Unknown message type.")})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    earlier = list(incident.cap_messages.order_by("sent", "pk"))
    if msg_type != CapType.ALERT and not earlier:
        raise ValidationError({"msg_type": _("An update or cancellation needs an earlier alert.")})
    if earlier and earlier[-1].msg_type == CapType.CANCEL:
        raise ValidationError({"msg_type": _("This alert was cancelled.")})
    sent = timezone.now().replace(microsecond=0)  # CAP times have seconds: the API says the same
    identifier = f"{incident.number}-{len(earlier) + 1}"
    headline = (headline or incident.title)[:160]
    bad = [name for name, text in (("headline", headline), ("description", description), ("instruction", instruction))
           if has_control_characters(text)]
    if bad:
        raise ValidationError({name: _("Remove the control characters (they cannot go into an alert).") for name in bad})
    for message in earlier:
        message.sender = cap.sender_of(incident)
    xml = cap.build_xml(incident, identifier=identifier, msg_type=msg_type, sent=sent, headline=headline,
                    description=description or incident.description, instruction=instruction,
                    references=earlier if msg_type != CapType.ALERT else [])
    message = CapMessage.objects.create(incident=incident, jurisdiction_id=incident.jurisdiction_id,
                                        identifier=identifier, msg_type=msg_type, sent=sent, headline=headline,
                                        xml=xml, issued_by=user)
    log(incident, LogKind.ALERT, _("Public alert issued (%(type)s): %(headline)s")
        % {"type": message.get_msg_type_display(), "headline": headline}, user=user, at=sent)
    return message
