"""The moved Team gets core's table names (`core_team`, `core_team_members`); rows and keys
stay. Its content type moves too, so the change log keeps every team's history."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="team").exists():
        ContentType.objects.filter(app_label="patrols", model="team").update(app_label="core")


def back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="patrols", model="team").exists():
        ContentType.objects.filter(app_label="core", model="team").update(app_label="patrols")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_team_from_patrols"),
        ("patrols", "0004_team_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="team", table=None),
        migrations.RunPython(move_content_type, back),
    ]
