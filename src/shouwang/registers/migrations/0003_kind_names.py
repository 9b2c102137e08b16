"""Obligation kinds are named "<app>.<name>" (KIND_* in choices.py): rename the stored ones,
and the natural keys that begin with them."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

RENAMES = {
    "register.review": "registers.review",
    "register.defence_check": "registers.defence_check",
    "register.stock_check": "registers.stock_check",
}


def forwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    for old, new in RENAMES.items():
        Obligation.objects.filter(kind=old).update(kind=new)
        # the registers' natural keys begin with their kind
        Obligation.objects.filter(kind=new, key__startswith=old + ":").update(
            key=Concat(Value(new), Substr("key", len(old) + 1)))


def backwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    for old, new in RENAMES.items():
        Obligation.objects.filter(kind=new).update(kind=old)
        Obligation.objects.filter(kind=old, key__startswith=new + ":").update(
            key=Concat(Value(old), Substr("key", len(new) + 1)))


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0002_registers_full"),
        ("obligations", "0004_delivery_retries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
