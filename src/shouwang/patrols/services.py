"""Patrol writes with side effects: QR tokens, opening windows as obligations, check-ins, sightings."""

import math
import time as _time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shouwang.core import calendar
from shouwang.core.bulk import bulk_insert
from shouwang.core.changelog import record_created
from shouwang.core.geo import distance_m
from shouwang.core.idempotency import TAKEN, KeyTaken, owned, replay
from shouwang.core.ids import as_id
from shouwang.core.models import Person
from shouwang.core.scope import can_at, nodes_where, scope_paths
from shouwang.core.uploads import image_upload
from shouwang.obligations import services as obligations
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import obligation_key
from shouwang.policies.services import effective

from .choices import KIND_CHECKIN, CheckInStatus, Flag, Method, SightingKind
from .models import CheckIn, Checkpoint, Schedule, Sighting, new_secret
from .signals import sighting_reported
from .tokens import make_token, token_checkpoint_id, verify_token
from .windows import is_school_day, required_checkpoints, windows_of

MAX_CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_MAX_SPEED_KMH = 120
DEFAULT_LATE_GRACE_MINUTES = 30  # a check-in this long after a window closed still meets it (late)
LATE_MATCH = timedelta(hours=12)  # windows looked at for a check-in: the grace of a policy is within this


@transaction.atomic
def rotate_token(checkpoint):
    """Give the checkpoint a new secret: every code printed before stops working."""

    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    checkpoint.secret = new_secret()
    checkpoint.token_version += 1
    checkpoint.save(update_fields=["secret", "token_version", "updated_at"])
    return checkpoint


def open_patrol_windows(now=None, days=None):
    """Open one obligation per required checkpoint per window, for today and tomorrow. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    job = days is None  # the periodic job: nothing falls due before a schedule existed
    days = days or [today, today + timedelta(days=1)]
    holidays = calendar.no_school_between(min(days), max(days))
    schedules = (Schedule.objects.filter(active=True)
                 .select_related("jurisdiction", "team", "team__leader", "team__unit", "route")
                 .prefetch_related("route__checkpoints__jurisdiction"))
    opened = 0
    for schedule in schedules:
        policy = effective(schedule.jurisdiction) if schedule.policy_windows else None
        points = required_checkpoints(schedule.route)
        planned = []
        for day in days:
            for window in windows_of(schedule, day, holidays, policy):
                for point in points:
                    planned.append((obligation_key("patrol", schedule, point, window.start), window, point))
        existing = set(Obligation.objects.with_keys(k for k, _w, _p in planned).values_list("key", flat=True))
        for key, window, point in planned:
            # a route set up at noon owes no morning window that day
            if key in existing or (job and window.end <= schedule.created_at <= now):
                continue
            obligations.open_obligation(
                kind=KIND_CHECKIN, key=key, subject=point, jurisdiction=point.jurisdiction,
                title=f"{schedule.route.name} · {point.name} · {window.label} {timezone.localtime(window.start):%m-%d %H:%M}",
                opens_at=window.start, window_start=window.start, due_at=window.end,
                responsible_person=schedule.team.leader, responsible_unit=schedule.team.unit,
                policy_version=window.policy_version, rule=window.rule,
            )
            opened += 1
    return opened


# ---------------------------------------------------------------- check-ins

_POLICY_CACHE: dict = {}
_POLICY_TTL = 60.0


def _coverage(node):
    """The node's `patrol_coverage` section (cached a minute per node)."""
    hit = _POLICY_CACHE.get(node.pk)
    if hit and hit[0] > _time.monotonic():
        return hit[1]
    value = effective(node).get("patrol_coverage") or {}
    _POLICY_CACHE[node.pk] = (_time.monotonic() + _POLICY_TTL, value)
    return value


def max_speed_kmh(node):
    """patrol_coverage.max_speed_kmh of the node's policy, default 120."""
    return _coverage(node).get("max_speed_kmh", DEFAULT_MAX_SPEED_KMH)


def late_grace(node):
    """patrol_coverage.late_grace_minutes: after it a check-in is recorded but the window stays missed."""
    return timedelta(minutes=_coverage(node).get("late_grace_minutes", DEFAULT_LATE_GRACE_MINUTES))


@dataclass
class Result:
    client_uuid: str
    status: str  # created / duplicate / refused
    checkin: object = None
    errors: dict = field(default_factory=dict)
    checkin_id: int | None = None

    def notes(self):
        """What the check-in achieved, for the phone: flags with their figures, no window."""
        notes = [_("flagged: %(why)s; the office will review it") % {"why": text}
                 for text in self.checkin.flag_texts()]
        if self.checkin.obligation_id is None:
            notes.append(_("outside any patrol window: it does not count for one"))
        return notes

    def as_dict(self):
        out = {"client_uuid": self.client_uuid, "status": self.status}
        if self.checkin_id is not None:
            out["id"] = self.checkin_id
        if self.checkin is not None:
            out.update(id=self.checkin.pk, checkin_status=self.checkin.status, flags=self.checkin.flags,
                       window=self.checkin.obligation_id, notes=self.notes())
        if self.errors:
            out["errors"] = self.errors
        return out


def _time_field(value, name, errors):
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if not isinstance(value, datetime) else value
    if parsed is None:
        errors[name] = [_("This is not a date and time.")]
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _number(value, name, errors):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[name] = [_("This is not a number.")]
        return None
    if not math.isfinite(number):
        errors[name] = [_("This is not a number.")]
        return None
    return number


@dataclass
class _Item:
    raw: dict
    client_uuid: str = ""
    errors: dict = field(default_factory=dict)
    checkpoint_id: int | None = None
    token: str = ""
    method: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy: float | None = None
    device_time: datetime | None = None
    member_id: int | None = None
    reason: str = ""
    window_id: int | None = None


def _parse(raw):
    item = _Item(raw=raw if isinstance(raw, dict) else {})
    raw = item.raw
    errors = item.errors
    try:
        item.client_uuid = str(uuid.UUID(str(raw.get("client_uuid"))))
    except (ValueError, TypeError):
        item.client_uuid = str(raw.get("client_uuid") or "")
        errors["client_uuid"] = [_("Every action needs a client id (UUID).")]
    item.token = str(raw.get("token") or "").strip()
    item.method = raw.get("method") or (Method.QR if item.token else Method.GPS)
    if item.method not in Method.values:
        errors["method"] = [_("Unknown check-in method.")]
    cp = raw.get("checkpoint")
    if cp not in (None, ""):
        item.checkpoint_id = as_id(cp)
        if item.checkpoint_id is None:
            errors["checkpoint"] = [_("Unknown checkpoint.")]
    if item.token:
        token_cp = token_checkpoint_id(item.token)
        if token_cp is None:
            errors["token"] = [_("This is not a Shouwang checkpoint code.")]
        elif item.checkpoint_id is not None and token_cp != item.checkpoint_id:
            errors["token"] = [_("This code belongs to another checkpoint.")]
        else:
            item.checkpoint_id = token_cp
    if item.method == Method.QR and not item.token:
        errors["token"] = [_("Scan the checkpoint's code, or type the code under it.")]
    if item.checkpoint_id is None and not errors:
        errors["checkpoint"] = [_("Say which checkpoint.")]
    item.lat = _number(raw.get("lat"), "lat", errors)
    item.lon = _number(raw.get("lon"), "lon", errors)
    item.accuracy = _number(raw.get("accuracy"), "accuracy", errors)
    if item.lat is not None and not -90 <= item.lat <= 90 or item.lon is not None and not -180 <= item.lon <= 180:
        errors["lat"] = [_("The position sent by your phone is not possible. Turn location on and try again.")]
    if (item.lat is None) != (item.lon is None):
        errors["lat"] = [_("The position sent by your phone is incomplete.")]
    if item.method == Method.GPS and item.lat is None and "lat" not in errors:
        errors["lat"] = [_("A GPS check-in needs your position. Turn location on and try again.")]
    item.device_time = _time_field(raw.get("device_time"), "device_time", errors)
    item.reason = str(raw.get("reason") or "").strip()
    if item.method == Method.MANUAL and not item.reason:
        errors["reason"] = [_("An operator's entry needs a reason.")]
    for name, attr in (("member", "member_id"), ("window", "window_id")):
        value = raw.get(name)
        if value not in (None, ""):
            try:
                setattr(item, attr, int(value))
            except (TypeError, ValueError):
                errors[name] = [_("Unknown record.")]
    return item


def record_checkins(user, raw_items, device_now=None, received_at=None):
    """Check-ins from a phone or an operator; one result per item (created / duplicate / refused).

    Sending the same items again gives `duplicate` for each: the client UUID is the key.
    Tamper evidence flags a check-in, it never refuses one.
    """
    received = received_at or timezone.now()
    items = [_parse(raw) for raw in raw_items]
    batch_errors: dict = {}
    device_now = _time_field(device_now, "device_now", batch_errors) if device_now else None
    results: dict[int, Result] = {}
    for i, item in enumerate(items):
        if item.errors:
            results[i] = Result(item.client_uuid, "refused", errors=item.errors)
    # Someone else's key is "taken" whatever else is wrong with the item: no hints about theirs.
    keyed = {items[i].client_uuid: i for i in results if "client_uuid" not in items[i].errors}
    if keyed:
        for key in owned(CheckIn, user, keyed)[1]:
            results[keyed[key]] = Result(key, "refused", errors={"client_uuid": [str(TAKEN)]})

    pending = [i for i in range(len(items)) if i not in results]
    uuids = [items[i].client_uuid for i in pending]
    existing, taken = {}, set()
    if len(uuids) > 1:  # a single item relies on the unique constraint (see _save) and saves a query
        existing, taken = owned(CheckIn, user, uuids)
    seen = set()
    for i in list(pending):
        u = items[i].client_uuid
        if u in taken:  # someone else's key: never answered with their check-in
            results[i] = Result(u, "refused", errors={"client_uuid": [str(TAKEN)]})
            pending.remove(i)
        elif u in existing or u in seen:
            results[i] = Result(u, "duplicate", checkin_id=existing.get(u))
            pending.remove(i)
        seen.add(u)

    # The sender's own person record rides along with the checkpoints (one query fewer per scan).
    own = Person.objects.filter(user_id=user.pk).values("pk")[:1]
    checkpoints = {c.pk: c for c in Checkpoint.objects.select_related("jurisdiction").annotate(
        own_person_id=Subquery(own)).filter(pk__in={items[i].checkpoint_id for i in pending})}
    allowed = None if user.is_superuser else scope_paths(user, "patrols", "add")
    member_ids = {items[i].member_id for i in pending if items[i].member_id}
    members = {}
    if member_ids:
        members = {p.pk: p for p in Person.objects.restrict(user, "view").filter(pk__in=member_ids).select_related("jurisdiction")}

    candidates = []
    verified: dict = {}
    for i in pending:
        item = items[i]
        errors = item.errors
        point = checkpoints.get(item.checkpoint_id)
        if point is None or (allowed is not None and not any(point.jurisdiction.path.startswith(p) for p in allowed)):
            errors["checkpoint"] = [_("This checkpoint is not one of yours (or does not exist).")]
        elif item.token:
            if item.token not in verified:
                verified[item.token] = verify_token(item.token, point)
            reason = verified[item.token]
            if reason:
                errors["token"] = [reason]
        if item.member_id and item.member_id not in members:
            errors["member"] = [_("Unknown member, or outside your area.")]
        if errors:
            results[i] = Result(item.client_uuid, "refused", errors=errors)
            continue
        candidates.append(i)

    # Time: device clock corrected by its offset from the server clock (for queued items).
    skew = None
    if device_now is not None:
        skew = device_now - received
    built = []
    for i in candidates:
        item = items[i]
        point = checkpoints[item.checkpoint_id]
        flags = []
        item_skew = skew if skew is not None else (item.device_time - received if item.device_time else None)
        at = received
        if item.device_time is not None:
            at = item.device_time - (item_skew or timedelta(0))
            at = min(at, received)
        if item_skew is not None and abs(item_skew) > MAX_CLOCK_SKEW:
            flags.append({"code": Flag.CLOCK_SKEW, "minutes": round(item_skew.total_seconds() / 60, 1)})
        dist = None
        if item.lat is not None:
            dist = distance_m(item.lat, item.lon, point.lat, point.lon)
            if dist > point.radius_m + min(item.accuracy or 0, 100):
                flags.append({"code": Flag.OUTSIDE_RADIUS, "metres": round(dist)})
        elif item.method == Method.QR:
            # a code read without a position could be a copy of the code, read anywhere
            flags.append({"code": Flag.NO_POSITION})
        member_id = members[item.member_id].pk if item.member_id else point.own_person_id
        built.append((i, CheckIn(
            jurisdiction=point.jurisdiction, checkpoint=point, member_id=member_id, user=user, method=item.method,
            at=at, device_time=item.device_time, received_at=received, lat=item.lat, lon=item.lon,
            accuracy_m=item.accuracy, distance_m=dist, flags=flags, reason=item.reason, client_uuid=item.client_uuid,
        )))

    _speed_flags(built)
    _match_windows(built, items, results)
    created = _save(user, built, results)
    for i, row in created:
        results[i] = Result(row.client_uuid, "created", checkin=row)
    out = [results[i] for i in range(len(items))]
    return out


def _speed_flags(built):
    by_member: dict = {}
    for _i, row in built:
        if row.member_id:
            by_member.setdefault(row.member_id, []).append(row)
    for member_id, rows in by_member.items():
        rows.sort(key=lambda r: r.at)
        prev = (CheckIn.objects.filter(member_id=member_id, at__lt=rows[0].at, at__gte=rows[0].at - timedelta(hours=12))
                .order_by("-at").values("at", "lat", "lon", "checkpoint__lat", "checkpoint__lon").first())
        limit = max_speed_kmh(rows[0].checkpoint.jurisdiction)
        last = None
        if prev:
            last = (prev["at"], prev["lat"] if prev["lat"] is not None else prev["checkpoint__lat"],
                    prev["lon"] if prev["lon"] is not None else prev["checkpoint__lon"])
        for row in rows:
            here = (row.lat if row.lat is not None else row.checkpoint.lat, row.lon if row.lon is not None else row.checkpoint.lon)
            if last is not None:
                metres = distance_m(last[1], last[2], *here)
                seconds = max((row.at - last[0]).total_seconds(), 1.0)
                kmh = metres / seconds * 3.6
                if metres > 200 and kmh > limit:
                    row.flags.append({"code": Flag.IMPOSSIBLE_SPEED, "kmh": round(kmh)})
            last = (row.at, *here)


def _match_windows(built, items, results):
    if not built:
        return
    first = min(r.at for _i, r in built)
    last = max(r.at for _i, r in built)
    windows = list(Obligation.objects.of_kind(KIND_CHECKIN).for_subjects(Checkpoint, {r.checkpoint_id for _i, r in built})
                   .open_around(first, last, grace=LATE_MATCH)
                   .order_by("due_at").values("pk", "subject_id", "opens_at", "due_at", "met_at", "waived_at"))
    asked = {items[i].window_id for i, _r in built if items[i].window_id}
    known = {w["pk"]: w for w in windows}
    if asked - set(known):
        known.update({w["pk"]: w for w in Obligation.objects.of_kind(KIND_CHECKIN).filter(pk__in=asked - set(known))
                      .values("pk", "subject_id", "opens_at", "due_at", "met_at", "waived_at")})
    for pos, (i, row) in enumerate(list(built)):
        want = items[i].window_id
        if want:
            w = known.get(want)
            if w is None or w["subject_id"] != str(row.checkpoint_id):
                results[i] = Result(row.client_uuid, "refused", errors={"window": [_("This patrol window does not exist.")]})
                built[pos] = (i, None)
                continue
            row.obligation_id = w["pk"]
            row._window_pending = not w["met_at"] and not w["waived_at"]
            continue
        grace = late_grace(row.checkpoint.jurisdiction)
        mine = [w for w in windows if w["subject_id"] == str(row.checkpoint_id) and w["opens_at"] <= row.at]
        inside = [w for w in mine if row.at <= w["due_at"]]
        after = [w for w in mine if w["due_at"] < row.at <= w["due_at"] + grace and not w["met_at"] and not w["waived_at"]]
        chosen = inside[0] if inside else (after[-1] if after else None)
        if chosen:
            row.obligation_id = chosen["pk"]
            if not chosen["met_at"] and not chosen["waived_at"]:
                row._window_pending = True
    built[:] = [(i, r) for i, r in built if r is not None]
    for _i, row in built:
        row.status = CheckInStatus.FLAGGED if row.flags else CheckInStatus.OK
        if row.flags:  # a flagged check-in meets its window only once the office accepts it
            row._window_pending = False


def _save(user, built, results):
    if not built:
        return []
    for attempt in range(2):
        try:
            with transaction.atomic():
                rows = bulk_insert([r for _i, r in built])
                if rows and rows[0].pk is None:  # backends without RETURNING
                    by_uuid = dict(CheckIn.objects.filter(client_uuid__in=[r.client_uuid for r in rows]).values_list("client_uuid", "pk"))
                    for r in rows:
                        r.pk = by_uuid[uuid.UUID(str(r.client_uuid))]
                record_created(rows, user=user)
                _meet(rows, user)
            return built
        except IntegrityError:
            if attempt:
                raise
            # Another request stored some of these a moment ago: those are duplicates now.
            mine, others = owned(CheckIn, user, [r.client_uuid for _i, r in built])
            keep = []
            for i, r in built:
                if str(r.client_uuid) in others:
                    results[i] = Result(str(r.client_uuid), "refused", errors={"client_uuid": [str(TAKEN)]})
                elif str(r.client_uuid) in mine:
                    results[i] = Result(str(r.client_uuid), "duplicate", checkin_id=mine[str(r.client_uuid)])
                else:
                    r.pk = None
                    keep.append((i, r))
            built[:] = keep
            if not built:
                return []
    return built


def _meet(rows, user):
    """Meet each still-pending window with its earliest check-in (meet() locks the row and keeps a first time)."""
    firsts: dict = {}
    for r in rows:
        if r.obligation_id and getattr(r, "_window_pending", False) and (
                r.obligation_id not in firsts or r.at < firsts[r.obligation_id].at):
            firsts[r.obligation_id] = r
    for pk, r in firsts.items():
        try:
            obligations.meet(pk, at=r.at, by=user, evidence=f"check-in {r.pk}")
        except PermissionDenied:
            obligations.meet(pk, at=r.at, by=None, evidence=f"check-in {r.pk}")


@transaction.atomic
def accept_checkin(checkin, *, user, reason):
    """The office accepts a flagged check-in (with a reason): it then meets its window, as of its time."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this check-in is accepted.")})
    if not can_at(user, "obligations", "waive", checkin.jurisdiction.path):
        raise PermissionDenied(_("Only the office may accept a flagged check-in."))
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckInStatus.FLAGGED:
        raise ValidationError(_("Only a flagged check-in needs accepting."))
    checkin.status, checkin.accepted_by, checkin.accepted_at = CheckInStatus.ACCEPTED, user, timezone.now()
    checkin.accept_reason = reason.strip()
    checkin.save(update_fields=["status", "accepted_by", "accepted_at", "accept_reason"])
    if checkin.obligation_id:
        obligations.meet(checkin.obligation_id, at=checkin.at, by=user,
                         evidence=f"check-in {checkin.pk} accepted: {checkin.accept_reason}")
    return checkin


def check_in(user, data, received_at=None):
    """One check-in (a QR scan, a GPS position or an operator's entry). Raises ValidationError if refused."""
    result = record_checkins(user, [data], device_now=data.get("device_now"), received_at=received_at)[0]
    if result.errors.get("client_uuid") == [str(TAKEN)]:
        raise KeyTaken
    if result.status == "refused":
        raise ValidationError(result.errors)
    return result



# ---------------------------------------------------------------- sightings

def report_sighting(user, data, received_at=None):
    """A hazard or incident seen on patrol; the same client UUID twice is one record.

    Returns (sighting, created). The lead will connect sightings to incidents and inspections.
    """
    received = received_at or timezone.now()
    errors: dict = {}
    try:
        client_uuid = uuid.UUID(str(data.get("client_uuid")))
    except (ValueError, TypeError):
        raise ValidationError({"client_uuid": [_("Every action needs a client id (UUID).")]}) from None
    existing = replay(Sighting, user, client_uuid=client_uuid)
    if existing:
        return existing, False
    kind = data.get("kind") or SightingKind.HAZARD
    if kind not in SightingKind.values:
        errors["kind"] = [_("Say whether it is a hazard or an incident.")]
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Say in a few words what you saw.")]
    lat = _number(data.get("lat"), "lat", errors)
    lon = _number(data.get("lon"), "lon", errors)
    if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180 or (lat is None) != (lon is None):
        errors["lat"] = [_("The position sent by your phone is not possible. Turn location on and try again.")]
    device_time = _time_field(data.get("device_time"), "device_time", errors)
    point = None
    node = None
    if data.get("checkpoint") not in (None, ""):
        wanted = as_id(data.get("checkpoint"))
        point = Checkpoint.objects.restrict(user, "view").filter(pk=wanted).select_related("jurisdiction").first() \
            if wanted else None
        if point is None:
            errors["checkpoint"] = [_("This checkpoint is not one of yours (or does not exist).")]
        node = point.jurisdiction if point else None
    if node is None and data.get("jurisdiction") not in (None, ""):
        wanted = as_id(data.get("jurisdiction"))
        node = nodes_where(user, "patrols", "add").filter(pk=wanted).first() if wanted else None
        if node is None:
            errors["jurisdiction"] = [_("This place is outside your area.")]
    if node is None and not errors:
        person = Person.objects.filter(user_id=user.pk).select_related("jurisdiction").first()
        node = person.jurisdiction if person else None
        if node is None:
            node = nodes_where(user, "patrols", "add").order_by("depth", "path").first()
        if node is None:
            errors["jurisdiction"] = [_("This place is outside your area.")]
    try:
        photo = image_upload(data.get("photo"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        photo = None
    if errors:
        raise ValidationError(errors)
    if not user.is_superuser and not any(node.path.startswith(p) for p in scope_paths(user, "patrols", "add")):
        raise ValidationError({"jurisdiction": [_("This place is outside your area.")]})
    sighting = Sighting(jurisdiction=node, kind=kind, text=text, lat=lat, lon=lon, checkpoint=point, reported_by=user,
                        device_time=device_time, received_at=received, client_uuid=client_uuid)
    try:
        with transaction.atomic():
            if photo is not None:
                sighting.photo.save(photo.name, photo, save=False)
            sighting.save()
    except IntegrityError:
        again = replay(Sighting, user, client_uuid=client_uuid)
        if again is None:
            raise
        return again, False
    transaction.on_commit(lambda: sighting_reported.send(sender=Sighting, sighting=sighting))
    return sighting, True


__all__ = [
    "check_in", "is_school_day", "make_token", "open_patrol_windows", "record_checkins", "report_sighting", "rotate_token",
    "verify_token", "windows_of",
]
