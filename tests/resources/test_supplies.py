"""Supplies through the ledger: receiving, issuing earliest-expiry first, transfers, write-offs and
stock-takes; the bad input of the issue refused with the field and the reason and nothing
written; retries by client id; the reserve standard's shortfalls; expiry buckets with a moved
clock; the expiry reminder and the periodic stock-take as obligations from the policy."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouwang.core.clock import local_datetime
from shouwang.core.idempotency import KeyTaken
from shouwang.core.models import ChangeLogEntry
from shouwang.core.stock import balance_of
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.resources import queries, services
from shouwang.resources.choices import KIND_EXPIRY, KIND_STOCKTAKE, ExpiryBucket
from shouwang.resources.models import Lot, StockMovement

from .conftest import days, q


def _counts():
    return StockMovement.objects.count(), list(Lot.objects.order_by("pk").values_list("quantity", flat=True))


def test_receiving_makes_the_lot_once_and_more_of_it_adds_to_it(org, items, stores):
    store, office = stores["c1"], org.user("office1")
    first = services.receive(store, items["water"], 10, by=office, lot_number="W1", expires_on=days(100))
    again = services.receive(store, items["water"], "2.5", by=office, lot_number="W1", expires_on=days(100))
    other = services.receive(store, items["water"], 4, by=office, lot_number="W2", expires_on=days(100))
    assert first.lot_id == again.lot_id != other.lot_id
    lot = Lot.objects.get(pk=first.lot_id)
    assert lot.quantity == q("12.5") == balance_of(StockMovement, lot)
    assert [m.balance_after for m in StockMovement.objects.filter(lot=lot).order_by("pk")] == [q(10), q("12.5")]
    assert first.jurisdiction_id == org.c1.pk and first.store == store and first.item == items["water"]


def test_issuing_proposes_and_takes_the_earliest_expiring_lots_never_an_expired_one(org, items, stocked):
    store = stocked["store"]
    proposed = services.proposed_lots(store, items["water"])
    assert [lot.lot_number for lot in proposed] == ["W-SOON", "W-LATE"]  # the expired lot is not proposed
    rows = services.issue(store, items["water"], 15, by=org.user("office1"), recipient="一社区安置点")
    assert [(m.lot.lot_number, m.quantity) for m in rows] == [("W-SOON", q(10)), ("W-LATE", q(5))]
    assert len({m.entry for m in rows}) == 1  # written together
    for lot in (stocked["soon"], stocked["late"], stocked["old"]):
        lot.refresh_from_db()
    assert (stocked["soon"].quantity, stocked["late"].quantity, stocked["old"].quantity) == (0, 25, 5)


def test_more_than_the_unexpired_stock_is_refused_on_quantity_and_nothing_is_written(org, items, stocked):
    before = _counts()
    with pytest.raises(ValidationError) as err:
        services.issue(stocked["store"], items["water"], 41, by=org.user("office1"))
    assert err.value.message_dict == {"quantity": ["本仓库未过期的瓶装饮用水仅剩40箱。"]}
    assert _counts() == before


def test_a_movement_that_would_go_below_zero_is_refused_with_the_quantity_left(org, items, stocked):
    before = _counts()
    with pytest.raises(ValidationError) as err:
        services.issue(stocked["store"], items["water"], 11, lot=stocked["soon"], by=org.user("office1"))
    assert err.value.message_dict == {"quantity": ["库存仅剩 10 箱。"]}
    with pytest.raises(ValidationError) as err:
        services.write_off(stocked["soon"], 12, reason="受潮", by=org.user("office1"))
    assert "quantity" in err.value.message_dict
    assert _counts() == before


def test_an_expired_lot_is_issued_only_with_a_reason(org, items, stocked):
    office, store, old = org.user("office1"), stocked["store"], stocked["old"]
    before = _counts()
    with pytest.raises(ValidationError) as err:
        services.issue(store, items["water"], 2, lot=old, by=office)
    assert list(err.value.message_dict) == ["reason"] and old.expires_on.isoformat() in err.value.messages[0]
    assert _counts() == before
    (row,) = services.issue(store, items["water"], 2, lot=old, by=office, reason="清洗设备用，不作饮用")
    assert row.reason == "清洗设备用，不作饮用" and row.lot_id == old.pk


def test_a_transfer_to_the_same_store_is_refused_and_one_elsewhere_moves_both_sides(org, items, stocked, stores):
    office, soon = org.user("office1"), stocked["soon"]
    before = _counts()
    with pytest.raises(ValidationError) as err:
        services.transfer(soon, stocked["store"], 3, by=office)
    assert list(err.value.message_dict) == ["to_store"]
    assert _counts() == before
    out, into = services.transfer(soon, stores["c1b"], 3, by=office)
    assert (out.kind, into.kind, out.entry) == ("transfer_out", "transfer_in", into.entry)
    assert (into.lot.store, into.lot.lot_number, into.lot.expires_on) == (stores["c1b"], "W-SOON", soon.expires_on)
    soon.refresh_from_db()
    assert soon.quantity == 7 and into.lot.quantity == 3


def test_a_transfer_to_a_store_outside_the_users_rights_is_refused(org, items, stocked, stores):
    with pytest.raises(PermissionDenied):
        services.transfer(stocked["soon"], stores["c2"], 3, by=org.user("office1"))
    assert not Lot.objects.filter(store=stores["c2"]).exists()


def test_a_write_off_needs_its_reason(org, stocked):
    with pytest.raises(ValidationError) as err:
        services.write_off(stocked["old"], 5, reason=" ", by=org.user("office1"))
    assert list(err.value.message_dict) == ["reason"]
    row = services.write_off(stocked["old"], 5, reason="过期报废", by=org.user("office1"))
    assert row.kind == "write_off" and row.balance_after == 0


def test_a_client_id_makes_a_retry_the_first_issue_and_someone_elses_is_refused(org, items, stocked):
    key = uuid.uuid4()
    first = services.issue(stocked["store"], items["water"], 12, by=org.user("office1"), client_id=key)
    again = services.issue(stocked["store"], items["water"], 12, by=org.user("office1"), client_id=key)
    assert [m.pk for m in first] == [m.pk for m in again] and all(m.replayed for m in again)
    assert StockMovement.objects.filter(kind="out").count() == 2  # one entry over two lots, once
    with pytest.raises(KeyTaken):
        services.issue(stocked["store"], items["water"], 1, by=org.user("office"), client_id=key)


def test_every_movement_is_in_the_change_log_with_who(org, items, stocked):
    rows = services.issue(stocked["store"], items["blanket"], 5, by=org.user("office1"))
    entry = ChangeLogEntry.objects.get(object_id=str(rows[0].pk), action="create",
                                       content_type__model="stockmovement", content_type__app_label="resources")
    assert entry.user == org.user("office1") and Decimal(entry.after["quantity"]) == 5 and entry.source == "system"
    lot = rows[0].lot
    update = ChangeLogEntry.objects.filter(object_id=str(lot.pk), action="update", content_type__model="lot").order_by("pk").last()
    assert (Decimal(update.before["quantity"]), Decimal(update.after["quantity"])) == (80, 75)


def test_a_stock_take_enters_its_differences_and_meets_the_due_stocktake(org, items, stocked):
    store, office = stocked["store"], org.user("office1")
    pending = Obligation.objects.for_subject(store).filter(kind=KIND_STOCKTAKE).pending().get()
    blanket = Lot.objects.get(store=store, item=items["blanket"])
    take = services.stocktake(store, {blanket: 78, stocked["late"]: 31, stocked["soon"]: 10}, by=office, note="月底")
    assert (take.lots_counted, take.differences) == (3, 2)
    kinds = dict(StockMovement.objects.filter(stocktake=take).values_list("lot__lot_number", "kind"))
    assert kinds == {"B1": "shortage", "W-LATE": "surplus"}
    blanket.refresh_from_db()
    assert blanket.quantity == 78
    pending.refresh_from_db()
    assert pending.met_at is not None
    nxt = Obligation.objects.for_subject(store).filter(kind=KIND_STOCKTAKE).pending().get()
    assert nxt.due_at == local_datetime(timezone.localdate()) + timedelta(days=90)  # preset B's suggestion


def test_the_stock_take_period_follows_the_policy(org, stores, keepers):
    from shouwang.policies.models import Policy
    from shouwang.policies.services import assign, new_version

    policy = Policy.objects.create(code="t", name="季度盘点")
    new_version(policy, {"resources": {"stocktake_days": 30}}, allow_past=True,
                effective_from=timezone.now() - timedelta(days=1))
    assign(org.street, policy)
    services.sync_all()
    ob = Obligation.objects.for_subject(stores["c1"]).filter(kind=KIND_STOCKTAKE).pending().get()
    assert ob.due_at == stores["c1"].created_at + timedelta(days=30) and ob.rule == "resources.stocktake_days"


def test_bad_counts_are_refused_by_lot(org, stocked, stores):
    with pytest.raises(ValidationError) as err:
        services.stocktake(stocked["store"], {stocked["late"]: -1}, by=org.user("office1"))
    assert list(err.value.message_dict) == [f"lot_{stocked['late'].pk}"]
    other = services.receive(stores["c1b"], stocked["late"].item, 1, by=org.user("office1")).lot
    with pytest.raises(ValidationError):
        services.stocktake(stocked["store"], {other: 1}, by=org.user("office1"))


def test_shortfalls_count_only_what_has_not_expired(org, standard, items, stocked, stores):
    rows = {(r.store.name, r.item.code): r for r in queries.standard_rows(stores.values())}
    water = rows[("一社区储备点", "water")]
    assert (water.minimum, water.have) == (q(20), q(40))  # the 5 expired boxes do not count
    assert ("二社区储备点", "blanket") in rows and rows[("二社区储备点", "blanket")].have == 0
    short = {(r.store.name, r.item.code) for r in queries.shortfalls(stores.values())}
    assert short == {("一社区第二储备点", "blanket"), ("一社区第二储备点", "water"), ("二社区储备点", "blanket"),
                     ("二社区储备点", "water")}
    services.issue(stocked["store"], items["water"], 25, by=org.user("office1"))
    assert ("一社区储备点", "water") in {(r.store.name, r.item.code) for r in queries.shortfalls(stores.values())}


# --- expiry ---------------------------------------------------------------------------------------

def test_expiry_buckets_move_with_the_clock_and_count_lots_in_stock_only(org, items, stores):
    store, office = stores["c1"], org.user("office1")
    lot = services.receive(store, items["water"], 6, by=office, lot_number="X", expires_on=days(75)).lot
    empty = services.receive(store, items["water"], 1, by=office, lot_number="E", expires_on=days(10)).lot
    services.issue(store, items["water"], 1, lot=empty, by=office)
    forever = services.receive(store, items["blanket"], 3, by=office).lot
    expected = [(0, "90"), (20, "60"), (46, "30"), (75, "30"), (76, "expired")]
    for shift, bucket in expected:
        with time_machine.travel(timezone.now() + timedelta(days=shift), tick=False):
            today = timezone.localdate()
            assert Lot.objects.with_bucket(today).get(pk=lot.pk).bucket == bucket, shift
            counts = queries.bucket_counts(Lot.objects.filter(store=store), today)
            assert counts[ExpiryBucket(bucket)] == 1 and counts[ExpiryBucket.NONE] == 1
            assert sum(counts.values()) == 2  # the empty lot is in no bucket
    assert Lot.objects.with_bucket().get(pk=forever.pk).bucket == "none"


def test_an_expiring_lot_is_an_obligation_from_the_policy_met_when_it_is_used_up(org, items, stores):
    store, office = stores["c1"], org.user("office1")
    lot = services.receive(store, items["water"], 6, by=office, lot_number="X", expires_on=days(75)).lot
    ob = Obligation.objects.for_subject(lot).filter(kind=KIND_EXPIRY).get()
    assert ob.due_at == local_datetime(days(76)) and ob.opens_at == local_datetime(days(45))
    assert ob.responsible_person == store.keeper and ob.state_at() == State.UPCOMING
    with time_machine.travel(local_datetime(days(50), "10:00"), tick=False):
        assert Obligation.objects.get(pk=ob.pk).state_at() == State.OPEN
        services.issue(store, items["water"], 6, by=office, recipient="社区食堂")
        assert Obligation.objects.get(pk=ob.pk).state_at() == State.MET


def test_an_expired_lot_left_in_stock_is_a_missed_obligation(org, items, stores):
    lot = services.receive(stores["c1"], items["water"], 6, by=org.user("office1"), expires_on=days(3)).lot
    ob = Obligation.objects.for_subject(lot).filter(kind=KIND_EXPIRY).get()
    with time_machine.travel(local_datetime(days(5)), tick=False):
        assert Obligation.objects.get(pk=ob.pk).state_at() == State.MISSED


def test_a_lot_without_expiry_is_no_obligation_and_the_shelf_life_fills_the_date(org, items, stores):
    from shouwang.resources.forms import ReceiveForm

    lot = services.receive(stores["c1"], items["blanket"], 6, by=org.user("office1")).lot
    assert not Obligation.objects.for_subject(lot).exists()
    form = ReceiveForm({"item": items["kit"].pk, "quantity": "3", "received_on": days(-10).isoformat()},
                       store=stores["c1"], user=org.user("office1"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["expires_on"] == days(-10) + timedelta(days=730)


def test_a_quantity_must_be_a_positive_number_with_three_decimals_at_most(org, items, stores):
    for bad in (0, -2, "abc", "1.0005", "NaN", "Infinity"):
        with pytest.raises(ValidationError) as err:
            services.receive(stores["c1"], items["blanket"], bad, by=org.user("office1"))
        assert list(err.value.message_dict) == ["quantity"], bad
    assert not StockMovement.objects.exists()


def test_a_user_without_the_right_at_the_store_writes_nothing(org, items, stores):
    with pytest.raises(PermissionDenied):
        services.receive(stores["c2"], items["blanket"], 3, by=org.user("office1"))
    with pytest.raises(PermissionDenied):
        services.receive(stores["c1"], items["blanket"], 3, by=org.user("viewer"))
    assert not StockMovement.objects.exists()


def test_items_come_from_the_catalogue_of_the_store_or_above(org, stores):
    from shouwang.resources.models import SupplyItem

    theirs = SupplyItem.objects.create(jurisdiction=org.c2, name="二社区专用沙袋", category="rescue", unit="条")
    with pytest.raises(ValidationError) as err:
        services.receive(stores["c1"], theirs, 3, by=org.user("office1"))
    assert list(err.value.message_dict) == ["item"]


def test_quantities_read_plainly(org):
    assert queries.plain(Decimal("10.000")) == "10" and queries.plain(Decimal("2.500")) == "2.5"
