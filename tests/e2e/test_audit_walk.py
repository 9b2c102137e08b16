"""Issue 11's walk in Chromium: an incident at level III in one community; a responder from
another community opens it from his alert and records his arrival on the phone; the office
upgrades it with a back-dated time and files reports that answer named clocks; the audit of
the day lists exactly the late items, each with its unit, person and the rule's label.

Screenshots land in var/walk/ (desktop and 390×844 phone) for a person to look at."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from shouwang.core.choices import GroupKind, PersonKind, Position, Role, UnitKind, WorkingKind
from shouwang.core.models import Group, Membership, Person, Unit
from shouwang.incidents import services
from shouwang.incidents.models import Report, Responder
from shouwang.obligations.models import Obligation
from tests.conftest import make_user
from tests.e2e.conftest import log_in_page
from tests.incidents.conftest import preset_b  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "walk"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def scene(org, preset_b):  # noqa: F811
    Unit.objects.create(jurisdiction=org.street, name="测试街道办事处", kind=UnitKind.GOVERNMENT)
    leading = Group.objects.create(jurisdiction=org.street, name="街道平安建设领导小组", kind=GroupKind.LEADING)
    leader = Person.objects.create(jurisdiction=org.street, name="分管副主任赵刚", kind=PersonKind.STAFF)
    Membership.objects.create(group=leading, person=leader, position=Position.LEADER)
    committee = Unit.objects.create(jurisdiction=org.c1, name="一社区居委会", kind=UnitKind.RESIDENTS_COMMITTEE)
    office = Group.objects.create(jurisdiction=org.c1, name="一社区办公室", kind=GroupKind.OFFICE)
    director = Person.objects.create(jurisdiction=org.c1, name="社区主任王敏", kind=PersonKind.STAFF, unit=committee)
    Membership.objects.create(group=office, person=director, position=Position.DIRECTOR)
    lead = Group.objects.create(jurisdiction=org.street, name="治安工作组", kind=GroupKind.WORKING,
                                working_kind=WorkingKind.PUBLIC_ORDER)
    user = make_user("patrol2", Role.PATROL_MEMBER, org.c2)
    responder = Person.objects.create(jurisdiction=org.c2, name="二社区队员李强", kind=PersonKind.PATROL, user=user)
    Membership.objects.create(group=lead, person=responder, position=Position.MEMBER)
    received = timezone.now() - timedelta(hours=2)
    incident, _ = services.intake(user=org.user("office"), jurisdiction=org.c1, title="菜场门口斗殴",
                                  category="violent_attack", level="III", address="柳岸路30号", received_at=received)
    services.activate(incident, user=org.user("admin"), plan_name="治安事件预案", lead_group=lead)
    return {"incident": incident, "received": received, "responder": Responder.objects.get(person=responder)}


def test_the_audit_walk(org, scene, browser, live_server):
    incident = scene["incident"]
    # --- the responder from the other community, on his phone
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True).new_page()
    phone.set_default_timeout(15000)
    log_in_page(phone, "patrol2", "pw-patrol2")
    phone.goto("/obligations/inbox/")
    shot(phone, "01-phone-inbox")
    phone.goto(incident.get_absolute_url())  # the alert's link
    assert incident.number in phone.locator("h1").inner_text()
    shot(phone, "02-phone-incident")
    phone.click("text=我已到场")
    phone.click("main button[type=submit]")
    phone.wait_for_selector(".messages li")
    shot(phone, "03-phone-arrived")
    assert Responder.objects.get(pk=scene["responder"].pk).arrived_at is not None

    # --- the office, at its desk: upgrade with the time it was decided, then reports
    desk = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(15000)
    log_in_page(page, "office", "pw-office")
    page.goto(f"/incidents/all/{incident.pk}/level/")
    page.select_option("#id_level", "II")
    decided = timezone.localtime(scene["received"] + timedelta(minutes=30))
    page.fill("#id_at", decided.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_reason", "伤员增加")
    shot(page, "04-level-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("#clocks")
    entry = incident.log.filter(kind="level").latest("at")
    assert timezone.localtime(entry.at).strftime("%H:%M") == decided.strftime("%H:%M")

    page.goto(f"/incidents/all/{incident.pk}/report/")
    page.select_option("#id_kind", "first")
    page.select_option("#id_means", "phone")
    page.select_option("#id_addressee", "superior_office")
    page.fill("#id_reported_by", "值班员")
    page.fill("#id_reported_to", "区应急办")
    boxes = page.locator("input[name=answers]")
    assert boxes.count() >= 1
    page.check("input[name=answers][value=major_phone_report]")
    shot(page, "05-report-form")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{incident.get_absolute_url()}")  # a saved report returns to the incident
    filed = Report.objects.get(incident=incident)
    page.goto(filed.get_absolute_url())
    page.wait_for_selector("#answers")
    shot(page, "06-report")
    assert filed.answers == ["major_phone_report"]

    page.goto(incident.get_absolute_url())
    shot(page, "07-incident")
    clocks = page.locator("#clocks").inner_text()
    assert "一社区居委会" in clocks  # who answers each clock, by name

    # --- the audit of the day lists exactly the late items, by unit, person and rule label
    today = timezone.localdate()
    page.goto(f"/audit/?node={org.street.pk}&since={today - timedelta(days=1)}&until={today}")
    shot(page, "08-audit")
    late = [o for o in Obligation.objects.for_subject(incident) if o.lateness(timezone.now())]
    rows = page.locator("table.audit-rows tbody tr")
    assert rows.count() == len(late)
    body = page.locator("main").inner_text()
    for ob in late:
        assert ob.title in body
        assert ob.responsible_unit is not None and ob.responsible_person is not None, ob.title
    assert "一社区居委会" in body and "社区主任王敏" in body and "分管副主任赵刚" in body
    assert "无责任单位" not in body and not re.search(r"(?<!\d)0分钟", body)
    assert "report_to_leading_group" not in body and "incidents." not in body  # labels, not keys

    phone_audit = phone.context.new_page()
    log_in_page(phone_audit, "office", "pw-office")
    phone_audit.goto(f"/audit/?node={org.street.pk}&since={today - timedelta(days=1)}&until={today}")
    shot(phone_audit, "09-phone-audit")
