"""Hazardous stock on the shared ledger (core/stock.py): a stock registered with a quantity starts
its ledger with that opening balance, so its quantity always equals the sum of its movements; the
migration gives existing stocks theirs without changing a balance."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from shouwang.core.stock import balance_of
from shouwang.registers import services
from shouwang.registers.models import HazardousStock, KeyPlace, StockMovement


def _stock(node, quantity):
    place = KeyPlace.objects.get_or_create(jurisdiction=node, name="东湖加油站", kind="unit", category="petroleum")[0]
    return HazardousStock.objects.create(jurisdiction=node, place=place, substance="92号汽油", hazard_class="3",
                                         quantity=quantity, unit_of_measure="吨")


def test_a_stock_registered_with_a_quantity_opens_its_ledger_with_it(org):
    stock = _stock(org.c1, Decimal("12"))
    opening = StockMovement.objects.get(stock=stock)
    assert (opening.kind, opening.quantity, opening.balance_after) == ("opening", Decimal("12"), Decimal("12"))
    services.record_movement(stock, kind="out", quantity=5, description="当日销售")
    stock.refresh_from_db()
    assert stock.quantity == balance_of(StockMovement, stock) == Decimal("7")
    empty = _stock(org.c2, Decimal("0"))
    assert not StockMovement.objects.filter(stock=empty).exists()


def test_the_opening_is_not_a_movement_anyone_records(org):
    from django.core.exceptions import ValidationError

    stock = _stock(org.c1, Decimal("1"))
    with pytest.raises(ValidationError) as err:
        services.record_movement(stock, kind="opening", quantity=3)
    assert "kind" in err.value.message_dict
    assert StockMovement.objects.filter(stock=stock).count() == 1


def test_a_refused_movement_names_the_quantity_left_in_the_stocks_unit(org):
    from django.core.exceptions import ValidationError

    stock = _stock(org.c1, Decimal("2.5"))
    with pytest.raises(ValidationError) as err:
        services.record_movement(stock, kind="out", quantity=3)
    assert err.value.message_dict["quantity"] == ["库存仅剩 2.5 吨。"]
    assert StockMovement.objects.filter(stock=stock).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_stocks_their_opening_and_changes_no_balance(org):
    executor = MigrationExecutor(connection)
    before = [("registers", "0006_seed_category_words")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Place, Stock, Movement = (old.get_model("registers", n) for n in ("KeyPlace", "HazardousStock", "StockMovement"))
    place = Place.objects.create(jurisdiction_id=org.c1.pk, name="东湖加油站", kind="unit", category="petroleum",
                                 review_period_days=30)
    now = timezone.now()
    # registered with 20, then 6 out (balance 14) and 3 in (balance 17): the opening is 20
    moved = Stock.objects.create(jurisdiction_id=org.c1.pk, place=place, substance="92号汽油", hazard_class="3",
                                 quantity=Decimal("17"), unit_of_measure="吨")
    Movement.objects.create(jurisdiction_id=org.c1.pk, stock=moved, kind="out", quantity=6, balance_after=14, at=now)
    Movement.objects.create(jurisdiction_id=org.c1.pk, stock=moved, kind="in", quantity=3, balance_after=17, at=now)
    # registered empty, filled by movements only: no opening
    filled = Stock.objects.create(jurisdiction_id=org.c1.pk, place=place, substance="柴油", hazard_class="3",
                                  quantity=Decimal("4"), unit_of_measure="吨")
    Movement.objects.create(jurisdiction_id=org.c1.pk, stock=filled, kind="in", quantity=4, balance_after=4, at=now)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved, filled = HazardousStock.objects.get(pk=moved.pk), HazardousStock.objects.get(pk=filled.pk)
    assert (moved.quantity, filled.quantity) == (Decimal("17"), Decimal("4"))
    opening = StockMovement.objects.get(stock=moved, kind="opening")
    assert (opening.quantity, opening.balance_after) == (Decimal("20"), Decimal("20"))
    assert not StockMovement.objects.filter(stock=filled, kind="opening").exists()
    assert balance_of(StockMovement, moved) == moved.quantity and balance_of(StockMovement, filled) == filled.quantity
