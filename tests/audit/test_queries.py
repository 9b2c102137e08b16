"""The accountability audit reads every obligation kind generically: page, JSON and Word."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from shouwang.audit import queries
from shouwang.audit.exports import render
from shouwang.core.models import Person
from shouwang.obligations import services as obligations

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)


def at(day_offset, hh, mm=0):
    d = DAY + timedelta(days=day_offset)
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=TZ)


@pytest.fixture
def lapses(org, units):
    """Obligations of a kind the audit has never heard of, on a unit as subject."""
    school = units["c1"]
    person = Person.objects.filter(unit=school).first()
    common = {"kind": "test.gate_check", "jurisdiction": org.c1, "subject": school, "responsible_unit": school,
              "responsible_person": person, "rule": "checkin_windows.school_arrival"}
    with time_machine.travel(at(0, 6), tick=False):
        made = {
            name: obligations.open_obligation(title=f"门口值守 {name}", opens_at=at(i, 7), due_at=at(i, 7, 45), key=name, **common)
            for i, name in enumerate(["late", "missed", "waived", "on_time", "outside"])
        }
        made["other"] = obligations.open_obligation(kind="test.other", title="二社区事项", jurisdiction=org.c2,
                                                    opens_at=at(0, 7), due_at=at(0, 8), key="other")
        made["open"] = obligations.open_obligation(title="未到期", opens_at=at(5, 7), due_at=at(5, 18), key="open", **common)
    with time_machine.travel(NOW, tick=False):
        obligations.meet(made["late"], at=at(0, 8, 15), by=org.user("office"))
        obligations.meet(made["on_time"], at=at(3, 7, 30))
        obligations.waive(made["waived"], reason="学校停课", by=org.user("leader"))
        school.phone = "021-1234"
        school.save()  # a change to the subject: evidence too
    made["outside"].due_at = at(20, 7, 45)  # outside the period (kept for the filter test)
    made["outside"].save()
    return made


def test_build_lists_late_missed_and_waived_of_any_kind(org, lapses):
    report = queries.build(org.street, DAY, DAY + timedelta(days=6), now=NOW)
    rows = {row.obligation.key: row for row in report.rows}
    assert set(rows) == {"late", "missed", "waived", "other"}
    assert rows["late"].finding == "met_late" and rows["late"].lateness == timedelta(minutes=30)
    assert rows["missed"].finding == "missed" and rows["missed"].lateness == NOW - at(1, 7, 45)
    assert rows["waived"].lateness is None and rows["waived"].obligation.waive_reason == "学校停课"
    assert rows["late"].kind_label == "test.gate_check"  # no label registered: the raw kind
    assert rows["late"].subject_url == lapses["late"].subject.get_absolute_url()
    # the basis in words: the section of the rule (this test obligation has no policy version to name it more)
    assert rows["late"].unit_name == "一社区学校" and rows["late"].basis == "签到时段"
    # Evidence: the obligation's own entries and its subject's.
    models = {e.content_type.model for e in rows["late"].changes}
    assert models == {"obligation", "unit"}
    assert any("met_at" in (e.after or {}) for e in rows["late"].changes)
    assert report.totals == {"met_late": 1, "missed": 2, "waived": 1}
    only_c1 = queries.build(org.c1, DAY, DAY + timedelta(days=6), now=NOW, finding="missed")
    assert [r.obligation.key for r in only_c1.rows] == ["missed"]
    assert [r.obligation.key for r in queries.build(org.street, DAY, DAY + timedelta(days=6), now=NOW, kind="test.other").rows] == ["other"]
    assert len(queries.build(org.street, DAY, DAY + timedelta(days=6), now=NOW, kind="test.").rows) == 4


def test_page_groups_by_unit_filters_and_scope(login, org, lapses, django_assert_max_num_queries):
    params = {"node": org.street.pk, "since": DAY.isoformat(), "until": (DAY + timedelta(days=6)).isoformat()}
    with time_machine.travel(NOW, tick=False):
        office = login(org.user("office"))
        with django_assert_max_num_queries(16):
            response = office.get(reverse("audit:report"), params)
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("data-obligation=") == 4 and 'data-finding="waived"' in page and "学校停课" in page
        assert "一社区学校" in page and "request_id=" in page and reverse("audit:report_docx") in page
        filtered = login(org.user("office")).get(reverse("audit:report"), {**params, "state": "missed"}).content.decode()
        assert filtered.count("data-obligation=") == 2 and filtered.count('data-finding="missed"') == 2
        bad = login(org.user("office")).get(reverse("audit:report"), {**params, "since": "2026-11-30"})
        assert bad.status_code == 200 and bad.context["form"].errors["until"]
        assert login(org.user("grid1")).get(reverse("audit:report")).status_code == 403
        default = login(org.user("viewer")).get(reverse("audit:report"))
        assert default.status_code == 200 and default.context["report"].node == org.district
        assert (default.context["report"].since, default.context["report"].until) == (date(2026, 11, 17), date(2026, 11, 23))
        assert 'value="2026-11-17"' in default.content.decode()


def test_json_api(api, org, lapses):
    params = {"node": org.street.pk, "since": DAY.isoformat(), "until": (DAY + timedelta(days=6)).isoformat()}
    with time_machine.travel(NOW, tick=False):
        data = api(org.user("office")).get("/api/audit/", params).json()
        assert data["totals"] == {"met_late": 1, "missed": 2, "waived": 1}
        late = next(r for r in data["results"] if r["state"] == "met_late")
        assert late["late_seconds"] == 1800 and late["responsible_unit"]["name"] == "一社区学校"
        assert late["rule"] == "checkin_windows.school_arrival" and late["subject"]["url"]
        assert late["changes"] and all(c["url"] for c in late["changes"])
        waived = next(r for r in data["results"] if r["state"] == "waived")
        assert waived["waive_reason"] == "学校停课" and waived["waived_by"] == "leader"
        assert api(org.user("office1")).get("/api/audit/", params).status_code == 404  # node above their scope
        assert api(org.user("grid1")).get("/api/audit/", params).status_code == 403
        assert api(org.user("office")).get("/api/audit/", {**params, "state": "nope"}).status_code == 400
        moments = {**params, "since": "2026-11-18T00:00:00+08:00", "until": "2026-11-24T10:00:00+08:00"}
        assert api(org.user("office")).get("/api/audit/", moments).json()["totals"] == data["totals"]


def test_word_document_reads_back(org, lapses, login):
    report = queries.build(org.street, DAY, DAY + timedelta(days=6), now=NOW)
    doc = Document(io.BytesIO(render(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "责任倒查报告" in text and "测试街道" in text and "2026-11-18 至 2026-11-24" in text and "审核人" in text
    summary, detail = doc.tables
    assert [c.text for c in detail.rows[0].cells][:3] == ["序号", "事项", "类别"]
    body = [[c.text for c in row.cells] for row in detail.rows[1:]]
    assert [row[0] for row in body] == ["1", "2", "3", "4"]
    late = next(row for row in body if row[1] == "门口值守 late")
    assert late[3] == "一社区学校" and late[7] == "30分钟" and late[8] == "逾期完成" and "签到时段" in late[9]
    missed = next(row for row in body if row[1] == "门口值守 missed")
    assert missed[6] == "未完成" and missed[8] == "未完成"
    assert "学校停课" in next(row for row in body if row[1] == "门口值守 waived")[8]
    assert [c.text for c in summary.rows[-1].cells] == ["合计", "", "1", "2", "1", "4"]
    with time_machine.travel(NOW, tick=False):
        response = login(org.user("leader")).get(reverse("audit:report_docx"), {
            "node": org.street.pk, "since": DAY.isoformat(), "until": (DAY + timedelta(days=6)).isoformat()})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    assert len(Document(io.BytesIO(response.content)).tables[1].rows) == 5
