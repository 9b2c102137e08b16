"""Plans' services: versions frozen on approval with what changed between them; activation under a
plan version opening its checklist as the incident's tasks; the old free-text plan names kept as
plan versions; the after-action report's corrective actions verified like rectifications; training
sign-in, certificates and their reminders; campaigns rolled up the tree; the policy's new sections."""

import importlib
import uuid
from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.incidents import services as incidents
from shouwang.incidents.models import Incident
from shouwang.obligations.choices import State
from shouwang.obligations.models import Notification, Obligation
from shouwang.plans import diffs, queries, services
from shouwang.plans.choices import (
    KIND_CERTIFICATE,
    KIND_CORRECTIVE,
    KIND_CORRECTIVE_VERIFY,
    ImprovementState,
)
from shouwang.plans.models import Plan, PlanVersion
from shouwang.policies.validation import validate_rules

from .conftest import CHECKLIST, T0, at

# ---------------------------------------------------------------- plans


def test_an_approved_version_never_changes_and_the_next_starts_from_it(org, plan, groups):
    v1 = plan.current
    assert v1.is_approved and v1.approver == "周振华" and v1.number == 1
    v1.title = "改"
    with pytest.raises(ValidationError):
        v1.save()
    v1.refresh_from_db()
    with pytest.raises(ValidationError):
        services.approve(v1, user=org.user("leader"))
    rows = [*CHECKLIST[:2], {"text": "通知辖区学校封闭校园", "offset_minutes": 20}]
    v2 = services.save_draft(plan, user=org.user("office"), actions=rows, note="增加校园联动")
    assert v2.number == 2 and v2.state == "draft"
    assert v2.lead_group == v1.lead_group and v2.categories == v1.categories  # started from v1
    again = services.save_draft(plan, user=org.user("office"), actions=rows, scope="市场及周边")
    assert again.pk == v2.pk  # one draft at a time
    plan.refresh_from_db()
    assert plan.current == v1  # the draft is not in force
    services.approve(again, user=org.user("leader"))
    plan.refresh_from_db()
    assert plan.current.number == 2
    changes = diffs.diff(v1, plan.current, queries.category_terms())
    scope = str(PlanVersion._meta.get_field("scope").verbose_name)
    assert changes["fields"] == [(scope, "", "市场及周边")] and changes["changed"]
    signs = {line.split(" ", 1)[1].split(" · ")[0]: sign for sign, line in changes["actions"]}
    assert signs["通知辖区学校封闭校园"] == "+" and signs["疏散周边群众"] == "-" and signs["设立现场指挥部"] == " "
    assert PlanVersion.objects.get(pk=v1.pk).title == "涉恐涉暴事件应急预案"


def test_a_draft_is_checked_row_by_row_and_approval_needs_a_checklist_and_a_lead_group(org, presets, groups):
    with pytest.raises(ValidationError) as bad:
        services.create_plan(node=org.street, title="x预案", working_kind="accidents",
                             actions=[{"text": "a", "offset_minutes": -1}, {"text": "b", "offset_minutes": "x"}])
    assert len(bad.value.message_dict["actions"]) == 2
    assert not Plan.objects.filter(title="x预案").exists()
    plan = services.create_plan(node=org.street, title="空预案", working_kind="accidents")
    with pytest.raises(ValidationError) as refused:
        services.approve(plan.versions.get(), user=org.user("leader"))
    assert set(refused.value.message_dict) == {"actions", "lead_group"}
    with pytest.raises(PermissionDenied):
        services.approve(plan.versions.get(), user=org.user("grid1"))
    with pytest.raises(ValidationError) as kinds:
        services.save_draft(plan, user=org.user("office"), categories=["nonsense"])
    assert "categories" in kinds.value.message_dict


def test_activating_a_real_incident_under_a_plan_opens_its_checklist(org, plan):
    incident, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="持刀伤人", category="violent_attack",
                                   level="III", address="某路")
    assert [v.pk for v in queries.matching_versions(org.c1, "public_order_criminal", "violent_attack", "III")] == [
        plan.current_id]
    assert queries.matching_versions(org.c1, "public_order_criminal", "violent_attack", "I") != []
    assert queries.matching_versions(org.c1, "accidents", "fire", "IV") == []
    incidents.activate(incident, user=org.user("leader"), plan_version=plan.current)
    incident.refresh_from_db()
    assert incident.plan_version == plan.current and incident.tasks.count() == 3
    tasks = Obligation.objects.for_subject(incident).of_kind("incidents.task")
    assert tasks.count() == 3 and tasks.real().count() == 3  # a real incident's tasks are real


def test_a_draft_version_cannot_be_activated(org, plan):
    draft = services.save_draft(plan, user=org.user("office"), actions=CHECKLIST)
    incident, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="x", category="violent_attack",
                                   level="III", address="某路")
    with pytest.raises(ValidationError):
        incidents.activate(incident, user=org.user("leader"), plan_version=draft)


def test_the_activation_page_offers_the_matching_plan_and_its_api_takes_it(org, plan, login, api):
    incident, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="持刀伤人", category="violent_attack",
                                   level="III", address="某路")
    page = login(org.user("leader")).get(f"/incidents/all/{incident.pk}/activate/")
    assert page.status_code == 200 and "涉恐涉暴事件应急预案（v1）" in page.content.decode()
    response = login(org.user("leader")).post(f"/incidents/all/{incident.pk}/activate/",
                                              {"plan_version": plan.current_id})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.plan_version_id == plan.current_id and incident.tasks.count() == 3
    other, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="y", category="violent_attack",
                                level="III", address="某路")
    refused = api(org.user("leader")).post(f"/api/incidents/{other.pk}/activate/", {}, format="json")
    assert refused.status_code == 400 and {"plan_name", "lead_group"} <= set(refused.json())
    done = api(org.user("leader")).post(f"/api/incidents/{other.pk}/activate/", {"plan_version": plan.current_id},
                                        format="json")
    assert done.status_code == 200 and done.json()["plan_version"] == plan.current_id


def test_the_migration_keeps_free_text_plan_names_as_plan_versions(org, groups):
    incident, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="旧事件", category="violent_attack",
                                   level="III", address="某路")
    second, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c2, title="另一事件",
                                 category="public_order_criminal", level="IV", address="某路")
    for case in (incident, second):
        incidents.activate(case, user=org.user("leader"), plan_name="望川街道涉恐涉暴事件应急预案",
                           lead_group=groups["public_order"], plan_text="按预案先期处置")
    assert Incident.objects.filter(plan_version__isnull=False).count() == 0
    migration = importlib.import_module("shouwang.incidents.migrations.0009_plan_name_to_plan_version")
    migration.forwards(apps, None)
    incident.refresh_from_db()
    second.refresh_from_db()
    version = incident.plan_version
    assert version is not None and second.plan_version == version  # one plan of the street for one name
    assert version.title == "望川街道涉恐涉暴事件应急预案" and version.scope == "按预案先期处置"
    assert version.is_approved and version.plan.jurisdiction == org.street and version.plan.current == version
    assert version.plan.working_kind == "public_order_criminal"
    assert incident.plan_name == "望川街道涉恐涉暴事件应急预案"  # the text as typed stays
    migration.forwards(apps, None)  # running again adds nothing
    assert Plan.objects.count() == 1


# ---------------------------------------------------------------- after-action


def _ended(org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=40), tick=False):
        services.end_drill(drill, user=org.user("office"))
    drill.refresh_from_db()
    return drill


def test_an_area_for_improvement_is_a_corrective_action_verified_by_someone_else(org, drill, people):
    drill = _ended(org, drill)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        with pytest.raises(ValidationError):
            services.record_after_action(drill, user=org.user("office"), improvements=[
                {"area": "报告不及时", "action": "", "owner": people["grid1"], "deadline": T0 + timedelta(days=7)}])
        made = services.record_after_action(drill, user=org.user("office"), strengths="处置迅速", improvements=[
            {"area": "网格员报告不及时", "action": "开展网格员信息报送培训", "owner": people["grid1"],
             "deadline": T0 + timedelta(days=7)}])
    item = made[0]
    corrective = Obligation.objects.for_subject(item).of_kind(KIND_CORRECTIVE).get()
    assert corrective.responsible_person == people["grid1"] and not corrective.drill  # a real duty
    assert corrective.due_at == T0 + timedelta(days=7)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        with pytest.raises(PermissionDenied):
            services.report_improvement_done(item, user=org.user("grid2"), text="x")
        services.report_improvement_done(item, user=org.user("grid1"), text="已培训")
        with pytest.raises(PermissionDenied):
            services.verify_improvement(item, user=org.user("grid1"), passed=True)  # the owner
        services.verify_improvement(item, user=org.user("office"), passed=False, note="未覆盖全部网格员",
                                    new_deadline=T0 + timedelta(days=14))
    item.refresh_from_db()
    assert item.state == ImprovementState.OPEN and item.failed_count == 1 and item.deadline == T0 + timedelta(days=14)
    open_again = Obligation.objects.for_subject(item).of_kind(KIND_CORRECTIVE).pending().get()
    assert open_again.due_at == T0 + timedelta(days=14)
    with time_machine.travel(T0 + timedelta(days=15), tick=False):
        assert open_again.state_at() == State.MISSED  # it shows in the audit as a missed corrective action
        services.report_improvement_done(item, user=org.user("grid1"), text="全部网格员已培训")
        services.verify_improvement(item, user=org.user("office"), passed=True)
    item.refresh_from_db()
    assert item.state == ImprovementState.VERIFIED
    assert not Obligation.objects.for_subject(item).of_kind(KIND_CORRECTIVE_VERIFY).pending().exists()


def test_the_after_action_report_follows_the_end(org, drill, people):
    with pytest.raises(ValidationError):
        services.record_after_action(drill, user=org.user("office"), strengths="x")


# ---------------------------------------------------------------- training


@pytest.fixture
def course(org):
    return services.create_course(node=org.street, title="平安志愿者巡防技能培训", hours=3, posts=["volunteer"],
                                  certificate_months=12)


def test_a_person_signs_in_by_qr_once_while_the_session_is_on(org, course, people):
    with time_machine.travel(at(2026, 11, 20), tick=False):
        session = services.create_session(node=org.street, course=course, starts_at=at(2026, 11, 23, 14),
                                          ends_at=at(2026, 11, 23, 17), place="会议室")
    key = uuid.uuid4()
    with time_machine.travel(at(2026, 11, 23, 13, 20), tick=False), pytest.raises(ValidationError):
        services.sign_in(session, user=org.user("grid1"), client_uuid=key)  # too early
    with time_machine.travel(at(2026, 11, 23, 13, 35), tick=False):
        first, created = services.sign_in(session, user=org.user("grid1"), client_uuid=key)
        again, again_created = services.sign_in(session, user=org.user("grid1"), client_uuid=key)
        other, other_created = services.sign_in(session, user=org.user("grid1"))  # a second scan
    assert created and not again_created and not other_created and first.pk == again.pk == other.pk
    assert first.person == people["grid1"] and first.method == "qr"
    assert queries.hours_of(people["grid1"]) == 3
    with pytest.raises(PermissionDenied):
        services.sign_in(session, user=org.user("grid1"), person=people["patrol1"], method="manual")


def test_a_certificate_is_renewed_before_it_expires_and_reminded_at_60_30_7_days(org, course):
    holder = Person.objects.create(jurisdiction=org.c1, name="平安志愿者甲", kind=PersonKind.VOLUNTEER,
                                   user=org.user("patrol1"))
    with time_machine.travel(at(2026, 1, 10), tick=False):
        cert = services.issue_certificate(person=holder, course=course, number="XF-001", issued_on=date(2026, 1, 10))
    assert cert.expires_on == date(2027, 1, 10)
    renewal = Obligation.objects.for_subject(cert).of_kind(KIND_CERTIFICATE).get()
    assert renewal.opens_at == at(2026, 11, 11, 0, 0) and renewal.due_at == at(2027, 1, 10, 23, 59, 59)
    sent = {}
    for day in (date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12), date(2026, 12, 11), date(2026, 12, 12),
                date(2027, 1, 3), date(2027, 1, 4), date(2027, 1, 9)):
        with time_machine.travel(at(day.year, day.month, day.day, 6), tick=False):
            sent[day] = services.remind_certificates() + services.remind_certificates()
    assert [d for d, n in sent.items() if n] == [date(2026, 11, 11), date(2026, 12, 11), date(2027, 1, 3)]
    inbox = Notification.objects.filter(recipient=org.user("patrol1")).order_by("created_at", "pk")
    assert [n.title for n in inbox] == ["您的证书平安志愿者巡防技能培训将在60天后到期",
                                        "您的证书平安志愿者巡防技能培训将在30天后到期",
                                        "您的证书平安志愿者巡防技能培训将在7天后到期"]
    with time_machine.travel(at(2027, 1, 11), tick=False):
        assert renewal.state_at() == State.MISSED  # expired: in the audit
    with time_machine.travel(at(2026, 12, 20), tick=False):
        services.issue_certificate(person=holder, course=course, number="XF-002", issued_on=date(2026, 12, 20))
    renewal.refresh_from_db()
    cert.refresh_from_db()
    assert renewal.state == State.MET and cert.renewed


def test_the_share_of_qualified_people_per_post(org, course):
    volunteers = [Person.objects.create(jurisdiction=org.c1, name=f"志愿者{i}", kind=PersonKind.VOLUNTEER)
                  for i in range(4)]
    Person.objects.create(jurisdiction=org.c2, name="二社区志愿者", kind=PersonKind.VOLUNTEER)
    with time_machine.travel(at(2026, 6, 1), tick=False):
        services.issue_certificate(person=volunteers[0], course=course, number="1", issued_on=date(2026, 6, 1))
        services.issue_certificate(person=volunteers[1], course=course, number="2", issued_on=date(2025, 1, 1))  # expired
        services.issue_certificate(person=volunteers[2], course=course, number="3", issued_on=date(2026, 5, 1))
    rows = queries.qualified_share(org.user("office1"), today=date(2026, 6, 2))
    assert [(r["post"], r["people"], r["qualified"], r["percent"]) for r in rows] == []  # the course is above C1
    rows = queries.qualified_share(org.user("office"), today=date(2026, 6, 2))
    assert [(r["post"], r["people"], r["qualified"], r["percent"]) for r in rows] == [("volunteer", 5, 2, 40)]


# ---------------------------------------------------------------- campaigns


def test_campaigns_roll_up_the_tree_against_the_targets(org):
    for node, audience in ((org.c1, 100), (org.c1, 50), (org.grid, 30), (org.c2, 200)):
        services.create_campaign(node=node, title=f"宣传{audience}", kind="leaflets", held_on=date(2026, 5, 1),
                                 audience=audience)
    services.create_campaign(node=org.c1, title="去年", kind="online", held_on=date(2025, 5, 1), audience=999)
    services.set_campaign_target(node=org.street, year=2026, campaigns=8)
    services.set_campaign_target(node=org.c1, year=2026, campaigns=3)
    rows = {r["node"].name: (r["campaigns"], r["audience"], r["percent"])
            for r in queries.rollup(org.user("office"), 2026)}
    assert rows == {"测试街道": (4, 380, 50), "一社区": (3, 180, 100), "二社区": (1, 200, None)}
    mine = {r["node"].name for r in queries.rollup(org.user("office1"), 2026)}
    assert mine == {"一社区", "一社区第1网格"}


# ---------------------------------------------------------------- policy


def test_the_policy_sections_are_checked():
    validate_rules({"drills": {"evacuation": [{"name": "x", "unit_kinds": ["school"], "every_months": 1}],
                               "evacuation_targets": [{"max_storeys": 4, "seconds": 120}]},
                    "plans": {"review_months": 12, "drill_every_months": 12}})
    with pytest.raises(ValidationError) as bad:
        validate_rules({"drills": {"evacuation": [{"name": "x", "unit_kinds": ["school"], "every_months": 5}],
                                   "evacuation_targets": [{"seconds": 3}]},
                        "plans": {"review_months": 0, "drill_every_months": 7}})
    assert len(bad.value.message_dict["rules"]) == 4


# ---------------------------------------------------------------- briefings


def test_the_briefing_section_counts_drills_as_drills_and_says_it_in_chinese(org, drill, presets, schools):
    from shouwang.briefings.period import Period
    from shouwang.core.registry import BRIEFING_SECTIONS

    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.end_drill(drill, user=org.user("office"))
    with time_machine.travel(at(2026, 11, 1, 1), tick=False):
        services.open_planned_drills()
    services.create_campaign(node=org.c1, title="宣传", kind="leaflets", held_on=date(2026, 11, 20), audience=80)
    period = Period(org.street, date(2026, 11, 1), date(2026, 12, 1), as_of=at(2026, 12, 1, 9))
    part = BRIEFING_SECTIONS["plans"].build(period)
    # held: the street's drill; missed: the school's November (the kindergarten's quarter runs to December)
    assert part["text"][0] == "本期开展应急演练1次，参演0人次；应开展未开展的演练1项。"
    assert part["text"][2] == "参加培训0人次；开展宣传活动1次，受众80人次。"
    rows = {row[0]: row for row in part["tables"][0]["rows"]}
    assert rows["一社区"][4] == 1 and rows["一社区"][2]["text"] == 1 and rows["二社区"][2]["text"] == 0
    assert "kind=plans.drill" in rows["一社区"][2]["url"]
    empty = Period(org.street, date(2025, 1, 1), date(2025, 1, 31), as_of=at(2025, 2, 1))
    assert BRIEFING_SECTIONS["plans"].build(empty) is None


# ---------------------------------------------------------------- the audit


def test_the_audit_lists_a_missed_drill_an_overdue_review_an_expired_certificate_and_a_late_corrective_action(
        org, plan, drill, people, schools, course):
    from shouwang.audit import queries as audit

    with time_machine.travel(at(2026, 11, 1, 1), tick=False):
        services.open_planned_drills()  # the school's November drill: never held
    with time_machine.travel(at(2025, 11, 1), tick=False):
        services.issue_certificate(person=people["grid1"], course=course, number="C-1", issued_on=date(2025, 11, 1))
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.end_drill(drill, user=org.user("office"))
        services.record_after_action(drill, user=org.user("office"), improvements=[
            {"area": "封控慢", "action": "加强封控训练", "owner": people["grid1"], "deadline": T0 + timedelta(days=3)}])
    with time_machine.travel(at(2027, 1, 10), tick=False):
        report = audit.build(org.street, date(2026, 11, 1), date(2027, 1, 9))
    found = {(row.kind, row.finding) for row in report.rows}
    assert {("plans.drill", "missed"), ("plans.review", "missed"), ("plans.certificate", "missed"),
            ("plans.corrective", "missed")} <= found
    labels = {row.kind_label for row in report.rows if row.kind.startswith("plans.")}
    assert labels == {"规定开展的演练", "预案专家评审", "培训证书到期复训", "演练问题整改"}
    assert not any(row.obligation.drill for row in report.rows)
