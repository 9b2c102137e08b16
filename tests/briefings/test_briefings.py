"""Briefings made from the data (issue 17's "Done when"): a 3-day briefing of the demo street with a
moved clock has the counts the records give (counted here independently, from the raw rows), its
Word document reads back with the header, the charts as images and the Chinese font on every run;
issuing twice is refused; the same period made again gives the same figures; figures link to the
lists behind them."""

import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from docx.oxml.ns import qn

from shouwang.briefings import content, services
from shouwang.briefings.choices import KIND_OF_SLOT, BriefingState
from shouwang.briefings.document import briefing_docx
from shouwang.briefings.models import Briefing
from shouwang.core.models import ChangeLogEntry, Jurisdiction
from shouwang.incidents import services as incidents
from shouwang.incidents.models import Incident
from shouwang.inspections.models import Finding
from shouwang.obligations.filtersets import ObligationFilterSet
from shouwang.obligations.models import Obligation
from shouwang.patrols.models import CheckIn
from tests.briefings.conftest import DEMO_NOW, TZ

START, END = DEMO_NOW.date() - timedelta(days=2), DEMO_NOW.date()  # 22–24 November, today included
LEVEL_WORD = {"I": "特别重大", "II": "重大", "III": "较大", "IV": "一般"}


def _user(name):
    return get_user_model().objects.get(username=name)


def _range():
    return datetime(2026, 11, 22, tzinfo=TZ), datetime(2026, 11, 25, tzinfo=TZ)


def _states(kinds, street):
    """{state: n} of the obligations of these kinds due in the period, as of the data time, read raw."""
    start, end = _range()
    rows = Obligation.objects.filter(kind__in=kinds, jurisdiction__path__startswith=street.path,
                                     due_at__gte=start, due_at__lt=end)
    return Counter(ob.state_at(DEMO_NOW).value for ob in rows)


@pytest.fixture
def briefed(demo):
    """The demo street with one more incident on the 22nd, and its 3-day briefing made at 10:30 today."""
    street = demo
    office = _user("office")
    with time_machine.travel(DEMO_NOW, tick=False):  # entered now, received on the 22nd: a late entry
        incidents.intake(user=office, jurisdiction=Jurisdiction.objects.get(code="QL-WC-LA"), title="电动车充电起火",
                         category="fire", level="IV", address="柳岸路8号车棚",
                         received_at=datetime(2026, 11, 22, 14, 5, tzinfo=TZ))
    with time_machine.travel(DEMO_NOW, tick=False):
        briefing = services.generate_briefing(node=street, days=3, end=END, user=office)
    return street, briefing


def _section(briefing, key):
    return next(s for s in briefing.sections if s["key"] == key)


def _total_row(table):
    return [c["text"] if isinstance(c, dict) else c for c in table["rows"][-1]]


def test_a_three_day_briefing_of_the_demo_street_has_the_counts_of_the_records(briefed):
    street, briefing = briefed
    start, end = _range()
    assert (briefing.start, briefing.end, briefing.days, briefing.data_at) == (START, END, 3, DEMO_NOW)
    assert briefing.state == BriefingState.DRAFT and briefing.sequence is None

    # incidents: received in the period, confirmed, by level (the demo's metro, package and dispute today, the fire)
    received = Incident.objects.filter(jurisdiction__path__startswith=street.path, received_at__gte=start,
                                       received_at__lt=end).exclude(status="draft")
    by_level = Counter(received.values_list("level", flat=True))
    assert sum(by_level.values()) == 4
    text = _section(briefing, "incidents")["text"][0]
    assert text.startswith(f"本期共接报突发事件{sum(by_level.values())}起")
    for level, n in by_level.items():
        assert f"{LEVEL_WORD[level]}{n}起" in text
    table = _section(briefing, "incidents")["tables"][0]
    assert _total_row(table)[-1] == sum(by_level.values())
    clocks = _states([k for k in Obligation.objects.values_list("kind", flat=True) if k.startswith("incidents.")],
                     street)
    ended = clocks["met"] + clocks["met_late"] + clocks["missed"] + clocks["waived"]
    assert f"到期{ended}项，按时完成{clocks['met']}项，超时完成{clocks['met_late']}项，超时未完成{clocks['missed']}项" in \
        _section(briefing, "incidents")["text"][-1]

    # daily reports: the communities' reports due in the period, by how they ended
    reports = _states(KIND_OF_SLOT.values(), street)
    due = reports["met"] + reports["met_late"] + reports["missed"] + reports["waived"]
    assert due == 6 * 2 * 2 + 6  # six communities: two slots on the 22nd and 23rd, this morning's today
    sentence = _section(briefing, "daily_reports")["text"][0]
    assert (f"应报送每日早晚报{due}份，按时{reports['met']}份，迟报{reports['met_late']}份，漏报{reports['missed']}份"
            in sentence)
    assert reports["missed"] >= 1 and "云杉社区11月24日早报" in _section(briefing, "daily_reports")["text"][1]
    pending = reports["open"] + reports["due_soon"] + reports["upcoming"]
    assert pending == 6  # this evening's reports are not due yet
    assert _total_row(_section(briefing, "daily_reports")["tables"][0])[1:6] == [
        due + pending, reports["met"], reports["met_late"], reports["missed"], pending]

    # patrols: check-in windows and check-ins
    windows = _states(["patrols.checkin"], street)
    checkins = CheckIn.objects.filter(jurisdiction__path__startswith=street.path, at__gte=start, at__lt=end).count()
    patrol_text = _section(briefing, "patrols")["text"][0]
    assert f"打卡任务到期{windows['met'] + windows['met_late'] + windows['missed']}个，按时完成{windows['met']}个" in patrol_text
    assert f"共打卡{checkins}次" in patrol_text and checkins > 0

    # hazards found in the period
    found = Finding.objects.filter(jurisdiction__path__startswith=street.path, found_at__gte=start,
                                   found_at__lt=end).exclude(severity="note").count()
    hazards = _section(briefing, "inspections")["text"][0]
    assert (f"发现隐患{found}处" in hazards) if found else hazards.startswith("本期未发现新的隐患")

    # risk colours: the key places' count
    assert re.search(r"辖区重点场所\d+处", _section(briefing, "risk")["text"][0])
    # the order of the sections is the registry's
    assert [s["key"] for s in briefing.sections][:3] == ["incidents", "daily_reports", "patrols"]


def test_the_word_document_reads_back_with_header_charts_and_the_chinese_font(briefed):
    street, briefing = briefed
    office = _user("office")
    with time_machine.travel(DEMO_NOW + timedelta(minutes=5), tick=False):
        services.edit_briefing(briefing, user=office, title=briefing.title, issuer="望川街道平安办",
                               remark="各社区要盯紧晚报时限。", notes={"patrols": "明湖社区夜巡力量偏紧。"},
                               distribution="报：区委政法委\n送：区应急局\n发：各社区")
        services.review_briefing(briefing, user=_user("leader"))
        services.issue_briefing(briefing, user=_user("leader"))
    briefing.refresh_from_db()
    doc = Document(io.BytesIO(briefing.document.open("rb").read()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "望川街道安全形势简报（3日）"  # the masthead: the briefing's name
    assert texts[1] == "2026年第2期"  # its number of the year (the demo issued the first this morning)
    assert texts[2].startswith("望川街道平安办编") and texts[2].endswith("2026年11月24日")  # office and date
    assert any(t == "按语：各社区要盯紧晚报时限。" for t in texts)
    assert any(t == "编者注：明湖社区夜巡力量偏紧。" for t in texts)
    assert texts[-3:] == ["报：区委政法委", "送：区应急局", "发：各社区"]
    assert "一、突发事件" in texts and "二、每日报送" in texts
    charts = sum(len(s["charts"]) for s in briefing.sections)
    assert charts >= 3 and len(doc.inline_shapes) == charts  # every chart as an image
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr is not None and r._element.rPr.rFonts is not None
                        and r._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" for r in runs)


def test_issuing_numbers_per_year_and_node_freezes_and_is_refused_twice(briefed, media):
    street, briefing = briefed
    leader = _user("leader")
    with time_machine.travel(DEMO_NOW, tick=False):
        with pytest.raises(ValidationError, match="审核后才能印发"):
            services.issue_briefing(briefing, user=leader)
        services.review_briefing(briefing, user=leader)
        issued = services.issue_briefing(briefing, user=leader)
        assert issued.number_text == "2026年第2期" and issued.state == BriefingState.ISSUED and issued.document
        with pytest.raises(ValidationError, match="已经印发"):
            services.issue_briefing(briefing, user=leader)
        for change in (lambda: services.edit_briefing(briefing, user=leader, title="改", issuer="改"),
                       lambda: services.regenerate_briefing(briefing, user=leader),
                       lambda: services.delete_briefing(briefing, user=leader)):
            with pytest.raises(ValidationError):
                change()
        stored = issued.document.name
        second = services.generate_briefing(node=street, days=1, end=END - timedelta(days=1), user=leader)
        services.review_briefing(second, user=leader)
        assert services.issue_briefing(second, user=leader).number_text == "2026年第3期"
    briefing.refresh_from_db()
    assert briefing.document.name == stored and briefing.sequence == 2
    with time_machine.travel(datetime(2027, 1, 2, 9, tzinfo=TZ), tick=False):
        third = services.generate_briefing(node=street, days=1, end=date(2027, 1, 1), user=leader)
        services.review_briefing(third, user=leader)
        assert services.issue_briefing(third, user=leader).number_text == "2027年第1期"
    # every step is in the change log
    assert ChangeLogEntry.objects.filter(object_id=str(briefing.pk), content_type__model="briefing").count() >= 3


def test_a_grid_worker_may_read_but_not_make_or_issue_a_briefing(briefed):
    street, briefing = briefed
    grid = _user("grid")
    with pytest.raises(PermissionDenied):
        services.review_briefing(briefing, user=grid)
    with pytest.raises(PermissionDenied):
        services.generate_briefing(node=street, days=1, end=END, user=grid)


def test_the_same_period_made_again_gives_the_same_figures(briefed):
    """Every figure can be checked again: the same period at the same data time gives the same
    content; the figures of a period that has ended read the same an hour later when nothing in it
    changed (what stands "as of the data time", open hazards or coverage gaps, may have moved)."""
    street, briefing = briefed
    office = _user("office")
    with time_machine.travel(DEMO_NOW, tick=False):
        again = services.generate_briefing(node=street, days=3, end=END, user=office)
        ended = services.generate_briefing(node=street, days=1, end=END - timedelta(days=1), user=office)
    assert content.figures(again.content) == content.figures(briefing.content)
    with time_machine.travel(DEMO_NOW + timedelta(hours=1), tick=False):
        later = services.generate_briefing(node=street, days=1, end=END - timedelta(days=1), user=office)
    assert later.data_at == DEMO_NOW + timedelta(hours=1)
    for key in ("incidents", "daily_reports", "patrols", "risk"):
        assert _section(later, key)["tables"] == _section(ended, key)["tables"], key
        assert _section(later, key)["charts"] == _section(ended, key)["charts"], key
    # the document of a draft is made from the same figures, unnumbered
    assert Document(io.BytesIO(briefing_docx(briefing))).paragraphs[1].text == "（草稿，未编号）"


def test_each_figure_links_to_the_list_behind_it(briefed, rf):
    street, briefing = briefed
    table = _section(briefing, "daily_reports")["tables"][0]
    checked = 0
    for row in table["rows"]:
        for cell in row[1:5]:
            if not isinstance(cell, dict):
                continue
            url = urlsplit(cell["url"])
            assert url.path == "/obligations/board/"
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            request = rf.get(url.path, params)
            request.user = _user("office")
            with time_machine.travel(DEMO_NOW, tick=False):
                found = ObligationFilterSet(params, queryset=Obligation.objects.all(), request=request, now=DEMO_NOW)
                assert found.is_valid(), found.errors
                assert found.qs.count() == cell["text"], (row[0], params)
            checked += 1
    assert checked >= 6


def test_made_briefings_refuse_bad_periods_by_field(demo):
    office = _user("office")
    before = Briefing.objects.count()
    with time_machine.travel(DEMO_NOW, tick=False):
        with pytest.raises(ValidationError) as days:
            services.generate_briefing(node=demo, days=4, end=END, user=office)
        with pytest.raises(ValidationError) as future:
            services.generate_briefing(node=demo, days=1, end=END + timedelta(days=1), user=office)
    assert "days" in days.value.message_dict and "end" in future.value.message_dict
    assert Briefing.objects.count() == before
