"""Every write of schools: profiles, the school day (gate windows and the camera check as
obligations), gate confirmations, the visitor and vehicle logs with their retention, camera checks
(a failure opens one finding and order through inspections), handovers, and the reads of the
visitor log that are logged."""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shouwang.core import calendar
from shouwang.core.clock import local_datetime
from shouwang.core.geo import distance_m
from shouwang.core.idempotency import replay
from shouwang.core.models import Person
from shouwang.core.scope import can_at, refusal
from shouwang.duty import services as duty_services
from shouwang.inspections import services as inspections
from shouwang.inspections.choices import OrderState, Severity
from shouwang.obligations import services as obligations
from shouwang.obligations.models import Obligation
from shouwang.patrols.windows import is_school_day

from . import access, gate, rules
from .choices import (
    FAILED_RESULTS,
    KIND_CCTV,
    KIND_GATE,
    CameraResult,
    GateKind,
    GateRole,
    IdType,
    ReadChannel,
    VehicleKind,
    VehicleOutcome,
)
from .models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    PupilClass,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)

FUTURE_GRACE = timedelta(minutes=5)  # a phone's clock a little ahead
OLDEST = timedelta(days=7)  # a phone's queue older than this is not believed
# A failed camera's finding: a camera not recording is a serious hazard, a poor image a general one.
SEVERITY_OF = {CameraResult.NOT_RECORDING: Severity.SERIOUS, CameraResult.POOR_IMAGE: Severity.GENERAL}


# --- helpers --------------------------------------------------------------------------------------

def _uuid(value, field="client_uuid"):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise ValidationError({field: [_("Every submission needs a client id (UUID).")]}) from None


def _moment(value, received, field="at"):
    """The time the phone says it happened (its queue may sync later), or the server's."""
    if value in (None, ""):
        return received
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None or timezone.is_naive(moment):
        raise ValidationError({field: [_("Give a time with its zone, like 2026-12-04T09:30:00+08:00.")]})
    if moment > received + FUTURE_GRACE:
        raise ValidationError({field: [_("This time is in the future; check the phone's clock.")]})
    if moment < received - OLDEST:
        raise ValidationError({field: [_("This was kept on the phone for more than a week; enter it at the "
                                         "office.")]})
    return min(moment, received)


def _person(user):
    person = Person.objects.filter(user=user).first() if user is not None else None
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person; ask the office."))
    return person


def _record(model, user, data, key="client_uuid"):
    """(school or the record, client uuid): the record already sent with this key, or None."""
    client_uuid = _uuid(data.get(key))
    return replay(model, user, client_uuid=client_uuid), client_uuid


def _school(value, user, action, area="schools"):
    school = School.objects.select_related("jurisdiction", "unit").filter(pk=_id(value)).first() if _id(value) else None
    if school is None or not School.objects.restrict(user, "view").filter(pk=school.pk).exists():
        raise ValidationError({"school": [_("Choose a school in your area.")]})
    access.require(user, school, action, area)
    return school


def _id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=["jurisdiction", "school", "client_uuid", *exclude])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _staff_users(school):
    people = [*school.security_staff.all(), *school.leaders.all()]
    return list({p.user_id: p.user for p in people if p.user_id}.values())


# --- profiles --------------------------------------------------------------------------------------

@transaction.atomic
def save_school(school, *, user=None, security_staff=None, leaders=None, rosters=None):
    """Create or change a school's profile (its people and rosters with it): the office's."""
    if school.unit_id is None:
        raise ValidationError({"unit": [_("Choose the school or kindergarten.")]})
    school.jurisdiction_id = school.unit.jurisdiction_id
    action = "change" if school.pk else "add"
    if user is not None and not can_at(user, "schools", action, school.unit.jurisdiction.path):
        raise PermissionDenied(refusal(user, "schools", school.unit.jurisdiction.path))
    try:
        school.full_clean(exclude=["jurisdiction"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    school.save()
    for name, values in (("security_staff", security_staff), ("leaders", leaders), ("rosters", rosters)):
        if values is not None:
            getattr(school, name).set(values)
    return school


# --- the school day: gate windows and the camera check ---------------------------------------------

def _gate_key(window):
    return obligations.obligation_key(KIND_GATE, window)


def _cctv_key(school, day):
    return obligations.obligation_key(KIND_CCTV, school, day)


def _leader_on_duty(window):
    found = gate.rostered(window).get(GateRole.LEADER)
    return found[0].person if found else window.school.unit.responsible_person


def _open_window(school, times, day):
    starts_at = local_datetime(day, times.start)
    ends_at = local_datetime(day, times.end)
    window, created = GateWindow.objects.get_or_create(
        school=school, day=day, kind=times.kind,
        defaults={"jurisdiction_id": school.jurisdiction_id, "starts_at": starts_at, "ends_at": ends_at})
    if Obligation.objects.with_keys([_gate_key(window)]).exists():
        return window, False
    obligations.open_obligation(
        kind=KIND_GATE, key=_gate_key(window), subject=window, jurisdiction=school.jurisdiction,
        title=_("Gate at %(kind)s: %(school)s %(start)s–%(end)s") % {
            "kind": window.get_kind_display(), "school": school.unit.name,
            "start": f"{timezone.localtime(window.starts_at):%H:%M}", "end": f"{timezone.localtime(window.ends_at):%H:%M}"},
        opens_at=window.starts_at - gate.EARLY, window_start=window.starts_at, due_at=window.ends_at,
        responsible_unit=school.unit, responsible_person=_leader_on_duty(window), policy_version=times.version,
        rule="schools.gate_window")
    return window, True


def _open_cctv(school, day):
    if not school.cameras.filter(active=True).exists():
        return False
    key = _cctv_key(school, day)
    if Obligation.objects.with_keys([key]).exists():
        return False
    guard = school.security_staff.first()
    obligations.open_obligation(
        kind=KIND_CCTV, key=key, subject=school, jurisdiction=school.jurisdiction,
        title=_("Camera check: %(school)s %(day)s") % {"school": school.unit.name, "day": f"{day:%Y-%m-%d}"},
        opens_at=local_datetime(day), due_at=local_datetime(day + timedelta(days=1)) - timedelta(minutes=1),
        responsible_unit=school.unit, responsible_person=guard or school.unit.responsible_person,
        rule="schools.cctv_daily")
    return True


@transaction.atomic
def open_school_days(now=None, days=2):
    """The job: for each school, today and tomorrow, the gate windows of a school day (weekdays
    that no public or school holiday of core's calendar covers) and the day's camera check, each an
    obligation. Idempotent. Returns how many obligations it opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    dates = [today + timedelta(days=i) for i in range(days)]
    holidays = calendar.no_school_between(dates[0], dates[-1])
    opened = 0
    for school in School.objects.select_related("unit__responsible_person", "jurisdiction", "policy"):
        times = None
        for day in dates:
            opened += _open_cctv(school, day)
            if not is_school_day(day, school.jurisdiction, holidays):
                continue
            times = times if times is not None else rules.gate_times(school)
            for spec in times:
                opened += _open_window(school, spec, day)[1]
    return opened


@transaction.atomic
def open_gate_day(school, day, *, user=None):
    """The office opens a day's gate windows by hand (a make-up school day on a weekend, a school
    event). Returns how many windows it opened."""
    if user is not None and not can_at(user, "schools", "change", school.jurisdiction.path):
        raise PermissionDenied(refusal(user, "schools", school.jurisdiction.path))
    return sum(_open_window(school, spec, day)[1] for spec in rules.gate_times(school))


def open_camera_day(school, day):
    """The day's camera check of a school as an obligation (the job opens it; idempotent)."""
    return _open_cctv(school, day)


# --- gate confirmations -----------------------------------------------------------------------------

@transaction.atomic
def confirm_gate(user, data, received_at=None):
    """One tap at the gate: the person rostered in a role for the window says he is there, with his
    phone's position. When the three roles have confirmed, the window's obligation is met.
    Returns (confirmation, created)."""
    received = received_at or timezone.now()
    found, client_uuid = _record(GateConfirmation, user, data)
    if found is not None:
        return found, False
    person = _person(user)
    window = (GateWindow.objects.select_related("school__unit", "school__jurisdiction")
              .filter(pk=_id(data.get("window"))).first()) if _id(data.get("window")) else None
    visible = window is not None and (GateWindow.objects.restrict(user, "view").filter(pk=window.pk).exists()
                                      or gate.roles_of(window, person))
    if not visible:
        raise ValidationError({"window": [_("Choose a gate window of your school.")]})
    window = GateWindow.objects.select_for_update(of=("self",)).select_related("school__unit", "school__jurisdiction").get(pk=window.pk)
    mine = gate.roles_of(window, person)
    if not mine:
        raise ValidationError({"window": [_("You are not on the gate roster for this window.")]})
    at = _moment(data.get("at") or data.get("device_time"), received)
    if at < window.starts_at - gate.EARLY:
        raise ValidationError({"at": [_("The gate is confirmed from 30 minutes before the window opens.")]})
    if at > window.ends_at:
        raise ValidationError({"at": [_("The window closed at %(end)s; a confirmation after it does not count.")
                                      % {"end": f"{timezone.localtime(window.ends_at):%H:%M}"}]})
    done = set(window.confirmations.values_list("role", flat=True))
    open_roles = [(role, a) for role, a in mine if role not in done]
    if not open_roles:
        raise ValidationError({"window": [_("You have already confirmed this window.")]})
    role, assignment = open_roles[0]
    lat, lon = _position(data)
    unit = window.school.unit
    distance = (round(distance_m(lat, lon, unit.lat, unit.lon)) if None not in (lat, lon, unit.lat, unit.lon)
                else None)
    try:
        with transaction.atomic():
            confirmation = GateConfirmation.objects.create(
                client_uuid=client_uuid, school=window.school, jurisdiction_id=window.jurisdiction_id, window=window,
                role=role, person=person, assignment=assignment, user=user, at=at, received_at=received,
                lat=lat, lon=lon, distance_m=distance)
    except IntegrityError:
        raise ValidationError({"window": [_("This role has already confirmed this window.")]}) from None
    _confirm_duty(assignment, user, at)
    _meet_window(window)
    return confirmation, True


def _confirm_duty(assignment, user, at):
    """The gate confirmation is the duty post's confirmation too (duty's own rules decide)."""
    try:
        with transaction.atomic():
            duty_services.confirm_on_duty(assignment, user=user, now=at)
    except (ValidationError, PermissionDenied):
        pass


def _meet_window(window):
    confirmations = list(window.confirmations.all())
    if gate.missing_roles(window, [c.role for c in confirmations]):
        return None
    for ob in Obligation.objects.with_keys([_gate_key(window)]).pending():
        last = max(c.at for c in confirmations)
        return obligations.meet(ob, at=max(last, ob.opens_at), evidence=_("the three roles confirmed at the gate"))
    return None


def _position(data):
    lat, lon = data.get("lat"), data.get("lon")
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationError({"lat": [_("The position sent by your phone is not possible.")]}) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"lat": [_("The position sent by your phone is not possible.")]})
    return lat, lon


# --- visitors ---------------------------------------------------------------------------------------

def _host(school, value):
    host = Person.objects.filter(pk=_id(value)).first() if _id(value) else None
    if host is None or not (host.unit_id == school.unit_id or school.leaders.filter(pk=host.pk).exists()
                            or school.security_staff.filter(pk=host.pk).exists()):
        raise ValidationError({"host": [_("Choose the host among the school's people.")]})
    return host


@transaction.atomic
def register_visitor(user, data, received_at=None):
    """A visitor in: who, how to reach him, whom he visits and why, the document's last four
    characters. Returns (entry, created); the same client id again is the same entry."""
    received = received_at or timezone.now()
    found, client_uuid = _record(VisitorEntry, user, data)
    if found is not None:
        return found, False
    school = _school(data.get("school"), user, "add", "visitors")
    errors = {}
    try:
        host = _host(school, data.get("host"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        host = None
    entry = VisitorEntry(
        client_uuid=client_uuid, school=school, jurisdiction_id=school.jurisdiction_id,
        name=str(data.get("name") or "").strip(), phone=str(data.get("phone") or "").strip(),
        organisation=str(data.get("organisation") or "").strip(), purpose=str(data.get("purpose") or "").strip(),
        host=host, id_type=data.get("id_type") or IdType.RESIDENT_ID,
        id_last4=str(data.get("id_last4") or "").strip().upper(), badge=str(data.get("badge") or "").strip(),
        entered_at=received, registered_by=user, received_at=received)
    try:
        entry.entered_at = _moment(data.get("entered_at") or data.get("device_time"), received, "entered_at")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _clean(entry, exclude=["host", "registered_by"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    entry.save()
    return entry, True


def _entry(model, user, value, field):
    """A visitor or vehicle named by its id or by the client id it was registered with (a phone
    that registered it offline knows only that)."""
    qs = model.objects.restrict(user, "view")
    found = None
    if _id(value):
        found = qs.filter(pk=_id(value)).first()
    else:
        try:
            found = qs.filter(client_uuid=uuid.UUID(str(value))).first()
        except (ValueError, TypeError):
            found = None
    if found is None:
        raise ValidationError({field: [_("This record is not in your school's log.")]})
    return found


@transaction.atomic
def visitor_leaves(user, data, received_at=None):
    """The visitor out (once: a second tap keeps the first time)."""
    received = received_at or timezone.now()
    entry = _entry(VisitorEntry, user, data.get("visitor"), "visitor")
    access.require(user, entry.school, "change", "visitors")
    entry = VisitorEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.left_at is None:
        at = _moment(data.get("left_at") or data.get("device_time"), received, "left_at")
        if at < entry.entered_at:
            raise ValidationError({"left_at": [_("The visitor cannot leave before he came in.")]})
        entry.left_at = at
        entry.save(update_fields=["left_at", "updated_at"])
    return entry


@transaction.atomic
def host_confirms(user, data, received_at=None):
    """The host confirms, on his phone, that the visitor is his (once)."""
    received = received_at or timezone.now()
    entry = _entry(VisitorEntry, user, data.get("visitor"), "visitor")
    entry = VisitorEntry.objects.select_for_update(of=("self",)).select_related("host").get(pk=entry.pk)
    if entry.host is None or entry.host.user_id != user.pk:
        raise PermissionDenied(_("Only the visitor's host confirms the visit."))
    if entry.host_confirmed_at is None:
        entry.host_confirmed_at = _moment(data.get("at") or data.get("device_time"), received)
        entry.save(update_fields=["host_confirmed_at", "updated_at"])
    return entry


@transaction.atomic
def flag_visitors_inside(now=None):
    """The job: visitors still inside at a school's closing time are flagged once, and the school's
    security staff and leaders are told how many. Returns how many were flagged."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    flagged = 0
    for school in School.objects.select_related("unit"):
        closing = local_datetime(today, school.closing_time)
        if now < closing:
            continue
        rows = list(VisitorEntry.objects.select_for_update().filter(
            school=school, left_at__isnull=True, flagged_at__isnull=True, entered_at__lt=closing))
        for entry in rows:
            entry.flagged_at = now
            entry.save(update_fields=["flagged_at", "updated_at"])
        if rows:
            flagged += len(rows)
            recipients = _staff_users(school)
            if recipients:
                obligations.send_message(
                    recipients, title=_("%(n)s visitors still inside %(school)s at closing time") % {
                        "n": len(rows), "school": school.unit.name},
                    body=_("Check that they have left and record their way out."),
                    url=f"{school.get_absolute_url()}#visitors")
    return flagged


# --- vehicles ---------------------------------------------------------------------------------------

@transaction.atomic
def record_vehicle(user, data, received_at=None):
    """A vehicle at the gate: let in, or refused. An outside vehicle without a registration is
    refused, and the guard records the refusal. Returns (entry, created)."""
    received = received_at or timezone.now()
    found, client_uuid = _record(VehicleEntry, user, data)
    if found is not None:
        return found, False
    school = _school(data.get("school"), user, "add", "visitors")
    errors = {}
    kind = data.get("kind") or ""
    outcome = data.get("outcome") or (VehicleOutcome.REFUSED if kind == VehicleKind.UNREGISTERED
                                      else VehicleOutcome.ADMITTED)
    host = None
    if data.get("host") not in (None, ""):
        try:
            host = _host(school, data.get("host"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    reason = str(data.get("refusal_reason") or "").strip()
    if kind == VehicleKind.UNREGISTERED and outcome != VehicleOutcome.REFUSED:
        errors["outcome"] = [_("An outside vehicle without a registration is refused at the gate; record the "
                               "refusal.")]
    if outcome == VehicleOutcome.REFUSED and not reason:
        reason = _("outside vehicle without a registration") if kind == VehicleKind.UNREGISTERED else ""
        if not reason:
            errors["refusal_reason"] = [_("Say why the vehicle was refused.")]
    entry = VehicleEntry(
        client_uuid=client_uuid, school=school, jurisdiction_id=school.jurisdiction_id,
        plate=str(data.get("plate") or "").strip().upper().replace(" ", ""), driver=str(data.get("driver") or "").strip(),
        kind=kind, purpose=str(data.get("purpose") or "").strip(), host=host, outcome=outcome, refusal_reason=reason,
        at=received, registered_by=user, received_at=received)
    try:
        entry.at = _moment(data.get("at") or data.get("device_time"), received)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if outcome == VehicleOutcome.REFUSED:
        entry.left_at = entry.at  # it never came in
    try:
        _clean(entry, exclude=["host", "registered_by"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    entry.save()
    return entry, True


@transaction.atomic
def vehicle_leaves(user, data, received_at=None):
    received = received_at or timezone.now()
    entry = _entry(VehicleEntry, user, data.get("vehicle"), "vehicle")
    access.require(user, entry.school, "change", "visitors")
    entry = VehicleEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.left_at is None:
        at = _moment(data.get("left_at") or data.get("device_time"), received, "left_at")
        if at < entry.at:
            raise ValidationError({"left_at": [_("The vehicle cannot leave before it came in.")]})
        entry.left_at = at
        entry.save(update_fields=["left_at", "updated_at"])
    return entry


# --- retention and reads of the log -----------------------------------------------------------------

@transaction.atomic
def purge_visitor_logs(now=None):
    """The job: delete each school's visitor and vehicle records older than its policy's retention
    (90 days by default), one by one so that each deletion is in the change log (which keeps no
    personal field of them), and keep a record of the run. Returns how many records it deleted."""
    now = now or timezone.now()
    total = 0
    for school in School.objects.select_related("jurisdiction", "policy", "unit"):
        days = rules.of(school).retention_days
        before = now - timedelta(days=days)
        visitors = list(VisitorEntry.objects.select_for_update().filter(school=school, entered_at__lt=before))
        vehicles = list(VehicleEntry.objects.select_for_update().filter(school=school, at__lt=before))
        for row in (*visitors, *vehicles):
            row.delete()
        if visitors or vehicles:
            Purge.objects.create(school=school, jurisdiction_id=school.jurisdiction_id, at=now, retention_days=days,
                                 before=before, visitors=len(visitors), vehicles=len(vehicles))
            total += len(visitors) + len(vehicles)
    return total


def log_read(user, rows, *, channel, what):
    """Log a read of the visitor or vehicle log: one row per school whose records were shown, with
    how many. Nothing shown, nothing personal read: nothing logged."""
    per_school = {}
    for row in rows:
        per_school.setdefault(row.school_id, [row.jurisdiction_id, 0])[1] += 1
    now = timezone.now()
    reads = [VisitorRead(school_id=school_id, jurisdiction_id=node, reader=user if user.is_authenticated else None,
                         at=now, channel=channel, what=str(what)[:120], rows=n)
             for school_id, (node, n) in per_school.items()]
    for read in reads:
        read.save()
    return reads


# --- camera checks ----------------------------------------------------------------------------------

def _open_fault(camera):
    """The finding of this camera's failure still being rectified (its order not closed), or None."""
    check = (CameraCheck.objects.filter(camera=camera, finding__isnull=False)
             .exclude(finding__order__state=OrderState.CLOSED).select_related("finding").order_by("-day").first())
    return check.finding if check else None


@transaction.atomic
def check_camera(user, data, received_at=None):
    """The day's check of a camera. A failure (image poor, not recording) opens one inspection
    finding with its rectification order to the school; while that order is open, the camera's
    next failures join it (never a second order for the same failure). Returns (check, created)."""
    received = received_at or timezone.now()
    found, client_uuid = _record(CameraCheck, user, data)
    if found is not None:
        return found, False
    camera = Camera.objects.select_related("school__unit__responsible_person", "school__jurisdiction", "spot").filter(
        pk=_id(data.get("camera"))).first() if _id(data.get("camera")) else None
    if camera is None or not Camera.objects.restrict(user, "view").filter(pk=camera.pk).exists():
        raise ValidationError({"camera": [_("Choose a camera of your school.")]})
    school = camera.school
    access.require(user, school, "add")
    result = data.get("result")
    if result not in CameraResult.values:
        raise ValidationError({"result": [_("Say whether the camera works, its image is poor or it does not "
                                            "record.")]})
    at = _moment(data.get("at") or data.get("device_time"), received)
    day = timezone.localdate(at)
    earlier = CameraCheck.objects.filter(camera=camera, day=day).select_related("checked_by__person").first()
    if earlier is not None:
        raise ValidationError({"camera": [_("This camera was checked today at %(time)s.") % {
            "time": f"{timezone.localtime(earlier.checked_at):%H:%M}"}]})
    check = CameraCheck(client_uuid=client_uuid, school=school, jurisdiction_id=school.jurisdiction_id, camera=camera,
                        day=day, result=result, note=str(data.get("note") or "").strip()[:200], checked_at=at,
                        checked_by=user)
    if result in FAILED_RESULTS:
        check.finding = _open_fault(camera) or inspections.finding_from_check(
            node=school.jurisdiction, unit=school.unit, severity=SEVERITY_OF[result], found_at=at, user=user,
            description=_("Camera %(camera)s at %(spot)s, %(school)s: %(result)s. %(note)s") % {
                "camera": camera.name, "spot": camera.spot.name, "school": school.unit.name,
                "result": CameraResult(result).label, "note": check.note})
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        raise ValidationError({"camera": [_("This camera was already checked today.")]}) from None
    _meet_cctv(school, day)
    return check, True


def _meet_cctv(school, day):
    """The day's camera check is met when every camera in use has its check, at the last one."""
    cameras = set(school.cameras.filter(active=True).values_list("pk", flat=True))
    checks = dict(CameraCheck.objects.filter(school=school, day=day).values_list("camera_id", "checked_at"))
    if not cameras or not cameras <= set(checks):
        return None
    for ob in Obligation.objects.with_keys([_cctv_key(school, day)]).pending():
        last = max(checks[pk] for pk in cameras)
        return obligations.meet(ob, at=max(last, ob.opens_at), evidence=_("every camera checked"))
    return None


# --- young pupils' handover -------------------------------------------------------------------------

@transaction.atomic
def confirm_handover(user, data, received_at=None):
    """The class teacher (or a school leader) confirms that the class was handed over at dismissal:
    class and time, no child named. Returns (handover, created)."""
    received = received_at or timezone.now()
    found, client_uuid = _record(Handover, user, data)
    if found is not None:
        return found, False
    pupil_class = PupilClass.objects.select_related("school__jurisdiction", "teacher").filter(
        pk=_id(data.get("pupil_class"))).first() if _id(data.get("pupil_class")) else None
    if pupil_class is None:
        raise ValidationError({"pupil_class": [_("Choose your class.")]})
    school = pupil_class.school
    teacher = pupil_class.teacher is not None and pupil_class.teacher.user_id == user.pk
    if not (teacher or school.leaders.filter(user=user).exists() or access.may(user, school, "change")):
        if not PupilClass.objects.restrict(user, "view").filter(pk=pupil_class.pk).exists():
            raise ValidationError({"pupil_class": [_("Choose your class.")]})
        raise PermissionDenied(_("Only the class teacher or a school leader confirms the handover."))
    at = _moment(data.get("at") or data.get("device_time"), received)
    day = timezone.localdate(at)
    existing = Handover.objects.filter(pupil_class=pupil_class, day=day).first()
    if existing is not None:
        return existing, False
    handover = Handover.objects.create(client_uuid=client_uuid, school=school, jurisdiction_id=school.jurisdiction_id,
                                       pupil_class=pupil_class, day=day, at=at, confirmed_by=user)
    return handover, True


__all__ = [
    "GateKind", "ReadChannel", "check_camera", "confirm_gate", "confirm_handover", "flag_visitors_inside",
    "host_confirms", "log_read", "open_camera_day", "open_gate_day", "open_school_days", "purge_visitor_logs", "record_vehicle", "register_visitor",
    "save_school", "vehicle_leaves", "visitor_leaves",
]
