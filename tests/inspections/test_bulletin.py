"""The supervision bulletin (督查通报): drafted from a visit, numbered per year and node when issued,
immutable afterwards (service and pages), and the Word document read back."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shouwang.inspections import services
from shouwang.inspections.bulletin import bulletin_docx, join_distribution, split_distribution
from shouwang.inspections.choices import BulletinState, OrderState
from shouwang.inspections.models import Bulletin, RectificationOrder

from .conftest import png_data_url

SH = ZoneInfo("Asia/Shanghai")
ALL_OK = {c: {"ok": True, "note": ""} for c in ("ledgers", "forces", "measures", "hazards")}
DISTRIBUTION = join_distribution("区平安建设领导小组办公室", "街道各科室", "各社区居委会")


def _visit(org, station, day, findings=()):
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=SH), tick=False):
        return services.record_visit(org.user("inspector1"), node=org.c1, visited_on=day, method="site",
                                     inspectors="督查员甲、督查员乙", judgements=ALL_OK, findings=findings)


def _draft(org, visit, title="关于一社区安全防范工作督查情况的通报"):
    return services.create_bulletin(visit, user=org.user("office"), title=title, issuer="测试街道平安建设办公室",
                                    body="督查组对一社区进行了实地督查。\n现将有关情况通报如下。",
                                    distribution=DISTRIBUTION)


def _states(content):
    from docx import Document

    return [row.cells[7].text for row in Document(io.BytesIO(content)).tables[0].rows[1:]]


def _issue(org, bulletin, when):
    with time_machine.travel(when, tick=False):
        return services.issue_bulletin(bulletin, user=org.user("office"))


@pytest.fixture
def visit(org, station):
    return _visit(org, station, date(2026, 12, 7), findings=[
        {"description": "油罐区堆放杂物", "severity": "serious", "place": station.pk, "photos": [png_data_url("blue")]},
        {"description": "应急照明损坏", "severity": "general", "place": station.pk},
    ])


def test_bulletins_are_numbered_per_year_and_node(org, visit):
    first = _issue(org, _draft(org, visit), datetime(2026, 12, 8, 9, 0, tzinfo=SH))
    second = _issue(org, _draft(org, visit, "第二份通报"), datetime(2026, 12, 20, 9, 0, tzinfo=SH))
    next_year = _issue(org, _draft(org, visit, "新年第一份"), datetime(2027, 1, 2, 9, 0, tzinfo=SH))
    assert [(b.year, b.sequence, b.number_text) for b in (first, second, next_year)] == [
        (2026, 1, "〔2026〕1号"), (2026, 2, "〔2026〕2号"), (2027, 1, "〔2027〕1号")]
    assert {b.jurisdiction for b in (first, second, next_year)} == {org.street}  # the street office issues them
    # numbered in its own node: a community's bulletin starts at 1 as well
    own = services.create_bulletin(visit, user=org.user("office"), title="社区自行通报", issuer="一社区",
                                   node=org.c1)
    assert _issue(org, own, datetime(2026, 12, 21, 9, 0, tzinfo=SH)).number_text == "〔2026〕1号"


def test_a_draft_has_no_number_and_is_edited(org, visit):
    draft = _draft(org, visit)
    assert draft.state == BulletinState.DRAFT and draft.sequence is None and not draft.document
    services.update_bulletin(draft, user=org.user("office"), title="改过的标题", issuer="测试街道平安建设办公室")
    draft.refresh_from_db()
    assert draft.title == "改过的标题"
    with pytest.raises(ValidationError) as exc:
        services.update_bulletin(draft, user=org.user("office"), title=" ", issuer="")
    assert set(exc.value.message_dict) == {"title", "issuer"}


def test_an_issued_bulletin_cannot_be_changed_by_service_or_page(org, visit, login):
    issued = _issue(org, _draft(org, visit), datetime(2026, 12, 8, 9, 0, tzinfo=SH))
    frozen = issued.document.read()
    with pytest.raises(ValidationError):
        services.update_bulletin(issued, user=org.user("office"), title="改", issuer="改")
    with pytest.raises(ValidationError):
        services.issue_bulletin(issued, user=org.user("office"))
    with pytest.raises(ValidationError):
        services.delete_bulletin(issued, user=org.user("office"))
    client = login(org.user("office"))
    assert client.get(reverse("inspections:bulletin_edit", args=[issued.pk])).status_code == 403
    assert client.post(reverse("inspections:bulletin_edit", args=[issued.pk]),
                       {"title": "改", "issuer": "改"}).status_code == 403
    assert client.post(reverse("inspections:bulletin_delete", args=[issued.pk])).status_code == 403
    again = client.post(reverse("inspections:bulletin_issue", args=[issued.pk]))
    assert again.status_code == 302
    issued.refresh_from_db()
    assert (issued.title, issued.sequence) == ("关于一社区安全防范工作督查情况的通报", 1)
    detail = client.get(issued.get_absolute_url()).content.decode()
    assert "〔2026〕1号" in detail and reverse("inspections:bulletin_edit", args=[issued.pk]) not in detail
    # the download is the document frozen when it was issued, even after the orders move on
    RectificationOrder.objects.filter(finding__visit=issued.visit).update(state=OrderState.IN_PROGRESS)
    states = [_states(bulletin_docx(issued)), _states(frozen)]
    assert states == [["整改中", "整改中"], ["待整改", "待整改"]]
    download = client.get(reverse("inspections:bulletin_download", args=[issued.pk]))
    assert download.status_code == 200 and download.content == frozen


def test_the_pages_draft_edit_and_issue_a_bulletin(org, visit, login):
    client = login(org.user("office"))
    form = client.get(reverse("inspections:bulletin_create") + f"?visit={visit.pk}")
    assert form.status_code == 200 and "一社区" in form.content.decode()
    bad = client.post(reverse("inspections:bulletin_create") + f"?visit={visit.pk}", {"title": "", "issuer": "办"})
    assert bad.status_code == 200 and 'data-field="title"' in bad.content.decode()
    made = client.post(reverse("inspections:bulletin_create") + f"?visit={visit.pk}",
                       {"title": "督查通报", "issuer": "测试街道平安建设办公室", "body": "正文",
                        "report_to": "区平安办", "send_to": "各社区"})
    bulletin = Bulletin.objects.get()
    assert made.status_code == 302 and bulletin.distribution == "报：区平安办\n发：各社区"
    edit = client.get(reverse("inspections:bulletin_edit", args=[bulletin.pk]))
    assert 'value="区平安办"' in edit.content.decode()
    client.post(reverse("inspections:bulletin_edit", args=[bulletin.pk]),
                {"title": "督查通报（修改）", "issuer": "测试街道平安建设办公室", "report_to": "区平安办"})
    bulletin.refresh_from_db()
    assert bulletin.title == "督查通报（修改）" and split_distribution(bulletin.distribution)["send_to"] == ""
    issued = client.post(reverse("inspections:bulletin_issue", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert issued.status_code == 302 and bulletin.state == BulletinState.ISSUED
    assert bulletin.sequence == 1 and bulletin.year == timezone.localdate().year and bulletin.document
    assert client.get(reverse("inspections:bulletin_list")).status_code == 200


def test_a_user_who_may_only_view_cannot_issue(org, visit, login):
    draft = _draft(org, visit)
    refused = login(org.user("viewer")).post(reverse("inspections:bulletin_issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert refused.status_code == 403 and draft.state == BulletinState.DRAFT


def test_the_document_is_a4_in_chinese_with_both_findings_photos_and_distribution(org, visit):
    from docx import Document
    from docx.oxml.ns import qn

    issued = _issue(org, _draft(org, visit), datetime(2026, 12, 8, 9, 0, tzinfo=SH))
    doc = Document(io.BytesIO(issued.document.read()))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "测试街道平安建设办公室督查通报" in text and "〔2026〕1号" in text
    assert "关于一社区安全防范工作督查情况的通报" in text and "2026年12月8日" in text
    assert "报：区平安建设领导小组办公室" in text and "发：各社区居委会" in text
    assert text.index("现将有关情况通报如下") < text.index("报：区平安建设领导小组办公室")
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:8] == ["序号", "场所", "隐患", "等级", "责任单位", "责任人", "整改期限", "状态"]
    assert [r[2] for r in rows[1:]] == ["油罐区堆放杂物", "应急照明损坏"]
    assert rows[1][1] == "东湖加油站" and rows[1][3] == "较大隐患" and rows[1][4] == "东湖加油站有限公司"
    assert rows[1][5] == "钱晓东" and rows[1][6] == "2026年12月14日 10:00" and rows[1][7] == "待整改"
    pictures = table.rows[1].cells[-1]._element.findall(".//" + qn("w:drawing"))
    assert len(pictures) == 1 and not table.rows[2].cells[-1]._element.findall(".//" + qn("w:drawing"))
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for row in table.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr is not None and r._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
                        for r in runs)


def test_a_draft_downloads_unnumbered(org, visit, login):
    from docx import Document

    draft = _draft(org, visit)
    response = login(org.user("office")).get(reverse("inspections:bulletin_download", args=[draft.pk]))
    assert response.status_code == 200
    assert "（草稿，未编号）" in "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    draft.refresh_from_db()
    assert draft.sequence is None and not draft.document
