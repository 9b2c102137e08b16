"""The stock ledger (core/stock.py) posting entries one by one and in batches, as ratios to raw SQL
inserts of the same rows in the same run.

    .venv/bin/python bench/ledger.py [--entries 5000] [--batch 1000] [--sqlite]

Starts a throwaway PostgreSQL (or, with `--sqlite`, a SQLite file under var/bench), migrates,
makes a store with ten lots, then measures:

- raw      executemany INSERT of `--entries` rows into the movements table (no balances, no log);
- single   `post()` per entry (each in its own transaction: lock, insert, change log, balance);
- batch    `post_many()` in batches of `--batch` (one lock, one insert, one change-log insert per
           batch): what an imported ledger and the property test use.

Prints rows per second and the ratios single/raw and batch/raw; checks that the balances still
equal the sums of their movements.
"""

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import postgres  # noqa: E402


def main(entries, batch):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from shouwang.core import stock as ledger
    from shouwang.core.choices import NodeLevel, PersonKind
    from shouwang.core.models import Person
    from shouwang.core.services import create_node
    from shouwang.resources.models import Lot, StockMovement, Store, SupplyItem

    call_command("migrate", verbosity=0)
    street = create_node(parent=None, code=f"B{time.time_ns()}", name="街道", level=NodeLevel.STREET)
    keeper = Person.objects.create(jurisdiction=street, name="保管员", kind=PersonKind.STAFF)
    store = Store.objects.create(jurisdiction=street, name=f"储备库{time.time_ns()}", keeper=keeper)
    item = SupplyItem.objects.create(jurisdiction=street, name=f"棉被{time.time_ns()}", category="daily", unit="床")
    lots = [Lot.objects.create(jurisdiction=street, store=store, item=item, lot_number=f"L{i}") for i in range(10)]
    lots = list(Lot.objects.select_related("store", "item").filter(pk__in=[lot.pk for lot in lots]))
    user = get_user_model().objects.create_user(f"bench{time.time_ns()}")
    rng = random.Random(1)

    def entry():
        lot = rng.choice(lots)
        return [ledger.Leg(lot, "in", Decimal(rng.randint(1, 20)), {"store": store, "item": item})]

    # raw: the same number of rows straight into the table
    table = StockMovement._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(street.pk, now, now, lots[i % 10].pk, "in", store.pk, item.pk, "1", now, "1", "", "", "", "", None)
            for i in range(entries)]
    cols = ("jurisdiction_id", "created_at", "updated_at", "lot_id", "kind", "store_id", "item_id", "quantity", "at",
            "balance_after", "description", "reason", "recipient", "cause_id", "recorded_by_id")
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    raw = time.perf_counter() - started
    StockMovement.objects.filter(lot__in=lots).delete()

    started = time.perf_counter()
    for _i in range(entries):
        ledger.post(StockMovement, entry(), by=user)
    single = time.perf_counter() - started

    started = time.perf_counter()
    for start in range(0, entries, batch):
        ledger.post_many(StockMovement, [entry() for _i in range(min(batch, entries - start))], by=user)
    batched = time.perf_counter() - started

    for lot in lots:
        lot.refresh_from_db()
        assert lot.quantity == ledger.balance_of(StockMovement, lot)
    print(f"database: {connection.vendor}; {entries} entries; batches of {batch}")
    for name, seconds in (("raw", raw), ("single", single), ("batch", batched)):
        print(f"  {name:7s} {entries / seconds:10.0f} rows/s")
    print(f"  single/raw {raw / single:.3f}   batch/raw {raw / batched:.3f}   batch/single {single / batched:.1f}×")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    os.environ.setdefault("SHOUWANG_VAR", str(ROOT / "var" / "bench"))
    Path(os.environ["SHOUWANG_VAR"]).mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['SHOUWANG_VAR']}/ledger.sqlite3"
        main(args.entries, args.batch)
    else:
        with postgres() as url:
            os.environ["DATABASE_URL"] = url
            main(args.entries, args.batch)
