"""Obligation kinds are named "<app>.<name>" (KIND_* in choices.py): rename the stored ones."""

from django.db import migrations

RENAMES = {"incident.first_report": "incidents.first_report",
 "incident.written_report": "incidents.written_report",
 "incident.responder_on_scene": "incidents.responder_on_scene",
 "incident.task": "incidents.task",
 "incident.review_action": "incidents.review_action"}


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
        ("incidents", "0003_wording"),
        ("obligations", "0004_delivery_retries"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
