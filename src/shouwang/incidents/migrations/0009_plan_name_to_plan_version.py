"""`Incident.plan_name` was free text before plans were kept: each named plan becomes a plan of the
incident's street with one approved version (its name and notes kept as they were typed), and the
incident refers to that version. `plan_name` stays as the name the plan had when activated."""

from django.db import migrations

# category -> working category, as in incidents.choices.CATEGORY_MAP when this was written
WORKING = {
    "social_safety": "social_safety", "public_order_criminal": "public_order_criminal",
    "violent_attack": "public_order_criminal", "fire": "accidents", "building_collapse": "accidents",
    "gas_leak": "accidents", "traffic": "accidents", "work_safety": "accidents", "epidemic": "public_health",
    "food_poisoning": "public_health", "pollution": "public_health", "earthquake": "natural_disasters",
    "rainstorm": "natural_disasters", "flood": "natural_disasters", "landslide": "natural_disasters",
    "debris_flow": "natural_disasters", "network_attack": "network_security", "data_theft": "network_security",
    "exam_security": "exam_security", "crowd_crush": "social_safety", "large_event": "social_safety",
    "dispute": "social_safety",
}
STEP = 4  # Jurisdiction.steplen


def _street(Jurisdiction, node):
    prefixes = [node.path[:i] for i in range(STEP, len(node.path) + 1, STEP)]
    found = Jurisdiction.objects.filter(path__in=prefixes, level="street").order_by("-depth").first()
    return found or node


def forwards(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    Jurisdiction = apps.get_model("core", "Jurisdiction")
    Plan = apps.get_model("plans", "Plan")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    named = Incident.objects.exclude(plan_name="").filter(plan_version__isnull=True).select_related("jurisdiction")
    for incident in named.order_by("activated_at", "pk"):
        street = _street(Jurisdiction, incident.jurisdiction)
        title = incident.plan_name.strip()[:200]
        plan = Plan.objects.filter(jurisdiction=street, title=title).first()
        if plan is None:
            plan = Plan.objects.create(jurisdiction=street, title=title,
                                       working_kind=WORKING.get(incident.category, "social_safety"))
        version = PlanVersion.objects.filter(plan=plan).order_by("number").first()
        if version is None:
            version = PlanVersion.objects.create(
                jurisdiction=street, plan=plan, number=1, state="approved", title=title, scope=incident.plan_text,
                lead_group=incident.lead_group, approved_at=incident.activated_at,
                note=f"按事件{incident.number}启动时填写的预案名称登记（预案管理上线前）",
            )
            plan.current = version
            plan.save(update_fields=["current"])
        incident.plan_version = version
        incident.save(update_fields=["plan_version"])


def backwards(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    Incident.objects.update(plan_version=None)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_incident_drill_incident_plan_version"),
        ("plans", "0001_initial"),
        ("core", "0009_holiday_calendar"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
