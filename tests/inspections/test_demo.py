"""The inspections demo builds on a fresh database through the services, with the records the
issue asks for, and a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from shouwang.core.models import Jurisdiction
from shouwang.inspections import checklists, demo, services
from shouwang.inspections.choices import OrderState, PlanKind, Result
from shouwang.inspections.models import (
    Bulletin,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    RectificationOrder,
    SupervisionVisit,
    TemplateItem,
    Verification,
)
from shouwang.obligations.models import Obligation


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _counts():
    return tuple(m.objects.count() for m in (ChecklistTemplate, TemplateItem, InspectionPlan, Inspection, Finding,
                                             RectificationOrder, Verification, SupervisionVisit, Bulletin, Obligation))


def test_the_demo_has_its_inspections_and_a_second_run_adds_nothing(db):
    call_command("load_demo")
    counts = _counts()
    assert demo.load(out=lambda *_: None) is False
    call_command("load_demo")
    assert _counts() == counts

    street = Jurisdiction.objects.get(code="QL-WC")
    assert ChecklistTemplate.objects.filter(jurisdiction=street).count() == len(checklists.STANDARD)
    plan = InspectionPlan.objects.get()
    assert plan.kind == PlanKind.PRE_HOLIDAY and plan.holiday.name == "元旦" and plan.holiday.starts_on.year == 2027
    assert Inspection.objects.filter(inspector__username="inspector", plan=plan).count() == len(demo.INSPECTIONS)

    major = RectificationOrder.objects.get(finding__severity="major")
    assert major.supervised and major.plan.safety_measures and major.state == OrderState.IN_PROGRESS
    failed = RectificationOrder.objects.get(failed_count=1)
    assert failed.state == OrderState.ORDERED and failed.responsible_person.user.username == "liaison"
    check = failed.verifications.get()
    assert check.result == Result.FAIL and check.verifier.username == "inspector" and check.reporter.username == "liaison"
    assert failed.deadline == check.new_deadline
    closed = RectificationOrder.objects.get(state=OrderState.CLOSED)
    assert closed.verifications.get().result == Result.PASS
    visit = SupervisionVisit.objects.get()
    assert visit.findings.count() == 1 and visit.checks["forces"]["ok"] is False
    bulletin = Bulletin.objects.get()
    assert bulletin.state == "issued" and bulletin.sequence == 1 and bulletin.document.name


def test_installing_the_standard_checklists_twice_makes_them_once(org):
    made = services.install_standard_checklists(org.street, user=org.user("office"))
    assert len(made) == len(checklists.STANDARD) >= 6
    assert services.install_standard_checklists(org.street, user=org.user("office")) == []
    assert ChecklistTemplate.objects.filter(jurisdiction=org.street).count() == len(checklists.STANDARD)
    for template in made:
        items = list(template.current.items.all())
        assert 8 <= len(items) <= 15, template.name
    types = {i.answer_type for i in TemplateItem.objects.all()}
    assert types == {"yes_no", "number", "choice", "text", "photo"}
    school = ChecklistTemplate.objects.get(category="school").current.items.values_list("text", flat=True)
    assert any("视频监控" in t for t in school) and any("巡查记录" in t for t in school)
    gas = TemplateItem.objects.get(version__template__category="petroleum", text="油罐区可燃气体浓度")
    assert (gas.max_value, gas.unit_label, gas.severity) == (20, "%LEL", "major")
    exits = TemplateItem.objects.filter(text__startswith="安全出口").values_list("severity", flat=True)
    assert set(exits) == {"serious"}


def test_the_install_button_installs_on_the_users_node(org, client):
    client.force_login(org.user("office"))
    response = client.post(reverse("inspections:install_checklists"))
    assert response.status_code == 302
    assert ChecklistTemplate.objects.filter(jurisdiction=org.street).count() == len(checklists.STANDARD)
    client.force_login(org.user("viewer"))
    assert client.post(reverse("inspections:install_checklists")).status_code == 403
