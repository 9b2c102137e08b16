"""Read assemblies of resources for pages, the API, exports and the readiness summary (no writes)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.choices import TeamKind
from shouwang.core.models import Jurisdiction, Team
from shouwang.obligations.models import Obligation
from shouwang.policies.services import effective

from . import services
from .choices import INBOUND, SHARE_LABELS, CallOutKind, EquipmentState, ExpiryBucket
from .models import (
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointOpening,
    StockMovement,
    Store,
    SupplyItem,
    cause_filter,
)
from .querysets import bucket_of, usable

NO_RESOURCE_RIGHT = gettext_lazy("Your role may not use the resources here.")
BUCKET_ORDER = [ExpiryBucket.EXPIRED, ExpiryBucket.DAYS_30, ExpiryBucket.DAYS_60, ExpiryBucket.DAYS_90,
                ExpiryBucket.LATER, ExpiryBucket.NONE]


def plain(number) -> str:
    """A quantity as people write it: 10, 2.5 (never 10.000)."""
    if number is None:
        return ""
    return format(Decimal(number).normalize(), "f")


# --- stock --------------------------------------------------------------------------------------

def bucket_counts(lots, today=None):
    """{bucket: lots in stock} over `lots`, every bucket present (0 when none)."""
    counts = dict.fromkeys(BUCKET_ORDER, 0)
    for row in lots.in_stock().with_bucket(today).values("bucket").annotate(n=Count("pk")):
        counts[ExpiryBucket(row["bucket"])] = row["n"]
    return counts


def _codes_for(stores):
    """{store id: {code: item}}: the catalogue items with a code on each store's node or above
    (the nearest node's item wins a code named twice)."""
    paths = {s.pk: s.jurisdiction.path for s in stores}
    step = Jurisdiction.steplen
    prefixes = {p[:n] for p in paths.values() for n in range(step, len(p) + 1, step)}
    items = list(SupplyItem.objects.filter(jurisdiction__path__in=prefixes).exclude(code="")
                 .select_related("jurisdiction").order_by("jurisdiction__depth"))
    out = {}
    for store_id, path in paths.items():
        found = {}
        for item in items:  # root first, so nearer nodes overwrite
            if path.startswith(item.jurisdiction.path):
                found[item.code] = item
        out[store_id] = found
    return out


@dataclass
class Shortfall:
    store: object
    item: object
    minimum: Decimal
    have: Decimal

    @property
    def missing(self):
        return self.minimum - self.have


def standard_rows(stores, today=None):
    """For each store, each item of its node's reserve standard: (store, item, minimum, have) with
    `have` the quantity not expired. Items the standard names but the catalogue lacks are left
    out (nothing to count them by)."""
    today = today or timezone.localdate()
    stores = list(stores)
    if not stores:
        return []
    standards, rows = {}, []
    codes = _codes_for(stores)
    have = defaultdict(Decimal)
    for store_id, item_id, total in (Lot.objects.filter(store__in=stores).in_stock().filter(usable(today))
                                     .values_list("store_id", "item_id").annotate(total=Sum("quantity"))):
        have[(store_id, item_id)] = total
    for store in stores:
        node = store.jurisdiction_id
        if node not in standards:
            standards[node] = services.reserve_standard(store.jurisdiction)
        for code, minimum in standards[node].items():
            item = codes[store.pk].get(code)
            if item is not None:
                rows.append(Shortfall(store, item, minimum, have[(store.pk, item.pk)]))
    return rows


def shortfalls(stores, today=None):
    return [row for row in standard_rows(stores, today) if row.have < row.minimum]


@dataclass
class ItemStock:
    item: object
    lots: list = field(default_factory=list)
    total: Decimal = Decimal("0")
    usable: Decimal = Decimal("0")
    minimum: Decimal | None = None

    @property
    def short(self):
        return self.minimum is not None and self.usable < self.minimum


def store_stock(store, today=None):
    """The store's lots in stock by item, by expiry date (expired first), each with its bucket; the
    totals and the reserve standard's minimum per item."""
    today = today or timezone.localdate()
    by_item = {}
    by_date = (F("expires_on").asc(nulls_last=True), "received_on", "pk")  # expired first: they need seeing to
    for lot in Lot.objects.filter(store=store).in_stock().select_related("item").order_by(*by_date):
        lot.bucket = bucket_of(lot.expires_on, today)
        row = by_item.setdefault(lot.item_id, ItemStock(lot.item))
        row.lots.append(lot)
        row.total += lot.quantity
        if lot.bucket != ExpiryBucket.EXPIRED:
            row.usable += lot.quantity
    for standard in standard_rows([store], today):
        row = by_item.setdefault(standard.item.pk, ItemStock(standard.item))
        row.minimum = standard.minimum
    return sorted(by_item.values(), key=lambda r: (r.item.category, r.item.name))


def stock_card(item, store, since=None, until=None):
    """The stock card of an item in a store: every movement in time order with what came in, what
    went out and the balance of the item in the store after it (all lots together); the balance
    before `since` opens it."""
    movements = StockMovement.objects.filter(item=item, store=store).select_related("lot", "recorded_by",
                                                                                   "cause_type")
    opening = Decimal("0")
    if since is not None:
        for kind, quantity in movements.filter(at__lt=since).values_list("kind", "quantity"):
            opening += quantity if kind in INBOUND else -quantity
        movements = movements.filter(at__gte=since)
    if until is not None:
        movements = movements.filter(at__lt=until)
    rows, balance = [], opening
    for m in movements.order_by("at", "pk"):
        inbound = m.kind in INBOUND
        balance += m.quantity if inbound else -m.quantity
        rows.append({"movement": m, "in": m.quantity if inbound else None, "out": None if inbound else m.quantity,
                     "balance": balance})
    return opening, rows


# --- equipment ----------------------------------------------------------------------------------

def equipment_counts(equipment):
    counts = dict.fromkeys(EquipmentState.values, 0)
    for row in equipment.values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


def overdue_issues(issues, now=None):
    now = now or timezone.now()
    return issues.filter(returned_at__isnull=True, due_back_at__lt=now)


# --- the reserve team ---------------------------------------------------------------------------

def reserve_teams(user):
    return Team.objects.restrict(user, "view").filter(kind=TeamKind.RESERVE).select_related("jurisdiction",
                                                                                           "leader")


@dataclass
class Share:
    label: str
    done: int
    of: int
    target: float | None

    @property
    def percent(self):
        return round(100 * self.done / self.of) if self.of else None

    @property
    def title(self):
        return str(SHARE_LABELS.get(self.label, self.label))

    @property
    def target_percent(self):
        return round(100 * self.target) if self.target is not None else None

    @property
    def met(self):
        return self.target is None or (self.of and self.done / self.of >= self.target - 1e-9)


def callout_report(callout):
    """Shares of the members who acknowledged and who arrived within 30 and 60 minutes of the
    call-out, against the policy's targets; each member's minutes."""
    answers = list(callout.answers.select_related("person", "arrival_recorded_by").order_by("person__name", "pk"))
    rules, _version = services.policy(callout.jurisdiction)
    targets = rules["callout_targets"]
    n = len(answers)
    for a in answers:
        a.ack_minutes, a.arrival_minutes = a.minutes("acknowledged_at"), a.minutes("arrived_at")

    def within(attr, limit):
        return sum(1 for a in answers if getattr(a, attr) is not None and getattr(a, attr) <= limit)

    shares = [
        Share("acknowledged_30", within("ack_minutes", 30), n, targets.get("acknowledged_30")),
        Share("acknowledged_60", within("ack_minutes", 60), n, targets.get("acknowledged_60")),
        Share("arrived_30", within("arrival_minutes", 30), n, targets.get("arrived_30")),
        Share("arrived_60", within("arrival_minutes", 60), n, targets.get("arrived_60")),
    ]
    return {"answers": answers, "shares": shares, "members": n,
            "acknowledged": sum(1 for a in answers if a.acknowledged_at),
            "arrived": sum(1 for a in answers if a.arrived_at)}


def return_duty(issue):
    """The obligation to return issued equipment (on the incident it was used for, or on the issue)."""
    return Obligation.objects.with_keys([services.return_key(issue)])


def assembly_duties(callout):
    """The members' obligations to reach the assembly point after a call-out for an incident."""
    return Obligation.objects.with_keys([services.assemble_key(callout, a.person_id)
                                         for a in callout.answers.only("person_id")])


def last_test(team):
    return CallOut.objects.filter(team=team, kind=CallOutKind.TEST).order_by("-sent_at", "-pk").first()


def pending_answers(user):
    """The call-outs this user is called by and has not acknowledged (open ones)."""
    return (CallOutAnswer.objects.filter(person__user=user, acknowledged_at__isnull=True,
                                         callout__closed_at__isnull=True)
            .select_related("callout__team").order_by("-callout__sent_at"))


# --- points -------------------------------------------------------------------------------------

def open_openings(points):
    return (PointOpening.objects.filter(point__in=points, closed_at__isnull=True)
            .select_related("point__jurisdiction").order_by("opened_at", "pk"))


def point_marker(point, opening=None):
    """A point for a map: where, what, whether available or open and how full."""
    return {"id": point.pk, "name": point.name, "kind": point.get_kind_display(), "lat": point.lat, "lon": point.lon,
            "capacity": point.capacity, "available": point.available, "url": point.get_absolute_url(),
            "open": opening is not None, "occupancy": opening.occupancy if opening else None}


def points_with_vehicles(points):
    return (points.annotate(vehicle_count=Sum("vehicles__count")).select_related("responsible", "jurisdiction")
            .order_by("kind", "name", "pk"))


# --- what a record (an incident) used -----------------------------------------------------------

def used_for(record):
    """The supplies issued, equipment dispatched, call-outs and points opened for `record`."""
    return {
        "movements": list(StockMovement.objects.filter(**cause_filter(record)).select_related("item", "store", "lot")
                          .order_by("at", "pk")),
        "issues": list(EquipmentIssue.objects.filter(**cause_filter(record))
                       .select_related("equipment", "person", "team").order_by("issued_at", "pk")),
        "callouts": [(c, callout_report(c)) for c in CallOut.objects.filter(**cause_filter(record))
                     .select_related("team", "jurisdiction").order_by("sent_at", "pk")],
        "openings": list(PointOpening.objects.filter(**cause_filter(record)).select_related("point")
                         .order_by("opened_at", "pk")),
    }


# --- readiness of a node ------------------------------------------------------------------------

@dataclass
class Readiness:
    node: object
    today: object
    stores: list = field(default_factory=list)
    buckets: dict = field(default_factory=dict)
    shortfalls: list = field(default_factory=list)
    expiring: list = field(default_factory=list)
    equipment: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)
    teams: list = field(default_factory=list)
    points: list = field(default_factory=list)


def readiness(node, user, today=None):
    """What the node and its subtree hold ready: stores and their stock against the reserve
    standard, lots near expiry, equipment and what is overdue, the reserve teams with their last
    call-out test, the points (available or not, capacity, vehicles)."""
    today = today or timezone.localdate()
    sub = Q(jurisdiction__path__startswith=node.path)
    stores = list(Store.objects.restrict(user, "view").filter(sub).select_related("keeper", "jurisdiction"))
    lots = Lot.objects.restrict(user, "view").filter(sub)
    report = Readiness(node=node, today=today, stores=stores)
    report.buckets = bucket_counts(lots, today)
    report.shortfalls = shortfalls(stores, today)
    report.expiring = [lot for lot in lots.expiring(90, today).select_related("item", "store").order_by("expires_on")]
    for lot in report.expiring:
        lot.bucket = bucket_of(lot.expires_on, today)
    equipment = Equipment.objects.restrict(user, "view").filter(sub)
    report.equipment = equipment_counts(equipment)
    report.overdue = list(overdue_issues(EquipmentIssue.objects.restrict(user, "view").filter(sub))
                          .select_related("equipment", "person", "team").order_by("due_back_at"))
    for team in reserve_teams(user).filter(jurisdiction__path__startswith=node.path):
        test = last_test(team)
        size = effective(team.jurisdiction).get("reserve_team_size")
        report.teams.append({"team": team, "members": team.members.filter(active=True).count(), "size": size,
                             "point": getattr(team, "assembly_point", None), "test": test,
                             "report": callout_report(test) if test else None})
    report.points = list(points_with_vehicles(EvacuationPoint.objects.restrict(user, "view").filter(sub)))
    return report


# --- what a use of resources says in an activity log -------------------------------------------

def words_for_supplies(movements):
    """“Issued 棉被 20 床 from 望川街道应急物资储备库 (lot 2024-11)”."""
    first = movements[0]
    total = sum((m.quantity for m in movements), Decimal("0"))
    lots = "、".join(m.lot.lot_number for m in movements if m.lot.lot_number)
    text = _("Issued %(quantity)s %(unit)s of %(item)s from %(store)s") % {
        "quantity": plain(total), "unit": first.item.unit, "item": first.item.name, "store": first.store.name}
    return text + (f" ({lots})" if lots else "") + (f" → {first.recipient}" if first.recipient else "")


def words_for_equipment(issues):
    """“Dispatched 对讲机 R-1、对讲机 R-2 to 冯春生, due back 12-08 18:00”: one line for one dispatch."""
    first = issues[0]
    return _("Dispatched %(equipment)s to %(holder)s, due back %(due)s") % {
        "equipment": "、".join(str(i.equipment) for i in issues), "holder": first.holder,
        "due": timezone.localtime(first.due_back_at).strftime("%m-%d %H:%M")}


def words_for_callout(callout):
    return _("Called out %(team)s (%(n)s members) to assemble at %(where)s") % {
        "team": callout.team.name, "n": callout.answers.count(), "where": callout.assembly}


def words_for_opening(opening):
    return _("Opened %(point)s") % {"point": opening.point.name}
