"""Team now lives in core (core 0005): schedules point there; patrols forgets its own."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patrols", "0003_wording"),
        ("core", "0005_team_from_patrols"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="schedule",
                    name="team",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="schedules", to="core.team", verbose_name="team"),
                ),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        ),
    ]
