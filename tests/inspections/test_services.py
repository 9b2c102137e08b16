"""The inspection flow in services: scoring, findings with orders in one transaction, the
lifecycle, and the rule that the verifier is never the fixer."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shouwang.inspections import services
from shouwang.inspections.choices import KIND_RECTIFY, KIND_VERIFY, OrderState
from shouwang.inspections.models import Finding, Inspection, RectificationOrder, Verification
from shouwang.obligations.models import Obligation

from .conftest import answers, inspect, png_data_url

NOW = "2026-12-07 10:00:00+08:00"  # a Monday


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_two_failed_items_make_two_findings_with_orders_and_the_note_none(org, station, template):
    version = template.current
    inspection, created = inspect(org.user("inspector1"), station, version,
                                  **{"灭火器在有效期内": "no", "消防通道畅通": "no", "值班记录": "缺失"})
    assert created and inspection.failed_count == 3
    assert (inspection.score, inspection.max_score) == (2, 5)
    findings = Finding.objects.filter(inspection=inspection).order_by("pk")
    assert [f.severity for f in findings] == ["general", "serious"]  # the observation is below the threshold
    orders = [f.order for f in findings]
    deadlines = [o.deadline - timezone.now() for o in orders]
    assert deadlines == [timedelta(days=30), timedelta(days=7)]
    assert all(o.responsible_person.name == "钱晓东" for o in orders)
    assert Obligation.objects.for_subjects(RectificationOrder, [o.pk for o in orders]).pending().count() == 2


def test_the_same_client_uuid_twice_is_one_inspection(org, station, template):
    data = {"client_uuid": str(uuid.uuid4()), "place": station.pk,
            "answers": answers(template.current, **{"消防通道畅通": "no"})}
    first, created = services.record_inspection(org.user("inspector1"), data)
    again, created_again = services.record_inspection(org.user("inspector1"), data)
    assert created and not created_again and first.pk == again.pk
    assert Inspection.objects.count() == 1 and RectificationOrder.objects.count() == 1


def test_bad_answers_are_refused_with_their_item_and_nothing_is_stored(org, station, template):
    version = template.current
    items = {i.text: i.pk for i in version.items.all()}
    data = answers(version, **{"油罐区可燃气体浓度（%LEL）": "很多", "值班记录": "还行"})
    data[1].pop("photos")
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(org.user("inspector1"), {"client_uuid": str(uuid.uuid4()), "place": station.pk,
                                                            "answers": data})
    errors = exc.value.message_dict
    assert set(errors) == {f"answers.{items['油罐区可燃气体浓度（%LEL）']}", f"answers.{items['值班记录']}",
                           f"answers.{items['消防通道畅通']}.photos"}
    assert Inspection.objects.count() == 0 and Finding.objects.count() == 0


def test_a_photo_that_is_not_an_image_is_refused(org, station, template):
    data = answers(template.current)
    data[1]["photos"] = ["data:image/png;base64,aGVsbG8="]
    with pytest.raises(ValidationError) as exc:
        services.record_inspection(org.user("inspector1"), {"client_uuid": str(uuid.uuid4()), "place": station.pk,
                                                            "answers": data})
    assert [k for k in exc.value.message_dict] == [f"answers.{data[1]['item']}.photos"]
    assert Inspection.objects.count() == 0


def test_a_used_version_never_changes_and_editing_makes_a_new_one(org, station, template):
    v1 = template.current
    services.revise_template(template, items=services.items_of(v1)[:2])  # unused: edited in place
    assert template.current.pk == v1.pk and v1.items.count() == 2
    inspect(org.user("inspector1"), station, v1)
    v2 = services.revise_template(template, items=services.items_of(v1) + [
        {"section": "消防", "text": "应急照明正常", "answer_type": "yes_no", "severity": "general"}])
    assert v2.number == 2 and v1.items.count() == 2 and v2.items.count() == 3


def _order(org, station, template, **fails):
    inspect(org.user("inspector1"), station, template.current, **(fails or {"消防通道畅通": "no"}))
    return RectificationOrder.objects.get()


def test_the_fixer_may_not_verify_the_orderer_may(org, station, template):
    order = _order(org, station, template)
    liaison = org.user("liaison1")
    services.report_done(order, user=liaison, text="已清理通道杂物", photos=[png_data_url("green")])
    order.refresh_from_db()
    assert order.state == OrderState.REPORTED
    # 3 working days from Monday 10:00: Thursday 10:00
    assert timezone.localtime(order.verify_by).strftime("%a %H:%M") == "Thu 10:00"
    assert Obligation.objects.for_subject(order).pending().count() == 1  # the verification, due
    with pytest.raises(PermissionDenied, match="inspector|检查员|督查"):
        services.verify(order, user=liaison, passed=True)
    services.verify(order, user=org.user("inspector1"), passed=True)
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED and Obligation.objects.for_subject(order).pending().count() == 0


def test_an_inspector_who_reported_it_done_may_not_verify_it(org, station, template):
    order = _order(org, station, template)
    services.report_done(order, user=org.user("inspector1"), text="现场督促整改完毕", photos=[png_data_url()])
    with pytest.raises(PermissionDenied):
        services.verify(order, user=org.user("inspector1"), passed=True)
    services.verify(order, user=org.user("inspector2"), passed=True)


def test_the_database_refuses_a_verification_by_the_fixer(org, station, template):
    order = _order(org, station, template)
    liaison = org.user("liaison1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verification.objects.create(jurisdiction=order.jurisdiction, order=order, verifier=liaison,
                                    assignee=liaison, at=timezone.now(), result="pass")


def test_a_failed_verification_reopens_with_a_new_deadline_and_counts(org, station, template):
    order = _order(org, station, template)
    services.report_done(order, user=org.user("liaison1"), text="已清理", photos=[png_data_url()])
    with pytest.raises(ValidationError) as exc:
        services.verify(order, user=org.user("inspector2"), passed=False, note="仍有杂物",
                        new_deadline=timezone.now() - timedelta(hours=1))
    assert "new_deadline" in exc.value.message_dict
    services.verify(order, user=org.user("inspector2"), passed=False, note="仍有杂物",
                    new_deadline=timezone.now() + timedelta(days=3))
    order.refresh_from_db()
    assert (order.state, order.failed_count) == (OrderState.ORDERED, 1)
    pending = Obligation.objects.for_subject(order).pending()
    assert [(o.kind, o.due_at) for o in pending] == [(KIND_RECTIFY, order.deadline)]
    assert [o.kind for o in Obligation.objects.for_subject(order).exclude(pk__in=pending).order_by("pk")] == [KIND_RECTIFY, KIND_VERIFY]


def test_a_major_hazard_needs_its_six_elements_and_an_on_site_acceptance(org, station, template):
    order = _order(org, station, template, **{"油罐区可燃气体浓度（%LEL）": "35"})
    assert order.finding.severity == "major" and order.supervised
    assert order.deadline - timezone.now() == timedelta(hours=2)
    liaison = org.user("liaison1")
    with pytest.raises(ValidationError) as exc:
        services.report_done(order, user=liaison, text="已处置", photos=[png_data_url()])
    assert "plan" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_plan(order, user=liaison, goal="消除油气泄漏", method="更换密封件")
    assert set(exc.value.message_dict) == {"funds", "responsible", "time_limit", "safety_measures"}
    limit = timezone.now() + timedelta(days=10)
    services.record_plan(order, user=liaison, goal="消除油气泄漏", method="更换密封件", funds="企业自筹2万元",
                         responsible="东湖加油站 钱晓东", time_limit=limit, safety_measures="停用3号罐，设警戒区")
    order.refresh_from_db()
    assert order.deadline == limit
    assert Obligation.objects.for_subject(order).pending().get().due_at == limit
    services.report_done(order, user=liaison, text="已更换", photos=[png_data_url()])
    with pytest.raises(ValidationError) as exc:
        services.verify(order, user=org.user("inspector2"), passed=True)
    assert "acceptance_members" in exc.value.message_dict
    services.verify(order, user=org.user("inspector2"), passed=True, on_site=True, members="冯立新、街道安监办")
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED


def test_an_order_deadline_in_the_past_is_refused(org, station, template):
    inspection, _ = inspect(org.user("inspector1"), station, template.current)
    finding = Finding.objects.create(jurisdiction=org.c1, source="inspection", place=station, description="x",
                                     severity="general", found_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        services.open_order(finding, deadline=timezone.now() - timedelta(days=1))
    assert "deadline" in exc.value.message_dict
