"""The audit names the right duty and the right person: reports answer named clocks, each clock
has its responsible unit and person from the policy's role, back-dated level changes, and the
six kinds of major emergency as policy data (preset B)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from shouwang.core.choices import GroupKind, PersonKind, Position, UnitKind
from shouwang.core.models import Group, Membership, Person, Unit
from shouwang.core.templatetags.shouwang import countdown
from shouwang.incidents import services
from shouwang.incidents.models import Report
from shouwang.obligations.choices import State
from tests.incidents.conftest import T0, make_incident, report_fields


def rules(incident):
    return {o.rule: o for o in services.obligations_of(incident)}


def report(incident, org, when, **kw):
    fields = {"kind": "first", "means": "phone", "reported_by": "值班员", "reported_to": "街道"} | kw
    with time_machine.travel(when, tick=False):
        return services.submit_report(incident, user=org.user("office"), **fields, **report_fields())[0]


@pytest.fixture
def offices(org):
    """The community's residents' committee and office director; the street's leading group leader."""
    committee = Unit.objects.create(jurisdiction=org.c1, name="一社区居委会", kind=UnitKind.RESIDENTS_COMMITTEE)
    street_unit = Unit.objects.create(jurisdiction=org.street, name="测试街道办事处", kind=UnitKind.GOVERNMENT)
    office = Group.objects.create(jurisdiction=org.c1, name="一社区办公室", kind=GroupKind.OFFICE)
    director = Person.objects.create(jurisdiction=org.c1, name="社区主任", kind=PersonKind.STAFF)
    Membership.objects.create(group=office, person=director, position=Position.DIRECTOR)
    leading = Group.objects.create(jurisdiction=org.street, name="街道领导小组", kind=GroupKind.LEADING)
    leader = Person.objects.create(jurisdiction=org.street, name="分管安全副主任", kind=PersonKind.STAFF)
    Membership.objects.create(group=leading, person=leader, position=Position.LEADER)
    commander = Person.objects.create(jurisdiction=org.c1, name="派出所所长", kind=PersonKind.POLICE)
    return {"committee": committee, "street_unit": street_unit, "director": director, "leader": leader,
            "commander": commander}


def test_a_phone_report_to_the_superior_meets_the_superior_and_major_phone_clocks(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    assert set(rules(incident)) == {"report_to_leading_group", "report_to_superior", "major_phone_report",
                                    "major_written_report"}
    first = report(incident, org, T0 + timedelta(minutes=15), addressee="superior_office")
    assert set(first.answers) == {"report_to_superior", "major_phone_report"}
    now = rules(incident)
    assert now["report_to_superior"].met_at and now["major_phone_report"].met_at
    assert now["report_to_leading_group"].met_at is None  # a report to the superior is not one to the leading group
    # the written report answers the written clock, named explicitly
    written = report(incident, org, T0 + timedelta(minutes=50), kind="written", means="written",
                     answers=["major_written_report"])
    assert written.answers == ["major_written_report"] and rules(incident)["major_written_report"].met_at


def test_named_clocks_are_checked(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    for answers, word in ((["no_such_clock"], "no_such_clock"), (["major_written_report"], "书面报告")):
        with pytest.raises(ValidationError) as caught:
            report(incident, org, T0 + timedelta(minutes=5), answers=answers)
        assert "answers" in caught.value.message_dict and word in caught.value.message_dict["answers"][0]
    assert not Report.objects.exists()  # nothing half-written


def test_without_an_addressee_the_earliest_clock_of_its_means(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="IV")
    first = report(incident, org, T0 + timedelta(minutes=5))
    assert first.answers == ["report_to_leading_group"]


def test_each_clock_has_the_unit_and_person_of_its_role(org, preset_b, offices):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II", commander="派出所所长")
    clocks = rules(incident)
    assert (clocks["report_to_leading_group"].responsible_unit, clocks["report_to_leading_group"].responsible_person) \
        == (offices["committee"], offices["director"])
    assert clocks["major_phone_report"].responsible_person == offices["leader"]
    assert clocks["major_phone_report"].responsible_unit == offices["street_unit"]
    assert clocks["report_to_superior"].responsible_person == offices["commander"]


def test_a_back_dated_downgrade_leaves_clocks_missed_by_then_and_logs_its_time(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        with pytest.raises(ValidationError) as caught:
            services.change_level(incident, "IV", user=org.user("office"), at=T0 + timedelta(hours=4))
        assert "at" in caught.value.message_dict
        # decided at 09:45 (entered at 12:20): the 40-minute phone clock (due 10:00) is waived from then
        services.change_level(incident, "IV", user=org.user("office"), at=T0 + timedelta(minutes=25))
    clocks = rules(incident)
    assert clocks["major_phone_report"].state_at() == State.WAIVED
    assert clocks["major_phone_report"].waived_at == T0 + timedelta(minutes=25)
    assert clocks["report_to_leading_group"].state_at() == State.MISSED  # due 09:40, missed before the change
    assert incident.log.get(kind="level").at == T0 + timedelta(minutes=25)


def test_a_flood_at_level_three_is_major_from_what_it_is(org, preset_b):
    with time_machine.travel(T0, tick=False):
        flood = make_incident(org, category="flood", level="III", title="内涝")
        fire = make_incident(org, category="fire", level="III", title="仓库火灾")
    assert flood.is_major and flood.major_kind == "natural_disaster" and "重大自然灾害" in flood.major_basis
    assert {"major_phone_report", "major_written_report"} <= set(rules(flood))
    assert not fire.is_major and "major_phone_report" not in rules(fire)
    # downgraded to IV: no longer one of the kinds
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        services.change_level(flood, "IV", user=org.user("office"))
    flood.refresh_from_db()
    assert not flood.is_major and flood.major_basis == ""


def test_the_office_chooses_a_kind_the_data_cannot_tell(org, preset_b):
    with time_machine.travel(T0, tick=False):
        case = make_incident(org, category="dispute", level="IV", title="涉外纠纷", major_kind="defence_foreign_affairs")
        with pytest.raises(ValidationError) as caught:
            make_incident(org, category="dispute", level="IV", title="x", major_kind="nonsense")
    assert "major_kind" in caught.value.message_dict
    assert case.is_major and case.major_reasons == ["涉及国防、外交的突发事件"]
    assert "major_phone_report" in rules(case)


def test_a_correction_supersedes_and_keeps_the_original(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="IV")
    original = report(incident, org, T0 + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        services.correct_report(original, user=org.user("office"), reason=" ", dead=1)
    fixed = services.correct_report(original, user=org.user("office"), reason="伤亡数字更正", seriously_injured=2)
    original.refresh_from_db()
    assert fixed.supersedes == original and original.seriously_injured == 1 and fixed.seriously_injured == 2
    assert fixed.reported_at == original.reported_at and fixed.answers == []
    with pytest.raises(ValidationError):
        services.correct_report(original, user=org.user("office"), reason="再改", dead=0)


def test_the_audit_names_the_clock_by_its_label_with_its_person(org, preset_b, offices):
    from shouwang.audit import queries as audit

    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="IV")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        rows = [r for r in audit.build(org.street, T0.date(), T0.date()).rows if r.obligation.subject_id == str(incident.pk)]
    missed = {r.obligation.rule: r for r in rows}
    row = missed["report_to_leading_group"]
    assert "社区办公室20分钟内报告领导小组" in row.basis and "report_to_leading_group" not in row.basis
    assert (row.unit_name, row.person_name) == ("一社区居委会", "社区主任")


def test_the_api_answers_clocks_in_local_time_with_labels_and_takes_named_answers(org, preset_b, offices, api):
    office = api(org.user("office"))
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    clocks = office.get(f"/api/incidents/{incident.pk}/clocks/").json()
    row = next(c for c in clocks if c["rule"] == "report_to_leading_group")
    assert row["due_at"].endswith("+08:00") and row["label"] == "社区办公室20分钟内报告领导小组"
    assert row["responsible_person"] == "社区主任" and row["state_label"]
    payload = {"incident": incident.pk, "kind": "first", "means": "phone", "reported_by": "值班员", "reported_to": "领导小组",
               "answers": ["report_to_leading_group"]}
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        made = office.post("/api/incident-reports/", payload, format="json")
        bad = office.post("/api/incident-reports/", {**payload, "answers": ["report_to_leading_group"]}, format="json")
    assert made.status_code == 201 and made.json()["answers"] == ["report_to_leading_group"]
    assert bad.status_code == 400 and "answers" in bad.json()  # met already: not an open clock
    corrected = office.post(f"/api/incident-reports/{made.json()['id']}/correct/",
                            {"correction_reason": "伤亡更正", "dead": 1}, format="json")
    assert corrected.status_code == 201 and corrected.json()["supersedes"] == made.json()["id"]
    grid = api(org.user("grid1")).post(f"/api/incident-reports/{made.json()['id']}/correct/",
                                       {"correction_reason": "x", "dead": 2}, format="json")
    assert grid.status_code == 403
    # a back-dated level change through the API, and an alert's time in whole seconds
    with time_machine.travel(T0 + timedelta(hours=1, seconds=7, microseconds=123456), tick=False):
        changed = office.post(f"/api/incidents/{incident.pk}/level/", {"level": "IV", "at": (T0 + timedelta(minutes=30)).isoformat()},
                              format="json")
        alert = office.post(f"/api/incidents/{incident.pk}/cap/", {"headline": "管控"}, format="json").json()
    assert changed.status_code == 200 and incident.log.get(kind="level").at == T0 + timedelta(minutes=30)
    assert alert["sent"] == "2026-11-23T10:20:07+08:00" and "<sent>2026-11-23T10:20:07+08:00</sent>" in alert["xml"]


# ---------------------------------------------------------------- the pages of these

def test_the_report_form_offers_the_open_clocks_by_label_and_files_the_chosen_ones(org, preset_b, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    client = login(org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        page = client.get(f"/incidents/all/{incident.pk}/report/").content.decode()
        assert 'value="major_phone_report"' in page and "报送层级" in page
        assert "report_to_superior" in page and "时限 2026年" in page  # label with the due time, not the key only
        data = {"kind": "first", "means": "phone", "reported_by": "值班员", "reported_to": "区应急办",
                "addressee": "superior_office", "answers": ["major_phone_report"],
                "reported_at": (T0 + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")}
        done = client.post(f"/incidents/all/{incident.pk}/report/", data)
    assert done.status_code == 302
    filed = Report.objects.get(incident=incident)
    assert filed.answers == ["major_phone_report"] and filed.addressee == "superior_office"
    now = rules(incident)
    assert now["major_phone_report"].met_at and now["report_to_superior"].met_at is None
    assert "重大" in client.get(filed.get_absolute_url()).content.decode()


def test_the_level_page_takes_the_time_it_was_decided(org, preset_b, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="IV")
    client = login(org.user("office"))
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        future = client.post(f"/incidents/all/{incident.pk}/level/", {
            "level": "II", "at": (T0 + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"), "reason": "x"})
        assert future.status_code == 200 and "该时间在未来" in future.content.decode()
        done = client.post(f"/incidents/all/{incident.pk}/level/", {
            "level": "II", "at": (T0 + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"), "reason": "伤亡扩大"})
    assert done.status_code == 302
    entry = incident.log.filter(kind="level").latest("at")
    assert entry.at == T0 + timedelta(minutes=30) and "伤亡扩大" in entry.text
    assert "major_phone_report" in rules(incident)  # level II brings the major clocks


def test_the_office_picks_the_kind_of_major_emergency_and_the_page_says_why(org, preset_b, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="IV")
    client = login(org.user("office"))
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "选择重大突发事件类别" in page
    form = client.get(f"/incidents/all/{incident.pk}/major/").content.decode()
    assert "重大事故" in form or "重大" in form
    kind = services.major_kinds(incident)[-1]
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert client.post(f"/incidents/all/{incident.pk}/major/", {"major_kind": kind["kind"]}).status_code == 302
    incident.refresh_from_db()
    assert incident.major_kind == kind["kind"]
    assert kind["label"] in client.get(incident.get_absolute_url()).content.decode()
    assert "major_phone_report" in rules(incident)


def test_the_office_corrects_a_report_on_its_page_and_a_grid_worker_may_not(org, preset_b, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="III")
    first = report(incident, org, T0 + timedelta(minutes=10))
    url = f"/incidents/reports/{first.pk}/correct/"
    assert login(org.user("grid1")).get(url).status_code in (403, 404)
    client = login(org.user("office"))
    assert "更正此报告" in client.get(first.get_absolute_url()).content.decode()
    empty = client.post(url, {"correction_reason": "", "reported_to": first.reported_to, "dead": 0,
                              "seriously_injured": 1, "lightly_injured": 2})
    assert empty.status_code == 200 and "更正原因" in empty.content.decode()
    fields = {"correction_reason": "伤亡数字核实后更正", "reported_to": first.reported_to, "place": first.place,
              "scale": first.scale, "dead": 1, "seriously_injured": 1, "lightly_injured": 2, "cause": first.cause,
              "assessment": first.assessment, "measures": first.measures, "progress": first.progress,
              "other": first.other, "event_time": first.event_time.astimezone(T0.tzinfo).strftime("%Y-%m-%dT%H:%M")}
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        done = client.post(url, fields)
    assert done.status_code == 302
    correction = Report.objects.get(supersedes=first)
    first.refresh_from_db()
    assert correction.dead == 1 and first.dead == 0 and correction.correction_reason == "伤亡数字核实后更正"
    assert "已被后续版本更正" in client.get(first.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 302 or "最新版本" in client.post(url, fields, follow=True).content.decode()


def test_clocks_count_down_in_one_format_and_overdue_says_how_long(org, preset_b, login):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="III")
    client = login(org.user("office"))
    due = min(o.due_at for o in services.obligations_of(incident))
    with time_machine.travel(due + timedelta(minutes=20), tick=False):
        page = client.get(incident.get_absolute_url()).content.decode()
    assert "超时 20分00秒" in page
    assert "0 分钟" not in page and "0\xa0分钟" not in page
    assert "剩余 20分00秒" in page  # the one-hour clock, 20 minutes before its end
    # the same format from an hour up, the one countdown.js writes live (data-long / data-short)
    with translation.override("zh-hans"):
        assert countdown(-(3600 + 27 * 60 + 45)) == "1小时27分" and countdown(75) == "1分15秒"
    assert 'data-long="%(h)s小时%(m)02d分"' in page
