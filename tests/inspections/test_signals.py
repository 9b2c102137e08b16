"""Inspections into the rest: the suggested risk colour, the comprehensive ledger's figures, the
office told of a patrol's hazard sighting, and the audit listing overdue rectifications, late
verifications and missed planned inspections with whose they were."""

import uuid
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from shouwang.audit import queries as audit
from shouwang.core.choices import PersonKind
from shouwang.core.models import Jurisdiction, Person
from shouwang.inspections import services
from shouwang.inspections.choices import KIND_PLANNED, KIND_RECTIFY, KIND_VERIFY
from shouwang.inspections.models import Finding, InspectorAssignment, RectificationOrder
from shouwang.obligations import services as obligations
from shouwang.obligations.models import Notification
from shouwang.patrols.services import report_sighting
from shouwang.registers import ledger
from shouwang.registers.risk_signals import suggest

from .conftest import inspect, png_data_url

NOW = "2026-12-07 10:00:00+08:00"  # a Monday
GAS = "油罐区可燃气体浓度（%LEL）"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


def _inspector_reasons(place, day=None):
    colour, reasons = suggest(place, day)
    return colour, [r for r in reasons if "ZG" in r]


def test_an_open_major_hazard_suggests_red_with_the_order_number(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{GAS: "35"})
    order = RectificationOrder.objects.get()
    colour, reasons = _inspector_reasons(station)
    assert colour == "red" and len(reasons) == 1 and order.number in reasons[0]
    assert _inspector_reasons(station, date(2026, 12, 6)) == ("green", [])  # the day before it was found


def test_an_open_serious_hazard_suggests_orange_and_a_closed_one_nothing(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no", "灭火器在有效期内": "no"})
    serious = RectificationOrder.objects.get(finding__severity="serious")
    colour, reasons = _inspector_reasons(station)
    assert colour == "orange" and [serious.number in r for r in reasons] == [True]  # the general one adds none
    services.report_done(serious, user=org.user("liaison1"), text="已清理通道", photos=[png_data_url()])
    services.verify(serious, user=org.user("inspector2"), passed=True)
    assert _inspector_reasons(station) == ("green", [])
    assert _inspector_reasons(station, date(2026, 12, 6)) == ("green", [])


def test_the_ledger_counts_open_hazards_and_overdue_rectifications(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no", "灭火器在有效期内": "no"})
    street = Jurisdiction.objects.get(pk=org.street.pk)  # fresh: the tree counts its children
    total, children = ledger.ledger(street)
    assert total.extra["inspections.open_hazards"] == 2 and total.extra["inspections.overdue_rectifications"] == 0
    assert {c.node.code: c.extra["inspections.open_hazards"] for c in children} == {"C1": 2, "C2": 0}
    titles, _rows, _total = ledger.table(street)
    assert "open hazards" in titles and "overdue rectifications" in titles
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):  # the serious one's 7 days
        total, _children = ledger.ledger(street)
        assert total.extra["inspections.overdue_rectifications"] == 1


def test_a_hazard_sighting_tells_the_office_and_creates_nothing(org, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_sighting(org.user("patrol1"), {"client_uuid": str(uuid.uuid4()), "kind": "hazard",
                                              "text": "加油站东侧消防通道被货车堵住", "jurisdiction": org.c1.pk})
    message = Notification.objects.get()
    assert message.recipient == org.user("office1")  # the office nearest the sighting
    assert "加油站东侧消防通道被货车堵住" in message.title and "待分拣" in message.title  # in the office's Chinese
    assert message.url
    assert Finding.objects.count() == 0 and RectificationOrder.objects.count() == 0


def test_an_incident_sighting_is_not_inspections_business(org, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_sighting(org.user("patrol1"), {"client_uuid": str(uuid.uuid4()), "kind": "incident",
                                              "text": "有人打架", "jurisdiction": org.c1.pk})
    assert not Notification.objects.filter(title__contains="有人打架", title__startswith="Hazard").exists()
    assert not Notification.objects.filter(title__contains="待分拣").exists()


def test_the_audit_lists_an_overdue_rectification_with_its_unit_and_person(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no"})
    order = RectificationOrder.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=9), tick=False):
        today = timezone.localdate()
        report = audit.build(org.street, today - timedelta(days=6), today)
        rows = [r for r in report.rows if r.kind == KIND_RECTIFY]
        assert len(rows) == 1
        row = rows[0]
        assert row.finding == "missed" and row.subject == order and order.number in row.obligation.title
        assert row.kind_label == "hazard rectification"
        assert row.unit_name == "东湖加油站有限公司" and row.person_name == "钱晓东"
        assert row.lateness == timedelta(days=2)


def test_the_audit_lists_a_late_verification_as_the_assigned_inspectors(org, station, template):
    inspector = Person.objects.create(jurisdiction=org.street, name="冯立新", kind=PersonKind.STAFF,
                                      user=org.user("inspector2"))
    InspectorAssignment.objects.create(jurisdiction=org.c1, inspector=inspector, since=date(2026, 1, 1))
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no"})
    order = RectificationOrder.objects.get()
    services.report_done(order, user=org.user("liaison1"), text="已清理通道", photos=[png_data_url()])
    order.refresh_from_db()
    with time_machine.travel(order.verify_by + timedelta(days=1), tick=False):
        services.verify(order, user=org.user("inspector2"), passed=True)
        today = timezone.localdate()
        report = audit.build(org.street, today - timedelta(days=6), today)
        row = next(r for r in report.rows if r.kind == KIND_VERIFY)
        assert row.finding == "met_late" and row.kind_label == "rectification verification"
        assert row.person_name == "冯立新" and row.lateness == timedelta(days=1)


def test_the_audit_lists_a_missed_planned_inspection_by_its_label(org, station):
    person = station.responsible_person
    obligations.open_obligation(kind=KIND_PLANNED, title="节前检查：东湖加油站", jurisdiction=station.jurisdiction,
                                subject=station, due_at=timezone.now() - timedelta(days=1),
                                opens_at=timezone.now() - timedelta(days=5), responsible_unit=station.unit,
                                responsible_person=person)
    today = timezone.localdate()
    row = next(r for r in audit.build(org.street, today - timedelta(days=6), today).rows if r.kind == KIND_PLANNED)
    assert row.finding == "missed" and row.kind_label == "planned inspection"
    assert row.unit_name == "东湖加油站有限公司" and row.person_name == "钱晓东"
