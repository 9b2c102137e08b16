"""Team moves from patrols to core (a force is organisation). State only: the table stays
`patrols_team` until 0006 renames it, so every row and foreign key is kept."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_job_heartbeat"),
        ("patrols", "0003_wording"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("kind", models.CharField(choices=[("police", "police patrol"), ("full_time", "full-time patrol team"), ("volunteers", "safety volunteers"), ("property", "property security"), ("school", "school security"), ("militia", "militia"), ("reserve", "reserve team")], max_length=16, verbose_name="kind")),
                        ("equipment", models.TextField(blank=True, verbose_name="equipment carried")),
                        ("jurisdiction", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.jurisdiction", verbose_name="node")),
                        ("leader", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="leads_teams", to="core.person", verbose_name="team leader")),
                        ("members", models.ManyToManyField(blank=True, related_name="patrol_teams", to="core.person", verbose_name="members")),
                        ("unit", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="patrol_teams", to="core.unit", verbose_name="unit")),
                    ],
                    options={
                        "verbose_name": "patrol team",
                        "verbose_name_plural": "patrol teams",
                        "ordering": ["name", "pk"],
                        "db_table": "patrols_team",
                        "constraints": [models.UniqueConstraint(fields=("jurisdiction", "name"), name="team_unique_name_per_node")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
