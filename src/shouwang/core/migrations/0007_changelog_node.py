"""The change log files an entry under its node's id instead of the node's path as text (paths
renumber when a sibling is added before them). Existing entries are re-homed: to the node the
record is under now when it still exists, else to the node whose path the entry stored."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def rehome(apps, schema_editor):
    Entry = apps.get_model("core", "ChangeLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    by_path = dict(Jurisdiction.objects.values_list("path", "pk"))
    node_ct = ContentType.objects.filter(app_label="core", model="jurisdiction").first()
    for ct_id in Entry.objects.values_list("content_type_id", flat=True).distinct():
        ct = ContentType.objects.get(pk=ct_id)
        model = None
        try:
            model = apps.get_model(ct.app_label, ct.model)
        except LookupError:
            pass
        current = {}
        if model is not None and node_ct is not None and ct.pk == node_ct.pk:
            current = {str(pk): pk for pk in Jurisdiction.objects.values_list("pk", flat=True)}
        elif model is not None and any(f.name == "jurisdiction" for f in model._meta.fields):
            current = {str(pk): node for pk, node in model.objects.values_list("pk", "jurisdiction_id")}
        elif model is not None and ct.model == "policyversion":
            current = {str(pk): node for pk, node in model.objects.values_list("pk", "policy__jurisdiction_id")}
        entries = Entry.objects.filter(content_type_id=ct_id).only("pk", "object_id", "jurisdiction_path")
        changed = []
        for entry in entries.iterator(chunk_size=BATCH):
            node = current.get(entry.object_id) or by_path.get(entry.jurisdiction_path)
            if node is not None:
                entry.jurisdiction_id = node
                changed.append(entry)
            if len(changed) >= BATCH:
                Entry.objects.bulk_update(changed, ["jurisdiction"])
                changed = []
        if changed:
            Entry.objects.bulk_update(changed, ["jurisdiction"])


def back(apps, schema_editor):
    Entry = apps.get_model("core", "ChangeLogEntry")
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    paths = dict(Jurisdiction.objects.values_list("pk", "path"))
    changed = []
    for entry in Entry.objects.exclude(jurisdiction_id=None).only("pk", "jurisdiction_id").iterator(chunk_size=BATCH):
        entry.jurisdiction_path = paths.get(entry.jurisdiction_id, "")
        changed.append(entry)
    Entry.objects.bulk_update(changed, ["jurisdiction_path"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_team_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="changelogentry",
            name="jurisdiction",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="core.jurisdiction", verbose_name="jurisdiction"),
        ),
        migrations.RunPython(rehome, back),
        migrations.RemoveField(
            model_name="changelogentry",
            name="jurisdiction_path",
        ),
    ]
