"""Done-when: the audit for the demo street over the demo week lists exactly the seeded late and
missed reports, and the Word document opens."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from shouwang.audit import queries
from shouwang.audit.exports import render
from shouwang.briefings import demo
from shouwang.briefings.choices import KIND_OF_SLOT
from shouwang.briefings.models import DailyReport
from shouwang.core.models import Jurisdiction
from shouwang.obligations.models import Obligation


def test_demo_week_audit_lists_exactly_the_seeded_lapses(db, client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    today = timezone.localdate()
    street = Jurisdiction.objects.get(code="QL-WC")
    since, until = today - timedelta(days=demo.DAYS), today - timedelta(days=1)
    assert DailyReport.objects.filter(date__lt=today).count() == 6 * 2 * demo.DAYS - len(demo.MISSED)
    assert Obligation.objects.filter(key__startswith="daily:", key__contains=today.isoformat()).count() == 12  # today's are open

    report = queries.build(street, since, until)
    found = {(r.obligation.jurisdiction.code, (today - timezone.localtime(r.obligation.due_at).date()).days,
              r.obligation.rule.rsplit(".", 1)[1], r.finding)
             for r in report.rows if r.obligation.kind in KIND_OF_SLOT.values()}
    expected = {(code, back, slot, "met_late") for code, back, slot in demo.LATE} | {
        (code, back, slot, "missed") for code, back, slot in demo.MISSED}
    assert found == expected
    late = {r.lateness for r in report.rows if r.finding == "met_late" and r.kind.startswith("briefings.")}
    assert late == {timedelta(minutes=m) for m in demo.LATE.values()}
    row = next(r for r in report.rows if r.finding == "missed" and r.kind.startswith("briefings."))
    assert row.unit_name == "枫林社区居委会" and row.person_name and row.obligation.policy_version is not None
    assert row.changes  # its creation is in the change log

    doc = Document(io.BytesIO(render(report)))
    detail = doc.tables[1]
    titles = [row.cells[1].text for row in detail.rows[1:]]
    assert any("云杉社区" in t and "晚报" in t for t in titles) and any("枫林社区" in t and "早报" in t for t in titles)
    daily = [[c.text for c in row.cells] for row in detail.rows[1:] if "每日定时报送" in row.cells[2].text]
    assert sorted(r[8] for r in daily) == ["未完成", "逾期完成", "逾期完成"]
    assert {r[3] for r in daily} == {"云杉社区居委会", "枫林社区居委会"}

    client.login(request=HttpRequest(), username="office", password="shouwang-demo")
    response = client.get(reverse("audit:report_docx"), {"node": street.pk, "since": since.isoformat(),
                                                          "until": until.isoformat(), "kind": "briefings.evening_report"})
    assert response.status_code == 200
    assert len(Document(io.BytesIO(response.content)).tables[1].rows) == 1 + len(demo.LATE)
