"""Every write of inspections: templates, inspections with their findings and orders, and the
rectification lifecycle (the verifier is never the fixer)."""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shouwang.core import changelog
from shouwang.core.bulk import bulk_insert
from shouwang.core.choices import HolidayKind, NodeLevel, Role
from shouwang.core.idempotency import replay
from shouwang.core.models import Unit
from shouwang.core.scope import can_at, refusal, roles_of
from shouwang.core.uploads import image_upload
from shouwang.obligations import services as obligations
from shouwang.obligations.escalation import office
from shouwang.obligations.models import Obligation
from shouwang.registers.models import KeyPlace

from . import checks, planning, rules, scoring
from .bulletin import bulletin_docx
from .checklists import STANDARD as STANDARD_CHECKLISTS
from .choices import (
    KIND_PLANNED,
    KIND_RECTIFY,
    KIND_VERIFY,
    AnswerType,
    BulletinState,
    Check,
    FindingSource,
    OrderState,
    PlanKind,
    Result,
    Severity,
    VisitMethod,
)
from .models import (
    Answer,
    Bulletin,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    InspectorAssignment,
    Photo,
    RectificationOrder,
    RectificationPlan,
    SupervisionVisit,
    TemplateItem,
    TemplateVersion,
    Verification,
)
from .signals import order_closed, order_opened

AREA = "inspections"


def _require(user, action, node):
    if user is not None and not can_at(user, AREA, action, node.path):
        raise PermissionDenied(refusal(user, AREA, node.path))


# --- Templates --------------------------------------------------------------------------------

ITEM_FIELDS = ("section", "text", "answer_type", "min_value", "max_value", "unit_label", "options",
               "failing_options", "photo_required", "severity", "weight", "guidance")


def _items(version, items):
    made = []
    for order, data in enumerate(items, 1):
        item = TemplateItem(version=version, order=order, **{k: data[k] for k in ITEM_FIELDS if k in data})
        item.jurisdiction_id = version.jurisdiction_id
        try:
            item.full_clean(exclude=["version", "jurisdiction"])
        except ValidationError as exc:
            raise ValidationError({f"items.{order}.{k}": v for k, v in exc.message_dict.items()}) from None
        item.save()
        made.append(item)
    if not made:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    return made


@transaction.atomic
def create_template(*, node, name, category="", description="", items, user=None):
    _require(user, "add", node)
    template = ChecklistTemplate(jurisdiction=node, name=name, category=category, description=description)
    template.full_clean()
    template.save()
    version = TemplateVersion.objects.create(template=template, number=1, jurisdiction=node, created_by=user,
                                             note=_("first version"))
    _items(version, items)
    return template


@transaction.atomic
def revise_template(template, *, items, note="", user=None):
    """New items for a template. A version that an inspection used never changes: a new version
    is made; an unused newest version is edited in place."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _require(user, "change", template.jurisdiction)
    current = template.current
    if current is not None and not current.used:
        current.items.all().delete()
        current.note = note or current.note
        current.save()
        _items(current, items)
        return current
    version = TemplateVersion.objects.create(
        template=template, number=(current.number + 1 if current else 1), jurisdiction=template.jurisdiction,
        created_by=user, note=note,
    )
    _items(version, items)
    return version


def items_of(version):
    return [{k: getattr(i, k) for k in ITEM_FIELDS} for i in version.items.all()]


def template_for(place):
    """The checklist a place is inspected with: its category's, nearest node first."""
    chain = [*place.jurisdiction.ancestors(), place.jurisdiction]
    found = (ChecklistTemplate.objects.filter(active=True, jurisdiction__in=chain, category=place.category)
             .order_by("-jurisdiction__depth", "pk").first())
    return found


# --- Template pages: a template's own fields beside its items ---------------------------------

TEMPLATE_FIELDS = ("name", "category", "description", "active")


@transaction.atomic
def edit_template(template, *, user=None, items=None, note="", **fields):
    """A template's name, category, description and in-use flag, and (unless `items` is None)
    its items through revise_template, only when they differ from the current version's: an
    unchanged list makes no new version. Returns (current version, whether it is new)."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    _require(user, "change", template.jurisdiction)
    changed = {k: v for k, v in fields.items() if k in TEMPLATE_FIELDS and getattr(template, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(template, k, v)
        template.full_clean()
        template.save()
    current = template.current
    if items is None or (current is not None and same_items(items_of(current), items)):
        return current, False
    number = current.number if current is not None else None
    version = revise_template(template, items=items, note=note, user=user)
    return version, version.number != number


def same_items(old, new):
    """Whether two item lists (as items_of gives them, or as a form gathers them) say the same."""

    def norm(item):
        out = {k: item.get(k) for k in ITEM_FIELDS}
        for k in ("min_value", "max_value"):
            out[k] = None if out[k] in (None, "") else float(out[k])
        out["options"], out["failing_options"] = list(out["options"] or []), list(out["failing_options"] or [])
        out["photo_required"] = bool(out["photo_required"])
        out["weight"] = int(out["weight"]) if out["weight"] not in (None, "") else 1
        return out

    return [norm(i) for i in old] == [norm(i) for i in new]


# --- Inspections ------------------------------------------------------------------------------

def _uuid(value, field="client_uuid"):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise ValidationError({field: [_("Every submission needs a client id (UUID).")]}) from None


def _when(value, field, errors, default=None):
    if value in (None, ""):
        return default
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None or timezone.is_naive(parsed):
        errors[field] = [_("Give a time with its zone, like 2026-12-04T09:30:00+08:00.")]
        return default
    return parsed


def _position(data, errors):
    lat, lon = data.get("lat"), data.get("lon")
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        errors["lat"] = [_("The position sent by your phone is not possible. Turn location on and try again.")]
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = [_("The position sent by your phone is not possible. Turn location on and try again.")]
        return None, None
    return lat, lon


def _photo(value, field, errors):
    try:
        return image_upload(value)
    except ValidationError as exc:
        errors[field] = exc.message_dict.get("photo", [_("The photo is not an image.")])
        return None


@transaction.atomic
def record_inspection(user, data, received_at=None):
    """Store an inspection sent from a phone (or a form): answers scored, every failed item at or
    above the threshold a finding with its order, all in one transaction. The same client UUID
    twice is one inspection. Returns (inspection, created).

    `data`: client_uuid, place (id) or unit (id), version (id; the place's template by default),
    answers [{item, value, note, photos: [data URL or file]}], finished_at, started_at, lat, lon,
    present_person, inspector_signature, present_signature (data URLs), remarks, plan (id).
    """
    received = received_at or timezone.now()
    client_uuid = _uuid(data.get("client_uuid"))
    existing = replay(Inspection, user, client_uuid=client_uuid)
    if existing:
        return existing, False
    errors: dict = {}
    place = unit = None
    if data.get("place") not in (None, ""):
        place = KeyPlace.objects.restrict(user, "view").filter(pk=_id(data.get("place"))).select_related(
            "jurisdiction").first()
        if place is None:
            errors["place"] = [_("This key place is not in your area (or does not exist).")]
    elif data.get("unit") not in (None, ""):
        unit = Unit.objects.restrict(user, "view").filter(pk=_id(data.get("unit"))).select_related(
            "jurisdiction").first()
        if unit is None:
            errors["unit"] = [_("This unit is not in your area (or does not exist).")]
    else:
        errors["place"] = [_("Choose the key place or unit inspected.")]
    if errors:
        raise ValidationError(errors)
    node = (place or unit).jurisdiction
    _require(user, "add", node)
    version = None
    if data.get("version") not in (None, ""):
        version = TemplateVersion.objects.filter(pk=_id(data.get("version"))).select_related("template").first()
        if version is None or version.jurisdiction_id not in _chain_ids(node):  # H2: a checklist of this node or above
            errors["version"] = [_("This checklist does not exist.")]
    elif place is not None:
        template = template_for(place)
        version = template.current if template else None
        if version is None:
            errors["version"] = [_("There is no checklist for this kind of place yet. Ask the office to add one.")]
    else:
        errors["version"] = [_("Choose the checklist.")]
    finished = _when(data.get("finished_at"), "finished_at", errors, default=received)
    started = _when(data.get("started_at"), "started_at", errors)
    if finished and finished > received + timedelta(minutes=10):
        errors["finished_at"] = [_("The inspection cannot finish in the future. Check the phone's clock.")]
    lat, lon = _position(data, errors)
    plan_id = _id(data.get("plan"))
    if data.get("plan") not in (None, "") and not _plan_fits(user, plan_id, node):  # H2: no dangling plan id
        errors["plan"] = [_("This inspection plan is not in your area (or does not exist).")]
    signatures = {f: _photo(data.get(f), f, errors) for f in ("inspector_signature", "present_signature")}
    if errors:
        raise ValidationError(errors)
    items = {i.pk: i for i in version.items.all()}
    answers = scoring.check_answers(items, data.get("answers") or [], errors)
    photos = []
    for item_id, answer in answers.items():
        for n, raw in enumerate(answer.pop("photos", []) or [], 1):
            content = _photo(raw, f"answers.{item_id}.photos", errors)
            if content is not None:
                photos.append((item_id, n, content))
        if items[item_id].photo_required and not any(p[0] == item_id for p in photos) \
                and answer["result"] != Result.NA and f"answers.{item_id}.photos" not in errors:
            errors[f"answers.{item_id}.photos"] = [_("This item needs a photo.")]
    if errors:
        raise ValidationError(errors)
    score, max_score = scoring.score(items, answers)
    inspection = Inspection(
        jurisdiction=node, client_uuid=client_uuid, place=place, unit=unit or (place.unit if place else None),
        version=version, plan_id=_id(data.get("plan")) or None, inspector=user, started_at=started,
        finished_at=finished, received_at=received, lat=lat, lon=lon, score=score, max_score=max_score,
        failed_count=sum(1 for a in answers.values() if a["result"] == Result.FAIL),
        present_person=str(data.get("present_person") or "")[:60], remarks=str(data.get("remarks") or ""),
    )
    for field, content in signatures.items():
        if content is not None:
            getattr(inspection, field).save(f"{field}.png", content, save=False)
    try:
        with transaction.atomic():
            inspection.save()
    except IntegrityError:  # the same UUID stored a moment ago by a parallel retry
        return replay(Inspection, user, client_uuid=client_uuid), False
    # In one statement (COPY on PostgreSQL) with their change-log rows: a checklist has 50 items.
    stored = dict(zip(answers, bulk_insert([
        Answer(inspection=inspection, item=items[item_id], jurisdiction=node, **answer)
        for item_id, answer in answers.items()]), strict=True))
    changelog.record_created(stored.values(), user=user)
    for item_id, n, content in photos:
        photo = Photo(client_uuid=uuid.uuid5(client_uuid, f"{item_id}:{n}"), inspection=inspection,
                      answer=stored[item_id], taken_by=user, received_at=received, lat=lat, lon=lon,
                      jurisdiction=node)
        photo.file.save(content.name, content, save=False)
        photo.save()
    policy = rules.rectification(node)
    for item_id, answer in stored.items():
        item = items[item_id]
        if answer.result == Result.FAIL and rules.is_finding(item.severity, policy):
            finding = Finding.objects.create(
                jurisdiction=node, source=FindingSource.INSPECTION, place=place, unit=inspection.unit,
                inspection=inspection, answer=answer, severity=item.severity, found_at=finished, found_by=user,
                description=_finding_text(item, answer),
            )
            open_order(finding, user=user, requirement=answer.note or item.guidance or item.text, rules_=policy,
                       now=received)
    _meet_planned(inspection, user)
    return inspection, True


def _chain_ids(node):
    return {n.pk for n in [*node.ancestors(), node]}


def _plan_fits(user, plan_id, node):
    """A plan of the inspected node or above, or one the user sees."""
    plans = InspectionPlan.objects.filter(pk=plan_id)
    return plan_id is not None and (plans.filter(jurisdiction_id__in=_chain_ids(node)).exists()
                                    or plans.restrict(user, "view").exists())


def _id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _finding_text(item, answer):
    shown = answer.value if item.answer_type != AnswerType.YES_NO else answer.get_result_display()
    text = f"{item.section} · {item.text}：{shown}"
    return f"{text}（{answer.note}）" if answer.note else text


def _meet_planned(inspection, user):
    """The inspection meets the open planned inspections of its place (one per plan)."""
    if inspection.place_id is None:
        return
    for obligation in obligations.for_subject(inspection.place, KIND_PLANNED).pending():
        if obligation.opens_at <= inspection.finished_at:
            obligations.meet(obligation, at=min(inspection.finished_at, timezone.now()), by=None,
                             evidence=_("inspection %(pk)s") % {"pk": inspection.pk})


# --- Findings and orders ----------------------------------------------------------------------

def _next_number(year):
    prefix = f"ZG{year}-"
    last = (RectificationOrder.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:05d}"


def open_order(finding, *, user=None, requirement="", responsible_unit=None, responsible_person=None,
               deadline=None, rules_=None, now=None, tell=True):
    """The order of a finding: responsible unit and person (the place's by default), the deadline
    by severity from policy (or a later one given), an obligation on the person, the office told
    (`tell=False`: a bulk import tells the office once, not per order)."""
    now = now or timezone.now()
    node = finding.jurisdiction
    policy = rules_ or rules.rectification(node)
    place = finding.place
    responsible_unit = responsible_unit or (place.responsible_unit or place.unit if place else finding.unit)
    responsible_person = responsible_person or (place.responsible_person if place else None) or (
        responsible_unit.responsible_person if responsible_unit else None)
    if deadline is None:
        deadline = now + rules.time_to_rectify(finding.severity, policy)
    elif deadline <= now:
        raise ValidationError({"deadline": _("The deadline is in the past. Give a time still to come.")})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = RectificationOrder.objects.create(
                    jurisdiction=node, number=_next_number(timezone.localdate(now).year), finding=finding,
                    responsible_unit=responsible_unit, responsible_person=responsible_person,
                    requirement=requirement or finding.description, deadline=deadline, ordered_by=user,
                    supervised=finding.severity == Severity.MAJOR,
                )
            break
        except IntegrityError:  # a parallel order took the number
            continue
    else:
        raise ValidationError({"number": _("Could not number the order; try again.")})
    _open_rectify(order, now, policy)
    transaction.on_commit(lambda: order_opened.send(sender=RectificationOrder, order=order))
    if tell:
        _tell_office(order, _("Rectification ordered: %(number)s") % {"number": order.number})
    return order


def _open_rectify(order, opens_at, policy=None):
    finding = order.finding
    return obligations.open_obligation(
        kind=KIND_RECTIFY, title=_("Rectify %(number)s: %(text)s") % {"number": order.number,
                                                                     "text": finding.description[:80]},
        jurisdiction=order.jurisdiction, due_at=order.deadline, opens_at=min(opens_at, order.deadline),
        subject=order, responsible_unit=order.responsible_unit, responsible_person=order.responsible_person,
        policy_version=rules.policy_version(order.jurisdiction), rule=f"rectification.{finding.severity}_deadline",
        key=obligations.obligation_key(KIND_RECTIFY, order, order.failed_count),
    )


def _tell_office(order, title):
    def send():
        recipients = office(order.jurisdiction)
        if recipients:
            obligations.send_message(recipients, title=title, body=str(order.finding.description),
                                     url=order.get_absolute_url())
    transaction.on_commit(send)


def _locked(order):
    # of=self: PostgreSQL locks no row of the nullable side of an outer join (the person may be empty)
    return RectificationOrder.objects.select_for_update(of=("self",)).select_related(
        "finding", "jurisdiction", "responsible_person").get(pk=order.pk)


def _is_assignee(order, user):
    return order.responsible_person_id is not None and order.responsible_person.user_id == getattr(user, "pk", None)


def is_assignee(order, user) -> bool:
    """Is `user` the order's responsible person (the fixer)?"""
    return _is_assignee(order, user)


def _may_act(order, user):
    """The order's responsible person (his duty) or someone who may change inspections there."""
    if not (_is_assignee(order, user) or can_at(user, AREA, "change", order.jurisdiction.path)):
        raise PermissionDenied(refusal(user, AREA, order.jurisdiction.path))


SIX = {"goal": _("goal and task"), "method": _("method and measures"), "funds": _("funds and materials"),
       "responsible": _("responsible body and people"), "time_limit": pgettext("inspections", "time limit"),
       "safety_measures": _("safety measures and emergency plan")}


@transaction.atomic
def record_plan(order, *, user, goal="", method="", funds="", responsible="", time_limit=None,
                safety_measures=""):
    """A major hazard's rectification plan: all six elements, or nothing is stored. Its time limit
    becomes the order's deadline."""
    order = _locked(order)
    _may_act(order, user)
    values = {"goal": goal, "method": method, "funds": funds, "responsible": responsible,
              "time_limit": time_limit, "safety_measures": safety_measures}
    errors = {k: [_("A major hazard's plan needs its %(element)s.") % {"element": SIX[k]}]
              for k, v in values.items() if v in (None, "") or (isinstance(v, str) and not v.strip())}
    if time_limit and "time_limit" not in errors and time_limit <= timezone.now():
        errors["time_limit"] = [_("The deadline is in the past. Give a time still to come.")]
    if errors:
        raise ValidationError(errors)
    if not order.is_open:
        raise ValidationError(_("This order is closed."))
    plan, _created = RectificationPlan.objects.update_or_create(
        order=order, defaults={**values, "jurisdiction": order.jurisdiction, "approved_by": user})
    order.deadline = time_limit
    order.save(update_fields=["deadline", "updated_at"])
    for obligation in obligations.for_subject(order, KIND_RECTIFY).pending():
        obligations.reschedule(obligation, due_at=time_limit)
    return plan


@transaction.atomic
def start_work(order, *, user):
    order = _locked(order)
    _may_act(order, user)
    if order.state != OrderState.ORDERED:
        raise ValidationError({"state": _("Only an ordered rectification can be started.")})
    if order.finding.is_major and not hasattr(order, "plan"):
        raise ValidationError({"plan": _("A major hazard needs its rectification plan before work starts.")})
    order.state = OrderState.IN_PROGRESS
    order.save(update_fields=["state", "updated_at"])
    return order


@transaction.atomic
def report_done(order, *, user, text, photos=(), client_uuid=None, at=None):
    """The unit reports the work done, with evidence photos; verification is due within the
    policy's working days, by an inspector who is neither the assignee nor this reporter."""
    at = at or timezone.now()
    order = _locked(order)
    _may_act(order, user)
    errors = {}
    if not (text or "").strip():
        errors["report_text"] = [_("Say what was done.")]
    contents = [c for c in (_photo(p, "photos", errors) for p in photos) if c is not None]
    if not contents and "photos" not in errors:
        errors["photos"] = [_("Add at least one photo of the rectified hazard.")]
    if order.state not in (OrderState.ORDERED, OrderState.IN_PROGRESS):
        errors["state"] = [_("This order is not open for a report.")]
    if order.finding.is_major and not hasattr(order, "plan"):
        errors["plan"] = [_("A major hazard needs its rectification plan before work starts.")]
    if errors:
        raise ValidationError(errors)
    base = client_uuid and _uuid(client_uuid)
    for n, content in enumerate(contents, 1):
        photo = Photo(client_uuid=uuid.uuid5(base, str(n)) if base else uuid.uuid4(), order=order, taken_by=user,
                      received_at=at, jurisdiction=order.jurisdiction, caption=pgettext("inspections", "evidence"))
        photo.file.save(content.name, content, save=False)
        photo.save()
    policy = rules.rectification(order.jurisdiction)
    order.state, order.reported_at, order.reported_by = OrderState.REPORTED, at, user
    order.report_text = text.strip()
    order.verify_by = rules.verify_by(order.jurisdiction, at, policy)
    order.save()
    for obligation in obligations.for_subject(order, KIND_RECTIFY).pending():
        obligations.meet(obligation, at=at, evidence=_("reported done"))
    obligations.open_obligation(
        kind=KIND_VERIFY, title=_("Verify %(number)s: %(text)s") % {"number": order.number,
                                                                   "text": order.finding.description[:80]},
        jurisdiction=order.jurisdiction, due_at=order.verify_by, opens_at=at, subject=order,
        responsible_person=verifier_on_duty(order, user),
        policy_version=rules.policy_version(order.jurisdiction), rule="rectification.verify_working_days",
        key=obligations.obligation_key(KIND_VERIFY, order, order.failed_count),
    )
    return order


def verifier_on_duty(order, reporter=None):
    """Whose verification duty it is (the audit names him when it is late): the inspector
    assigned to the order's community, nearest node up, who is neither the order's assignee nor
    the reporter. None when no such inspector is assigned (any inspector of the area may verify)."""
    chain = [*order.jurisdiction.ancestors(), order.jurisdiction]
    assignments = (InspectorAssignment.objects.filter(jurisdiction__in=chain, inspector__active=True,
                                                      inspector__user__isnull=False)
                   .select_related("inspector").order_by("-jurisdiction__depth", "pk"))
    for assignment in assignments:
        if assignment.inspector.user_id not in (order.assignee_user_id, getattr(reporter, "pk", None)):
            return assignment.inspector
    return None


def verifier_refusal(order, user):
    """Why `user` may not verify `order` (None if he may). The fixer hears that he is the fixer."""
    if _is_assignee(order, user):
        return _("You are responsible for this rectification; another inspector must verify it.")
    if order.reported_by_id == user.pk:
        return _("You reported this rectification done; another inspector must verify it.")
    if Role.INSPECTOR not in roles_of(user) or not can_at(user, AREA, "change", order.jurisdiction.path):
        return _("Only an inspector of this area may verify a rectification.")
    return None


@transaction.atomic
def verify(order, *, user, passed, note="", new_deadline=None, on_site=False, members="", at=None):
    """Verified (closed) or failed (reopened with a new deadline, counted). A major hazard closes
    only through an on-site acceptance with its members."""
    at = at or timezone.now()
    order = _locked(order)
    reason = verifier_refusal(order, user)
    if reason:
        raise PermissionDenied(reason)
    errors = {}
    if order.state != OrderState.REPORTED:
        errors["state"] = [_("Only a rectification reported done can be verified.")]
    if passed and order.finding.is_major and not (on_site and (members or "").strip()):
        errors["acceptance_members"] = [_("A major hazard closes only through an on-site acceptance: "
                                          "name its members.")]
    if not passed:
        if not (note or "").strip():
            errors["note"] = [_("Say what is still wrong.")]
        if new_deadline is None:
            errors["new_deadline"] = [_("Give the new deadline.")]
        elif new_deadline <= at:
            errors["new_deadline"] = [_("The deadline is in the past. Give a time still to come.")]
    if errors:
        raise ValidationError(errors)
    Verification.objects.create(
        jurisdiction=order.jurisdiction, order=order, verifier=user, reporter=order.reported_by,
        assignee_id=order.assignee_user_id, at=at, result=Result.PASS if passed else Result.FAIL,
        note=note, on_site=on_site, acceptance_members=members, new_deadline=None if passed else new_deadline,
    )
    for obligation in obligations.for_subject(order, KIND_VERIFY).pending():
        obligations.meet(obligation, at=at, by=user, evidence=_("verified") if passed else _("failed verification"))
    if passed:
        order.state, order.closed_at = OrderState.CLOSED, at
        order.save(update_fields=["state", "closed_at", "updated_at"])
        transaction.on_commit(lambda: order_closed.send(sender=RectificationOrder, order=order))
        _tell_office(order, _("Rectification closed: %(number)s") % {"number": order.number})
        return order
    order.failed_count += 1
    order.state, order.deadline = OrderState.ORDERED, new_deadline
    order.reported_at = order.reported_by = order.verify_by = None
    order.save()
    _open_rectify(order, at)
    return order


@transaction.atomic
def finding_from_sighting(sighting, *, user, severity, description="", place=None, unit=None, deadline=None):
    """The office triages a patrol's hazard sighting into a finding with its order."""
    node = place.jurisdiction if place else sighting.jurisdiction
    _require(user, "add", node)
    if Finding.objects.filter(sighting=sighting).exists():
        raise ValidationError({"sighting": _("This sighting is already a finding.")})
    if severity not in Severity.values or severity == Severity.NOTE:
        raise ValidationError({"severity": _("Choose how serious the hazard is.")})
    finding = Finding.objects.create(
        jurisdiction=node, source=FindingSource.SIGHTING, sighting=sighting, place=place, unit=unit,
        description=(description or sighting.text).strip(), severity=severity, found_at=sighting.received_at,
        found_by=sighting.reported_by,
    )
    open_order(finding, user=user, deadline=deadline)
    return finding


@transaction.atomic
def finding_from_check(*, node, description, severity, unit=None, place=None, found_at=None, user=None,
                       source=FindingSource.CAMERA_CHECK):
    """A failed routine check kept by another app (a school's daily camera check) as a finding with
    its rectification order, to the unit's responsible person by the policy's deadline. The app
    that keeps the check checks its own rights and links its record to the finding, so that one
    failure opens one order."""
    if severity not in Severity.values or severity == Severity.NOTE:
        raise ValidationError({"severity": _("Choose how serious the hazard is.")})
    finding = Finding.objects.create(
        jurisdiction=node, source=source, place=place, unit=unit, description=description.strip(),
        severity=severity, found_at=found_at or timezone.now(), found_by=user,
    )
    open_order(finding, user=user, responsible_unit=unit)
    return finding


# --- Shipped checklists ------------------------------------------------------------------------

@transaction.atomic
def install_standard_checklists(node, *, user=None):
    """Install the shipped checklists (checklists.STANDARD) on `node`. Idempotent: a template of
    the same name already on the node is left as it is (never duplicated nor overwritten).
    Returns the templates made now."""
    _require(user, "add", node)
    existing = set(ChecklistTemplate.objects.filter(jurisdiction=node).values_list("name", flat=True))
    made = []
    for entry in STANDARD_CHECKLISTS:
        if entry["name"] in existing:
            continue
        made.append(create_template(node=node, name=entry["name"], category=entry["category"],
                                    description=entry["description"], items=entry["items"], user=user))
    return made


# --- Supervision ------------------------------------------------------------------------------
# Inspectors per community, visits with the four checks read against the real data, findings of a
# visit with their orders, and the supervision bulletin (督查通报): numbered per year and node when
# issued, immutable from then on (its document frozen as a stored file).

@transaction.atomic
def assign_inspector(*, node, inspector, since=None, user=None):
    _require(user, "add", node)
    if node.level != NodeLevel.COMMUNITY:
        raise ValidationError({"jurisdiction": _("An inspector covers a community: choose a community.")})
    if InspectorAssignment.objects.filter(jurisdiction=node, inspector=inspector).exists():
        raise ValidationError({"inspector": _("This inspector already covers this community.")})
    assignment = InspectorAssignment(jurisdiction=node, inspector=inspector, since=since or timezone.localdate())
    assignment.full_clean()
    assignment.save()
    return assignment


def _judgement(check, data, errors):
    """The inspector's own verdict on one check: ok (yes/no) and a note, required when not ok."""
    raw = (data or {}).get("ok")
    if isinstance(raw, str):
        raw = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(raw.lower())
    note = ((data or {}).get("note") or "").strip()
    if raw not in (True, False):
        errors[f"{check}_ok"] = [_("Say whether this check is in order.")]
    elif raw is False and not note:
        errors[f"{check}_note"] = [_("Say what is not in order.")]
    return raw, note


def _visit_finding(node, data, n, errors, now):
    """One finding of a visit as given (description, severity, place or unit, deadline), checked."""
    prefix = f"findings.{n}"
    description = (data.get("description") or "").strip()
    severity = data.get("severity") or ""
    place, unit = data.get("place"), data.get("unit")
    if isinstance(place, int | str) and str(place).isdigit():
        place = KeyPlace.objects.filter(pk=int(place)).first()
    if isinstance(unit, int | str) and str(unit).isdigit():
        unit = Unit.objects.filter(pk=int(unit)).first()
    if not description:
        errors[f"{prefix}.description"] = [_("Describe the hazard.")]
    if severity not in Severity.values or severity == Severity.NOTE:
        errors[f"{prefix}.severity"] = [_("Choose how serious the hazard is.")]
    if place is not None and not place.jurisdiction.path.startswith(node.path):
        errors[f"{prefix}.place"] = [_("This key place is not in the visited community.")]
    deadline = data.get("deadline")
    if deadline is not None and deadline <= now:
        errors[f"{prefix}.deadline"] = [_("The deadline is in the past. Give a time still to come.")]
    photos = []
    for photo in data.get("photos") or ():
        content = _photo(photo, f"{prefix}.photos", errors)
        if content is not None:
            photos.append(content)
    return {"description": description, "severity": severity, "place": place, "unit": unit,
            "deadline": deadline, "requirement": (data.get("requirement") or "").strip(), "photos": photos}


@transaction.atomic
def record_visit(user, *, node, visited_on, method, inspectors="", judgements=None, summary="", findings=(),
                 now=None):
    """A supervision visit to a community: each of the four checks holds the facts the system reads
    for that community on that day beside the inspector's judgement; each finding becomes a finding
    (source supervision) with its order, in this transaction. Refused whole, by field, on bad input."""
    now = now or timezone.now()
    _require(user, "add", node)
    errors = {}
    if node.level != NodeLevel.COMMUNITY:
        errors["jurisdiction"] = [_("A supervision visit is to a community: choose a community.")]
    if visited_on is None:
        errors["visited_on"] = [_("Give the day of the visit.")]
    elif visited_on > timezone.localdate(now):
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    if method not in VisitMethod.values:
        errors["method"] = [_("Choose how the visit was made.")]
    if not (inspectors or "").strip():
        errors["inspectors"] = [_("Name the inspectors of the visit.")]
    verdicts = {c: _judgement(c, (judgements or {}).get(c), errors) for c in Check.values}
    given = [_visit_finding(node, f, n, errors, now) for n, f in enumerate(findings, 1)]
    if errors:
        raise ValidationError(errors)
    read = checks.facts(node, visited_on, now)
    visit = SupervisionVisit.objects.create(
        jurisdiction=node, visited_on=visited_on, method=method, inspectors=inspectors.strip(), led_by=user,
        summary=(summary or "").strip(),
        checks={c: {"ok": ok, "note": note, "facts": read[c], "read_at": checks.as_of(visited_on, now).isoformat()}
                for c, (ok, note) in verdicts.items()},
    )
    for n, data in enumerate(given, 1):
        place = data["place"]
        finding = Finding.objects.create(
            jurisdiction=place.jurisdiction if place else node, source=FindingSource.SUPERVISION, visit=visit,
            place=place, unit=data["unit"] or (place.unit if place else None), description=data["description"],
            severity=data["severity"], found_at=now, found_by=user,
        )
        order = open_order(finding, user=user, requirement=data["requirement"], deadline=data["deadline"], now=now)
        for i, content in enumerate(data["photos"], 1):
            photo = Photo(client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"visit:{visit.pk}:{n}:{i}"), order=order,
                          taken_by=user, received_at=now, jurisdiction=order.jurisdiction,
                          caption=_("hazard found"))
            photo.file.save(content.name, content, save=False)
            photo.save()
    return visit


def _bulletin_fields(title, issuer, errors):
    if not (title or "").strip():
        errors["title"] = [_("Give the bulletin a title.")]
    if not (issuer or "").strip():
        errors["issuer"] = [_("Name the issuing office.")]


def _refuse_issued(bulletin):
    if bulletin.state == BulletinState.ISSUED:
        raise ValidationError(_("An issued bulletin cannot be changed."))


def bulletin_node(visit, user):
    """Where a bulletin of this visit is numbered: the street above the community (the office that
    issues it) when the user may write there, else the community itself."""
    for node in [*reversed(list(visit.jurisdiction.ancestors())), visit.jurisdiction]:
        if node.level == NodeLevel.STREET and (user is None or can_at(user, AREA, "add", node.path)):
            return node
    return visit.jurisdiction


@transaction.atomic
def create_bulletin(visit, *, user, title, issuer, body="", distribution="", node=None, now=None):
    """A draft bulletin of a visit; it has its number only when issued."""
    node = node or bulletin_node(visit, user)
    _require(user, "add", node)
    if not visit.jurisdiction.path.startswith(node.path):
        raise ValidationError({"jurisdiction": _("A bulletin is issued by the visited community or a node above it.")})
    errors = {}
    _bulletin_fields(title, issuer, errors)
    if errors:
        raise ValidationError(errors)
    bulletin = Bulletin(jurisdiction=node, visit=visit, title=title.strip(), issuer=issuer.strip(), body=body or "",
                        distribution=distribution or "", year=timezone.localdate(now or timezone.now()).year)
    bulletin.full_clean(exclude=["document"])
    bulletin.save()
    return bulletin


def _locked_bulletin(bulletin):
    return Bulletin.objects.select_for_update().select_related("jurisdiction", "visit").get(pk=bulletin.pk)


@transaction.atomic
def update_bulletin(bulletin, *, user, title, issuer, body="", distribution=""):
    bulletin = _locked_bulletin(bulletin)
    _require(user, "change", bulletin.jurisdiction)
    _refuse_issued(bulletin)
    errors = {}
    _bulletin_fields(title, issuer, errors)
    if errors:
        raise ValidationError(errors)
    bulletin.title, bulletin.issuer = title.strip(), issuer.strip()
    bulletin.body, bulletin.distribution = body or "", distribution or ""
    bulletin.full_clean(exclude=["document"])
    bulletin.save()
    return bulletin


@transaction.atomic
def delete_bulletin(bulletin, *, user):
    bulletin = _locked_bulletin(bulletin)
    _require(user, "delete", bulletin.jurisdiction)
    _refuse_issued(bulletin)
    bulletin.delete()


@transaction.atomic
def issue_bulletin(bulletin, *, user, now=None):
    """Issue a draft: the next free number of the year on its node (〔2026〕N号), the time and the
    issuer recorded, the Word document made once and stored; nothing about it changes afterwards."""
    now = now or timezone.now()
    bulletin = _locked_bulletin(bulletin)
    _require(user, "change", bulletin.jurisdiction)
    _refuse_issued(bulletin)
    year = timezone.localdate(now).year
    for _attempt in range(5):
        last = (Bulletin.objects.filter(jurisdiction=bulletin.jurisdiction, year=year)
                .aggregate(n=Max("sequence"))["n"]) or 0
        try:
            with transaction.atomic():
                Bulletin.objects.filter(pk=bulletin.pk).update(year=year, sequence=last + 1)
            break
        except IntegrityError:  # a parallel issue took the number
            continue
    else:
        raise ValidationError({"sequence": _("Could not number the bulletin; try again.")})
    bulletin.year, bulletin.sequence = year, last + 1
    bulletin.state, bulletin.issued_at, bulletin.issued_by = BulletinState.ISSUED, now, user
    content = bulletin_docx(bulletin)
    bulletin.document.save(f"{year}-{bulletin.sequence:03d}.docx", ContentFile(content), save=False)
    bulletin.save()
    return bulletin


# --- Photos sent apart (API) --------------------------------------------------------------------
# A phone on a weak network may send an inspection first and its photos after it: each photo with
# its own client UUID (the same one again is the same photo; someone else's is a conflict).

@transaction.atomic
def add_photo(user, data, received_at=None):
    """A photo added to an inspection the user made (or may change), optionally on one of its
    answers. Returns (photo, created)."""
    received = received_at or timezone.now()
    client_uuid = _uuid(data.get("client_uuid"))
    existing = replay(Photo, user, client_uuid=client_uuid)
    if existing:
        return existing, False
    errors: dict = {}
    inspection = Inspection.objects.restrict(user, "view").filter(pk=_id(data.get("inspection"))).select_related(
        "jurisdiction").first()
    if inspection is None:
        raise ValidationError({"inspection": [_("This inspection is not in your area (or does not exist).")]})
    if inspection.inspector_id != getattr(user, "pk", None):
        _require(user, "change", inspection.jurisdiction)
    answer = None
    if data.get("answer") not in (None, ""):
        answer = inspection.answers.filter(pk=_id(data.get("answer"))).first()
        if answer is None:
            errors["answer"] = [_("This answer is not of this inspection.")]
    content = _photo(data.get("photo"), "photo", errors)
    if content is None and "photo" not in errors:
        errors["photo"] = [_("Add the photo.")]
    device_time = _when(data.get("device_time"), "device_time", errors)
    lat, lon = _position(data, errors)
    if errors:
        raise ValidationError(errors)
    photo = Photo(client_uuid=client_uuid, inspection=inspection, answer=answer, taken_by=user, received_at=received,
                  device_time=device_time, lat=lat, lon=lon, jurisdiction=inspection.jurisdiction,
                  caption=str(data.get("caption") or "")[:120])
    photo.file.save(content.name, content, save=False)
    try:
        with transaction.atomic():
            photo.save()
    except IntegrityError:  # the same UUID stored a moment ago by a parallel retry
        return replay(Photo, user, client_uuid=client_uuid), False
    return photo, True


# --- Plans ------------------------------------------------------------------------------------
# Routine, pre-holiday and campaign plans; each planned inspection is an obligation on the plan's
# inspector (or the community's assigned inspector) and the place's unit, met by an inspection
# of the place (_meet_planned). When they fall due is computed in planning.py.

PLAN_FIELDS = ("kind", "name", "template", "categories", "holiday", "starts_on", "deadline", "inspector",
               "description")


def _check_plan(plan, places, *, deadline_changed=True, today=None):
    today = today or timezone.localdate()
    errors = {}
    if plan.kind not in PlanKind.values:
        errors["kind"] = [_("Choose the kind of plan.")]
    if plan.deadline and plan.starts_on and plan.deadline < plan.starts_on:
        errors["deadline"] = [_("The deadline is before the plan starts.")]
    if plan.kind == PlanKind.CAMPAIGN:
        if plan.deadline is None:
            errors["deadline"] = [_("A campaign needs its deadline.")]
        elif deadline_changed and plan.deadline < today:
            errors["deadline"] = [_("The deadline is in the past. Give a day still to come.")]
        if not places:
            errors["places"] = [_("A campaign needs the places it inspects.")]
    if plan.kind == PlanKind.PRE_HOLIDAY:
        holiday = plan.holiday
        if holiday is None:
            errors["holiday"] = [_("A pre-holiday inspection needs the holiday it comes before.")]
        elif holiday.kind != HolidayKind.PUBLIC:
            errors["holiday"] = [_("Choose a public holiday (not a school holiday or a sensitive period).")]
        elif not plan.jurisdiction.path.startswith(holiday.jurisdiction.path):
            errors["holiday"] = [_("This holiday is not in the calendar of the plan's node.")]
    outside = [p.name for p in places if not p.jurisdiction.path.startswith(plan.jurisdiction.path)]
    if outside:
        errors["places"] = [_("Not under the plan's node: %(places)s.") % {"places": "、".join(outside)}]
    if errors:
        raise ValidationError(errors)


def _plan_places(places):
    return list(KeyPlace.objects.filter(pk__in=[getattr(p, "pk", p) for p in places or []])
                .select_related("jurisdiction"))


@transaction.atomic
def create_plan(*, node, user=None, places=(), **fields):
    """A plan on `node`: `fields` of PLAN_FIELDS; `places` its key places (a campaign's set, or
    a routine / pre-holiday plan's instead of its categories)."""
    _require(user, "add", node)
    plan = InspectionPlan(jurisdiction=node, **{k: v for k, v in fields.items() if k in PLAN_FIELDS})
    places = _plan_places(places)
    _check_plan(plan, places)
    plan.full_clean(exclude=["places"])
    plan.save()
    plan.places.set(places)
    return plan


@transaction.atomic
def edit_plan(plan, *, user=None, places=None, **fields):
    """Change a plan (and its places); the pending planned inspections of places it no longer
    covers are waived."""
    plan = InspectionPlan.objects.select_for_update().select_related("jurisdiction").get(pk=plan.pk)
    _require(user, "change", plan.jurisdiction)
    old_deadline, old_places = plan.deadline, set(plan.places.values_list("pk", flat=True))
    for key, value in fields.items():
        if key in PLAN_FIELDS or key == "jurisdiction":
            setattr(plan, key, value)
    _require(user, "change", plan.jurisdiction)
    chosen = _plan_places(places) if places is not None else list(plan.places.select_related("jurisdiction"))
    _check_plan(plan, chosen, deadline_changed=plan.deadline != old_deadline)
    plan.full_clean(exclude=["places"])
    plan.save()
    if places is not None:
        plan.places.set(chosen)
    covered = {p.id for p in _covered(plan, chosen)}
    gone = (old_places | _pending_place_ids(plan)) - covered
    for obligation in _plan_obligations(plan, gone):
        if obligation.met_at or obligation.waived_at:
            continue
        obligations.waive(obligation, reason=_("The place is no longer in the plan."), by=None)
    return plan


def _of_plan(plan, qs):
    """The obligations of `qs` that are this plan's (their key starts with the plan's)."""
    prefix = obligations.obligation_key(KIND_PLANNED, plan) + ":"
    return [o for o in qs if o.key and o.key.startswith(prefix)]


def _pending_place_ids(plan):
    qs = Obligation.objects.of_kind(KIND_PLANNED).pending().under(plan.jurisdiction)
    return {int(o.subject_id) for o in _of_plan(plan, qs)}


def _plan_obligations(plan, place_ids):
    """The plan's planned inspections of these places."""
    return _of_plan(plan, Obligation.objects.for_subjects(KeyPlace, place_ids).of_kind(KIND_PLANNED))


def _covered(plan, explicit=None):
    """The key places a plan covers, as planning.Place (the model row as `.row`)."""
    explicit = list(plan.places.select_related("jurisdiction", "unit")) if explicit is None else explicit
    if explicit:
        rows = explicit
    else:
        qs = KeyPlace.objects.filter(jurisdiction__path__startswith=plan.jurisdiction.path)
        if plan.categories:
            qs = qs.filter(category__in=plan.categories)
        rows = list(qs.select_related("jurisdiction", "unit"))
    return [planning.Place(p.pk, p.jurisdiction.path, p.category, p) for p in rows]


def active_plans(today):
    """Plans that may owe an inspection as of `today` (started within the look-ahead, deadline not past)."""
    return (InspectionPlan.objects.filter(starts_on__lte=today + planning.LOOKAHEAD)
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
            .select_related("jurisdiction", "holiday", "inspector"))


def _inspectors():
    """{node path: inspector} of the assignments (the earliest on a node first)."""
    out = {}
    for a in InspectorAssignment.objects.select_related("jurisdiction", "inspector").order_by("since", "pk"):
        out.setdefault(a.jurisdiction.path, a.inspector)
    return out


@transaction.atomic
def open_planned_inspections(now=None):
    """The sweep: for every active plan, open the planned inspections due now (or, pre-holiday
    and campaigns, within the look-ahead) as obligations. Idempotent by key (plan, place, due
    day); a routine place with a pending one gets no second. Returns how many were opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    inspectors = None
    opened = 0
    for plan in active_plans(today):
        covered = _covered(plan)
        if not covered:
            continue
        ids = [c.id for c in covered]
        node_rules = rules.inspections(plan.jurisdiction)
        last = {}
        if plan.kind == PlanKind.ROUTINE:
            last = {row["place"]: timezone.localdate(row["last"]) for row in
                    Inspection.objects.filter(place__in=ids).values("place").annotate(last=Max("finished_at"))}
        dues = planning.due_for(plan.kind, covered, rules=node_rules, starts_on=plan.starts_on, today=today,
                                deadline=plan.deadline, last_inspected=last,
                                holiday_starts=[plan.holiday.starts_on] if plan.holiday else [])
        if not dues:
            continue
        pending = {int(o.subject_id) for o in
                   _of_plan(plan, Obligation.objects.for_subjects(KeyPlace, ids).of_kind(KIND_PLANNED).pending())}
        keys = {d: obligations.obligation_key(KIND_PLANNED, plan, d.place_id, d.due_on) for d in dues}
        existing = set(Obligation.objects.with_keys(keys.values()).values_list("key", flat=True))
        places = {c.id: c.row for c in covered}
        version = rules.policy_version(plan.jurisdiction, "inspections")
        for due, key in keys.items():
            if key in existing or (plan.kind == PlanKind.ROUTINE and due.place_id in pending):
                continue
            place = places[due.place_id]
            if plan.inspector is None and inspectors is None:
                inspectors = _inspectors()
            person = plan.inspector or planning.nearest(place.jurisdiction.path, inspectors)
            obligations.open_obligation(
                kind=KIND_PLANNED, key=key, subject=place, jurisdiction=place.jurisdiction,
                title=_("Inspect %(place)s (%(plan)s), by %(day)s") % {
                    "place": place.name, "plan": plan.name, "day": f"{due.due_on:%m-%d}"},
                opens_at=due.opens_at, due_at=due.due_at, responsible_person=person,
                responsible_unit=place.unit or place.responsible_unit,
                policy_version=version if due.rule else None, rule=due.rule,
            )
            opened += 1
    return opened
