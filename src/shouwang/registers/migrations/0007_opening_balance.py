"""Hazardous stock joins the shared ledger (core/stock.py): a stock's quantity equals the sum of
its movements. A stock registered with a quantity gets that quantity as its first movement, an
opening balance; existing stocks get theirs here (the quantity not explained by their movements,
dated when the stock was registered). Nothing is changed or removed: balances stay as they were."""

from decimal import Decimal

from django.db import migrations, models

INBOUND = {"in", "opening"}


def add_openings(apps, schema_editor):
    Stock = apps.get_model("registers", "HazardousStock")
    Movement = apps.get_model("registers", "StockMovement")
    for stock in Stock.objects.all().iterator():
        moved = Decimal("0")
        for kind, quantity in Movement.objects.filter(stock=stock).values_list("kind", "quantity"):
            moved += quantity if kind in INBOUND else -quantity
        opening = stock.quantity - moved
        if opening > 0:
            Movement.objects.create(stock=stock, jurisdiction_id=stock.jurisdiction_id, kind="opening",
                                    quantity=opening, balance_after=opening, at=stock.created_at,
                                    description="登记时数量")


def remove_openings(apps, schema_editor):
    apps.get_model("registers", "StockMovement").objects.filter(kind="opening").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registers", "0006_seed_category_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stockmovement",
            name="kind",
            field=models.CharField(choices=[("opening", "opening balance"), ("in", "in"), ("out", "out"), ("loss", "loss"), ("theft", "theft")], max_length=8, verbose_name="movement"),
        ),
        migrations.RunPython(add_openings, remove_openings),
    ]
