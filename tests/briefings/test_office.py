"""The office's routine around the briefings: scheduled briefings as obligations from policy (preset
C's daily briefing, met when issued), the daily consultation whose decisions become obligations,
wall screens (a read-only account that never logs out), and the charts' CJK font."""

import warnings
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.briefings import charts, services, tasks
from shouwang.briefings.choices import KIND_BRIEFING, KIND_DECISION
from shouwang.briefings.models import Consultation, Decision, WallScreen
from shouwang.core import scheduler
from shouwang.core.choices import PersonKind, Role, UnitKind
from shouwang.core.models import Person, RoleAssignment, Unit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.policies.models import Policy
from shouwang.policies.services import assign, load_presets
from tests.briefings.conftest import TZ

TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)


@pytest.fixture
def posture_c(org, media):
    """Preset C on the street (its daily briefing due at 10:00 the next day), the street's office unit."""
    with time_machine.travel(TUESDAY - timedelta(days=30), tick=False):
        load_presets(out=lambda *_: None)
    assign(org.street, Policy.objects.get(code="event-security-posture-c"))
    return Unit.objects.create(jurisdiction=org.street, name="测试街道办事处", kind=UnitKind.GOVERNMENT)


def test_the_daily_briefing_is_an_obligation_from_preset_c_met_when_issued(org, posture_c, client):
    with time_machine.travel(TUESDAY, tick=False):
        opened = tasks.open_scheduled_briefings()
        tasks.open_scheduled_briefings()  # idempotent: the same two
    assert scheduler.JOBS["open_scheduled_briefings"].task is tasks.open_scheduled_briefings
    obligations = Obligation.objects.of_kind(KIND_BRIEFING).order_by("due_at")
    assert opened == 2 and obligations.count() == 2  # today's (Monday's briefing) and tomorrow's
    monday = obligations.first()
    assert monday.jurisdiction == org.street and monday.responsible_unit == posture_c
    assert monday.due_at == datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    assert monday.key == services.briefing_key(org.street, 1, date(2026, 11, 23))
    assert not Obligation.objects.of_kind(KIND_BRIEFING).exclude(jurisdiction=org.street).exists()  # the street issues it
    office, leader = org.user("office"), org.user("leader")
    # the desk's home page says it is due, with the button that makes it (its node, period preset)
    client.force_login(office)
    with time_machine.travel(TUESDAY + timedelta(minutes=30), tick=False):
        home = client.get("/").content.decode()
    assert f'data-scheduled="{monday.pk}"' in home
    assert f"/briefings/briefings/new/?jurisdiction={org.street.pk}&amp;days=1&amp;end=2026-11-23" in home
    with time_machine.travel(TUESDAY + timedelta(minutes=40), tick=False):
        briefing = services.generate_briefing(node=org.street, days=1, end=date(2026, 11, 23), user=office)
        services.review_briefing(briefing, user=leader)
        services.issue_briefing(briefing, user=leader)
    monday.refresh_from_db()
    assert monday.state_at(TUESDAY + timedelta(hours=3)) == State.MET
    assert "2026年第1期" in monday.evidence
    # a 3-day briefing is made as needed: it meets no daily obligation
    with time_machine.travel(TUESDAY + timedelta(hours=1), tick=False):
        three = services.generate_briefing(node=org.street, days=3, end=date(2026, 11, 23), user=office)
    assert three.days == 3


def test_the_schedule_is_checked_against_the_cycles(org):
    from shouwang.policies.validation import validate_rules

    with pytest.raises(ValidationError) as bad:
        validate_rules({"briefing_cycles_days": [1, 3, 5, 7], "briefing_schedule": [{"days": 2, "due": "25:00"}]})
    problems = bad.value.message_dict["rules"]
    assert len(problems) == 3 and any("25:00" in p for p in problems)  # not a cycle, not a time, no levels
    validate_rules({"briefing_cycles_days": [1, 7], "briefing_schedule": [{"days": 7, "due": "10:00", "levels": ["street"]}]})


def test_a_consultations_decisions_are_obligations_met_when_done(org, posture_c):
    office = org.user("office")
    person = Person.objects.create(jurisdiction=org.c1, name="一社区书记", kind=PersonKind.CONTACT, user=org.user("grid1"))
    with time_machine.travel(TUESDAY, tick=False):
        consultation = services.record_consultation(
            node=org.street, date=TUESDAY.date(), attendees="街道分管领导\n派出所\n各社区书记", items="昨日简报\n明日大型活动安保",
            analysis="总体平稳，活动期间客流大。", user=office,
            decisions=[{"text": "一社区今晚加派夜巡志愿者", "due_at": TUESDAY + timedelta(hours=12), "responsible_person": person}])
        with pytest.raises(ValidationError) as twice:
            services.record_consultation(node=org.street, date=TUESDAY.date(), attendees="甲", items="乙", user=office)
        assert "date" in twice.value.message_dict
        with pytest.raises(ValidationError) as bad:
            services.add_decision(consultation, text="", due_at=TUESDAY - timedelta(hours=1), user=office)
        assert set(bad.value.message_dict) == {"text", "due_at", "responsible_person"}
    decision = Decision.objects.get()
    ob = Obligation.objects.for_subject(decision).get()
    assert ob.kind == KIND_DECISION and ob.responsible_person == person and ob.due_at == TUESDAY + timedelta(hours=12)
    # the person it is on marks it done (not the office's right: his duty); someone else may not
    with time_machine.travel(TUESDAY + timedelta(hours=3), tick=False):
        with pytest.raises(PermissionDenied):
            services.complete_decision(decision, user=org.user("grid2"), note="")
        services.complete_decision(decision, user=org.user("grid1"), note="已加派4名志愿者")
        with pytest.raises(ValidationError):
            services.complete_decision(decision, user=office)
    ob.refresh_from_db()
    assert ob.state_at(TUESDAY + timedelta(hours=4)) == State.MET
    assert consultation.attendees.splitlines() == ["街道分管领导", "派出所", "各社区书记"]
    assert Consultation.objects.count() == 1


def test_a_wall_screen_is_a_read_only_account_that_never_logs_out(org, client):
    leader = org.user("leader")
    with pytest.raises(PermissionDenied):  # the office may not make accounts
        services.create_wall_screen(node=org.street, name="城运中心大屏", user=org.user("office"))
    screen = services.create_wall_screen(node=org.street, name="城运中心大屏", user=leader)
    account = screen.user
    assert not account.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=account).values_list("role", "jurisdiction")) == [
        (Role.VIEWER, org.street.pk)]
    response = client.get(f"/briefings/wall/open/{screen.token}/")
    assert response.status_code == 302 and response["Location"] == f"/briefings/wall/?node={org.street.pk}"
    assert client.session.get_expiry_age() > 365 * 24 * 3600  # no login timeout
    wall = client.get(response["Location"])
    assert wall.status_code == 200 and "一社区" in wall.content.decode() and "二社区" in wall.content.decode()
    assert client.post("/briefings/briefings/new/", {"jurisdiction": org.street.pk, "days": 1,
                                                     "end": "2026-01-01"}).status_code == 403  # read-only
    old = screen.token
    services.renew_wall_link(screen, user=leader)
    assert client.get(f"/briefings/wall/open/{old}/").status_code == 404
    services.revoke_wall_screen(screen, user=leader)
    account.refresh_from_db()
    assert not account.is_active and WallScreen.objects.get().revoked_at
    assert client.get(f"/briefings/wall/?node={org.street.pk}").status_code == 302  # its session is over


def test_charts_draw_chinese_text_without_a_missing_glyph():
    spec = {"kind": "bar", "title": "各社区每日报送情况", "labels": ["柳岸社区", "云杉社区", "桂香社区"], "stacked": True,
            "series": [{"name": "按时", "data": [3, 2, 1], "state": "met"}, {"name": "漏报", "data": [0, 1, 2],
                                                                             "state": "missed"}]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for a missing character
        for kind in ("bar", "hbar", "line"):
            assert charts.png({**spec, "kind": kind})[:8] == b"\x89PNG\r\n\x1a\n"
        assert charts.png({"kind": "pie", "title": "重点场所风险等级", "labels": ["红色", "绿色"],
                           "series": [{"name": "场所", "data": [1, 3], "states": ["red", "green"]}]})
    assert charts.colours()["missed"] == "#c0392b"  # the page's colour tokens


def test_without_a_cjk_font_charts_say_so(monkeypatch):
    """A chart with boxes for every character is not printed: the missing font is named."""
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "FONT_FILES", ())
    monkeypatch.setattr(charts, "FONT_NAMES", __import__("re").compile("no-such-font"))
    try:
        with pytest.raises(charts.MissingFont, match="fonts-wqy-microhei"):
            charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()


def test_a_unit_of_the_street_names_the_issuer_by_default(org, posture_c):
    assert services.default_issuer(org.street) == "测试街道办事处"
    assert services.default_issuer(org.c1) == "一社区"
    assert get_user_model().objects.filter(username__startswith="wall-").count() == 0
