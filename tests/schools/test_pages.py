"""Schools' pages as people read them: the street's table with a colour per column (in the same
number of queries for one school or six), a school's page (gate duty, guards, cameras, patrols,
drills with the evacuation trend, handovers, visitors, hazards), the visitor log with the document's
last four characters only, the office opening a make-up school day, the gate phone's shell and
data, and the home tiles of the school's staff, a host and the office."""

import uuid
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import UnitKind
from shouwang.core.models import Unit
from shouwang.plans.choices import DrillKind, DrillState
from shouwang.plans.models import Drill
from shouwang.schools import services
from shouwang.schools.models import Camera, GateWindow, KeySpot, School

from .conftest import NOW, visitor


def _tap(schools, key, window, **extra):
    return services.confirm_gate(schools.user(key), {"client_uuid": str(uuid.uuid4()), "window": window.pk, **extra})


def test_the_streets_table_colours_each_school(login, org, schools, clock):
    services.open_school_days(days=1)
    services.check_camera(schools.user("guard_b"), {"client_uuid": str(uuid.uuid4()), "result": "not_recording",
                                                    "camera": schools.middle.cameras.get().pk})
    clock.move_to(NOW + timedelta(minutes=80))  # 07:20: the arrival window is open
    window = GateWindow.objects.get(school=schools.primary, kind="arrival")
    _tap(schools, "guard_a", window)
    html = login(org.user("office1")).get(reverse("schools:school_list")).content.decode()
    assert "一社区小学" in html and "一社区中学" in html and "二社区幼儿园" not in html  # C2 is not his
    rows = dict(__import__("re").findall(r'data-school="(\d+)" data-colour="(\w+)"', html))
    # the middle school: a camera failing and one guard where four are required
    assert rows[str(schools.middle.pk)] == "missed"
    assert "1 / 4" in html
    # the primary school's gate is open with two roles still missing: it needs attention
    assert rows[str(schools.primary.pk)] in ("due_soon", "missed")
    assert "带班领导" in html or "leader on duty" in html
    # the middle school has no gate roster: the table says the roster lacks them, not that a guard is late
    middle_row = html.split(f'data-school="{schools.middle.pk}"')[1].split("</tr>")[0]
    assert "值班表未排 带班领导、保安、值周教师" in middle_row
    primary_row = html.split(f'data-school="{schools.primary.pk}"')[1].split("</tr>")[0]
    assert "缺少 带班领导、值周教师" in primary_row and "值班表未排" not in primary_row


def test_the_table_reads_the_same_number_of_queries_for_one_school_or_six(login, org, schools, clock):
    services.open_school_days(days=1)
    client = login(org.user("office"))
    client.get(reverse("schools:school_list"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("schools:school_list")).status_code == 200
        return len(queries)

    before = count()
    for i in range(3):
        unit = Unit.objects.create(jurisdiction=org.c1, name=f"加开学校{i}", kind=UnitKind.SCHOOL)
        school = services.save_school(School(unit=unit, pupils=300 + i))
        spot = KeySpot.objects.create(school=school, kind="gate", name="校门")
        Camera.objects.create(school=school, spot=spot, name="校门口")
    services.open_school_days(days=1)
    assert count() == before


def test_a_schools_page_shows_its_day(login, org, schools, clock):
    services.open_school_days(days=1)
    unit = schools.primary.unit
    for seconds, days_ago in ((150, 40), (110, 10)):
        start = timezone.now() - timedelta(days=days_ago)
        Drill.objects.create(jurisdiction=org.c1, title=f"疏散演练{days_ago}", kind=DrillKind.EVACUATION, unit=unit,
                             scheduled_at=start, category="fire", address="教学楼", state=DrillState.ENDED,
                             started_at=start, ended_at=start + timedelta(minutes=20), evacuation_signal_at=start,
                             all_clear_at=start + timedelta(seconds=seconds), target_seconds=120)
    client = login(org.user("office1"))
    html = client.get(schools.primary.get_absolute_url()).content.decode()
    for part in ("一社区小学保安", "一年级(1)班", "校门口1号", "evacuation-trend", "GB/T 29315-2022"):
        assert part in html, part
    assert "150" in html and "110" in html  # the trend's times
    assert 'class="state-missed">' in html  # 150 s over the 120 s target
    # the guard's own school page: his school, without the office's set-up links
    guard_html = login(schools.user("guard_a")).get(schools.primary.get_absolute_url()).content.decode()
    assert "一社区小学保安" in guard_html and reverse("schools:camera_create") not in guard_html
    assert login(schools.user("guard_a")).get(schools.middle.get_absolute_url()).status_code == 404


def test_the_visitor_log_shows_the_last_four_characters_only(login, org, schools, clock):
    entry = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="送货员", id_last4="4521")
    html = login(org.user("office1")).get(reverse("schools:visitorentry_list")).content.decode()
    assert "送货员" in html and "****4521" in html
    detail = login(schools.user("teacher_a")).get(entry.get_absolute_url())
    assert detail.status_code == 200 and "****4521" in detail.content.decode()
    assert login(schools.user("teacher_b")).get(entry.get_absolute_url()).status_code == 404
    assert login(org.user("grid1")).get(entry.get_absolute_url()).status_code == 404


def test_the_office_opens_a_make_up_school_day(login, org, schools, clock):
    saturday = (NOW + timedelta(days=4)).date()
    url = reverse("schools:school_open_day", args=[schools.primary.pk])
    assert login(schools.user("guard_a")).post(url, {"day": saturday.isoformat()}).status_code == 403
    response = login(org.user("office1")).post(url, {"day": saturday.isoformat()})
    assert response.status_code == 302
    assert sorted(GateWindow.objects.filter(school=schools.primary, day=saturday).values_list("kind", flat=True)) == [
        "arrival", "dismissal"]
    login(org.user("office1")).post(url, {"day": saturday.isoformat()})
    assert GateWindow.objects.filter(school=schools.primary, day=saturday).count() == 2


def test_the_gate_phone_page_and_its_data(login, org, schools, clock):
    services.open_school_days(days=1)
    entry = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="王师傅")
    shell = login(schools.user("guard_a")).get(reverse("schools:phone"))
    assert shell.status_code == 200 and b"outbox.js" in shell.content and b'id="visitor-form"' in shell.content
    data = login(schools.user("guard_a")).get(reverse("schools:phone_data")).json()
    assert [s["name"] for s in data["schools"]] == ["一社区小学"]
    assert [v["name"] for v in data["schools"][0]["inside"]] == ["王师傅"]
    assert [h["name"] for h in data["schools"][0]["hosts"]][:1] and data["windows"][0]["mine"]
    teacher = login(schools.user("teacher_a")).get(reverse("schools:phone_data")).json()
    assert teacher["schools"] == [] and [v["id"] for v in teacher["visitors_to_confirm"]] == [entry.pk]
    assert [c["name"] for c in teacher["classes"]] == ["一年级(1)班"]
    assert {w["kind"] for w in teacher["windows"]} and teacher["windows"][0]["mine"]
    other = login(schools.user("guard_b")).get(reverse("schools:phone_data")).json()
    assert other["schools"][0]["inside"] == [] and "王师傅" not in str(other)
    sw = login(schools.user("guard_a")).get(reverse("schools:phone_sw"))
    assert sw["Service-Worker-Allowed"] == reverse("schools:phone") and b"/schools/m/data.json" in sw.content


def test_home_tiles_of_the_school_a_host_and_the_office(login, org, schools, clock):
    import re

    services.open_school_days(days=1)
    visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"))

    def tiles(user):
        return set(re.findall(r'data-tile="([^"]+)"', login(user).get("/").content.decode()))

    assert "schools.my_school" in tiles(schools.user("guard_a"))
    assert "schools.my_visitors" in tiles(schools.user("teacher_a"))
    office = tiles(org.user("office"))
    assert "schools.street" in office and "schools.my_school" not in office
    html = login(org.user("office")).get("/").content.decode()
    assert "一社区中学" in html  # short of guards by the standard: named on the street's home page


def test_the_streets_table_prints_on_a4_landscape_in_chinese(login, org, schools, clock):
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT

    services.open_school_days(days=1)
    visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="不应出现")
    services.check_camera(schools.user("guard_b"), {"client_uuid": str(uuid.uuid4()), "result": "not_recording",
                                                    "camera": schools.middle.cameras.get().pk})
    response = login(org.user("office1")).get(reverse("schools:school_print"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    doc = Document(io.BytesIO(response.content))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "学校安全情况一览表" in text and "一社区" in text and "共2所" in text  # C1's two schools, not C2's
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in doc.tables[0].rows[1:]}
    assert set(rows) == {"一社区小学", "一社区中学"}
    assert "在编1名／应配4名（不足）" in rows["一社区中学"] and "不足" in rows["一社区中学"]
    assert "1个，今日已检查1个，故障1个" in rows["一社区中学"]
    assert "不应出现" not in response.content.decode("latin-1") and "不应出现" not in str(rows)
    # filtered like the page
    searched = login(org.user("office1")).get(reverse("schools:school_print") + "?q=中学")
    assert [r.cells[1].text for r in Document(io.BytesIO(searched.content)).tables[0].rows[1:]] == ["一社区中学"]
