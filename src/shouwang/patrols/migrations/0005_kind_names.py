"""Obligation kinds are named "<app>.<name>" (KIND_* in choices.py): rename the stored ones."""

from django.db import migrations

RENAMES = {"patrol.checkin": "patrols.checkin"}


def forwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    for old, new in RENAMES.items():
        Obligation.objects.filter(kind=old).update(kind=new)


def backwards(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    for old, new in RENAMES.items():
        Obligation.objects.filter(kind=new).update(kind=old)


class Migration(migrations.Migration):
    dependencies = [
        ("patrols", "0004_team_to_core"),
        ("obligations", "0004_delivery_retries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
