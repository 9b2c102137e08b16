"""School holidays move into core's one holiday calendar (core 0009): every day a patrols
school holiday named becomes a one-day core.Holiday of kind "school" on the same node; then
patrols forgets its own table."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    SchoolHoliday = apps.get_model("patrols", "SchoolHoliday")
    Holiday = apps.get_model("core", "Holiday")
    for old in SchoolHoliday.objects.all().order_by("pk"):
        Holiday.objects.get_or_create(
            jurisdiction_id=old.jurisdiction_id, starts_on=old.date, kind="school",
            defaults={"name": old.name, "ends_on": old.date},
        )


def copy_back(apps, schema_editor):
    SchoolHoliday = apps.get_model("patrols", "SchoolHoliday")
    Holiday = apps.get_model("core", "Holiday")
    for h in Holiday.objects.filter(kind="school").order_by("pk"):
        day = h.starts_on
        while day <= h.ends_on:
            SchoolHoliday.objects.get_or_create(jurisdiction_id=h.jurisdiction_id, date=day, defaults={"name": h.name})
            day = day.fromordinal(day.toordinal() + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("patrols", "0006_checkin_acceptance"),
        ("core", "0009_holiday_calendar"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="SchoolHoliday"),
    ]
