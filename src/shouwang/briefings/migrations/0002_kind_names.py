"""Obligation kinds are named "<app>.<name>" (KIND_* in choices.py): rename the stored ones."""

from django.db import migrations

RENAMES = {"briefings.daily_report.morning": "briefings.morning_report",
 "briefings.daily_report.evening": "briefings.evening_report"}


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
        ("briefings", "0001_initial"),
        ("obligations", "0004_delivery_retries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
