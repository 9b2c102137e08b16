"""The ledger's property (issue 16, done when): over 100 000 random movements — in, out, write-off,
stock-take differences and transfers between stores, many of them more than is left — every
balance stays at or above zero and equals the sum of its movements; each row's balance after is
the one before plus its movement; an entry that would take a balance below zero writes nothing
(a transfer's two legs move together or not at all). The oracle is a plain dictionary of running
balances, independent of the ledger's code. Both ledgers use the one mechanism: resources' lots
and registers' hazardous stock (a shorter run of the same property). Posted in batches, as an
imported ledger is, so the run stays well under a minute."""

import random
import time
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min

from shouwang.core import stock as ledger
from shouwang.core.stock import Leg
from shouwang.registers.models import HazardousStock, KeyPlace
from shouwang.registers.models import StockMovement as HazardMovement
from shouwang.resources.choices import INBOUND
from shouwang.resources.models import Lot, StockMovement

MOVEMENTS = int(__import__("os").environ.get("LEDGER_MOVEMENTS", 100_000))
BATCH = 5_000
KINDS = ["in", "out", "out", "write_off", "surplus", "shortage", "transfer"]


def _quantity(rng):
    """Mostly small, sometimes large (more than a lot holds), to three decimals."""
    whole = rng.choice([rng.randint(0, 20), rng.randint(0, 20), rng.randint(20, 400)])
    return Decimal(whole) + Decimal(rng.randint(0, 999)) / 1000 or Decimal("0.001")


def _check_rows(model, balances, fk):
    """Each balance equals its movements; every row's balance after follows the one before."""
    running = defaultdict(Decimal)
    rows = model.objects.order_by("pk").values_list(fk, "kind", "quantity", "balance_after")
    for balance_id, kind, quantity, after in rows.iterator(chunk_size=10_000):
        running[balance_id] += quantity if kind in model.INBOUND else -quantity
        assert running[balance_id] == after, (balance_id, kind, quantity, after)
    for balance in balances:
        balance.refresh_from_db()
        assert balance.quantity == running[balance.pk] == ledger.balance_of(model, balance)
    assert model.objects.aggregate(low=Min("balance_after"))["low"] >= 0


def test_a_hundred_thousand_random_movements_keep_every_lot_at_or_above_zero(org, items, stores):
    rng = random.Random(16)
    lots = [Lot.objects.create(jurisdiction=s.jurisdiction, store=s, item=item, lot_number=f"L{n}")
            for s in stores.values() for n, item in enumerate(items.values())]
    lots = list(Lot.objects.select_related("store", "item").filter(pk__in=[lot.pk for lot in lots]))
    twin = {}  # a lot's twin in another store: where a transfer of it goes
    for lot in lots:
        twin[lot.pk] = next(other for other in lots if other.item_id == lot.item_id and other.store_id != lot.store_id)
    oracle = defaultdict(Decimal)
    user = org.user("office1")
    stored = refused = transfers = 0
    started, cpu = time.monotonic(), time.process_time()
    for start in range(0, MOVEMENTS, BATCH):
        entries, expected = [], []
        for _i in range(min(BATCH, MOVEMENTS - start)):
            kind, lot, quantity = rng.choice(KINDS), rng.choice(lots), _quantity(rng)
            fields = {"store": lot.store, "item": lot.item}
            if kind == "transfer":
                there = twin[lot.pk]
                entries.append([Leg(lot, "transfer_out", quantity, fields),
                                Leg(there, "transfer_in", quantity, {"store": there.store, "item": there.item})])
                ok = oracle[lot.pk] >= quantity
                if ok:
                    oracle[lot.pk] -= quantity
                    oracle[there.pk] += quantity
                    transfers += 1
            else:
                entries.append([Leg(lot, kind, quantity, fields)])
                ok = kind in INBOUND or oracle[lot.pk] >= quantity
                if ok:
                    oracle[lot.pk] += quantity if kind in INBOUND else -quantity
            expected.append(ok)
        outcomes = ledger.post_many(StockMovement, entries, by=user)
        for outcome, ok in zip(outcomes, expected, strict=True):
            assert outcome.stored == ok, outcome.errors
            if not ok:
                assert list(outcome.errors) == ["quantity"]
        stored += sum(expected)
        refused += len(expected) - sum(expected)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    assert refused > MOVEMENTS // 10 and stored > MOVEMENTS * 6 // 10 and transfers > MOVEMENTS // 30  # both sides, hard
    assert StockMovement.objects.count() == stored + transfers  # a transfer is two rows
    assert StockMovement.objects.filter(kind="transfer_out").count() == transfers == StockMovement.objects.filter(
        kind="transfer_in").count()
    pairs = StockMovement.objects.exclude(entry=None).values_list("entry", "kind")
    by_entry = defaultdict(set)
    for entry, kind in pairs:
        by_entry[entry].add(kind)
    assert len(by_entry) == transfers and all(k == {"transfer_out", "transfer_in"} for k in by_entry.values())
    for lot in lots:
        lot.refresh_from_db()
        assert lot.quantity == oracle[lot.pk]
    _check_rows(StockMovement, lots, "lot_id")
    print(f"\n{MOVEMENTS} movements in {elapsed:.1f}s, {cpu:.1f}s of CPU ({stored} stored, {refused} refused, {transfers} transfers)")


def test_hazardous_stock_keeps_the_same_property_on_the_same_mechanism(org):
    rng = random.Random(6)
    place = KeyPlace.objects.create(jurisdiction=org.c1, name="东湖加油站", kind="unit", category="petroleum")
    stocks = [HazardousStock.objects.create(jurisdiction=org.c1, place=place, substance=f"油品{i}", hazard_class="3",
                                            quantity=Decimal(i * 5), unit_of_measure="吨") for i in range(6)]
    oracle = {s.pk: s.quantity for s in stocks}  # registered with a quantity: the opening balance
    entries, expected = [], []
    for _i in range(10_000):
        stock, kind, quantity = rng.choice(stocks), rng.choice(["in", "out", "loss"]), _quantity(rng)
        entries.append([Leg(stock, kind, quantity, {"description": "随机"})])
        ok = kind == "in" or oracle[stock.pk] >= quantity
        if ok:
            oracle[stock.pk] += quantity if kind == "in" else -quantity
        expected.append(ok)
    for start in range(0, len(entries), BATCH):
        outcomes = ledger.post_many(HazardMovement, entries[start:start + BATCH], by=org.user("office1"))
        assert [o.stored for o in outcomes] == expected[start:start + BATCH]
    assert not all(expected) and any(expected)
    for stock in stocks:
        stock.refresh_from_db()
        assert stock.quantity == oracle[stock.pk]
    _check_rows(HazardMovement, stocks, "stock_id")
