import uuid
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from shouwang.core.choices import HolidayKind
from shouwang.core.models import Holiday, Team
from shouwang.patrols import services
from shouwang.patrols.models import CheckIn, Route
from shouwang.registers.models import KeyPlace
from tests.crud import ApiContract, PageContract

SH = ZoneInfo("Asia/Shanghai")


class TestTeamPages(PageContract):
    model = Team
    url_base = "patrols:team"

    def make(self, org, node):
        return Team.objects.create(jurisdiction=node, name=f"{node.name}巡防队", kind="volunteers")

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "新巡防队", "kind": "full_time", "equipment": "防刺背心"}


class TestTeamApi(ApiContract):
    model = Team
    api_path = "/api/patrols/teams/"

    def make(self, org, node):
        return Team.objects.create(jurisdiction=node, name=f"{node.name}巡防队", kind="volunteers")

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": "新巡防队", "kind": "militia", "members": []}


class TestRoutePages(PageContract):
    model = Route
    url_base = "patrols:route"

    def make(self, org, node):
        return Route.objects.create(jurisdiction=node, name=f"{node.name}路线")

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "新路线", "description": ""}


class TestRouteApi(ApiContract):
    model = Route
    api_path = "/api/patrols/routes/"

    def make(self, org, node):
        return Route.objects.create(jurisdiction=node, name=f"{node.name}路线")

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": "新路线"}


def test_today_qr_sheet_history_and_export(login, org, patrol):
    client = login(org.user("office"))
    monday = datetime(2026, 11, 16, 6, 0, tzinfo=SH)
    with time_machine.travel(monday, tick=False):
        services.open_patrol_windows()
    with time_machine.travel(monday.replace(hour=7, minute=20), tick=False):
        services.check_in(org.user("patrol1"), {"client_uuid": str(uuid.uuid4()), "token": services.make_token(patrol.gate),
                                                "lat": patrol.gate.lat, "lon": patrol.gate.lon})
    page = client.get(reverse("patrols:today") + "?date=2026-11-16").content.decode()
    assert "护校队" in page and 'data-state="done"' in page and 'data-state="missed"' in page
    # the token carries its signing second: sign the sheet and the expected token in the same one
    with time_machine.travel(monday.replace(hour=8), tick=False):
        sheet = client.get(reverse("patrols:route_qr", args=[patrol.route.pk])).content.decode()
        assert sheet.count("<svg") == 2 and services.make_token(patrol.gate) in sheet
    history = client.get(reverse("patrols:member_history", args=[patrol.member.pk])).content.decode()
    assert "校门" in history
    route_page = client.get(reverse("patrols:route_detail", args=[patrol.route.pk])).content.decode()
    assert "2026-11-16 07:20" in route_page
    response = client.get(reverse("patrols:checkin_export") + "?since=2026-11-16&until=2026-11-16")
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "签到时间" and ws["E2"].value == "校门" and ws.max_row == 2
    # labels from the catalogue in Chinese, whatever the language of the page that asked
    client.post(reverse("set_language"), {"language": "en"})
    ws = load_workbook(BytesIO(client.get(reverse("patrols:checkin_export") + "?since=2026-11-16&until=2026-11-16"
                                          ).content)).active
    assert ws["A1"].value == "签到时间" and ws["H2"].value == "正常" and ws["G2"].value in ("扫码", "定位")


def test_rotate_makes_old_sheet_useless(login, org, patrol):
    old = services.make_token(patrol.gate)
    response = login(org.user("office1")).post(reverse("patrols:checkpoint_rotate", args=[patrol.gate.pk]))
    assert response.status_code == 302
    patrol.gate.refresh_from_db()
    assert services.verify_token(old, patrol.gate) and services.verify_token(services.make_token(patrol.gate), patrol.gate) is None
    assert login(org.user("viewer")).post(reverse("patrols:checkpoint_rotate", args=[patrol.gate.pk])).status_code == 403


def test_manual_checkin_needs_reason_and_keeps_it(login, org, patrol):
    client = login(org.user("office1"))
    url = reverse("patrols:checkin_create")
    data = {"checkpoint": patrol.gate.pk, "member": patrol.member.pk, "at": "2026-11-16T07:20"}
    with time_machine.travel(datetime(2026, 11, 16, 9, 0, tzinfo=SH), tick=False):
        assert client.post(url, data).context["form"].errors["reason"]
        response = client.post(url, {**data, "reason": "手机没电，队长电话确认"})
    assert response.status_code == 302
    row = CheckIn.objects.get()
    assert row.method == "manual" and row.reason.startswith("手机没电") and row.member == patrol.member
    assert row.at == datetime(2026, 11, 16, 7, 20, tzinfo=SH)


def test_coverage_lists_key_places_on_fewer_than_two_routes(login, org, patrol):
    school = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区学校", kind="unit", category="school", lat=31.231, lon=121.47)
    station = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区变电站", kind="unit", category="power", lat=31.232, lon=121.47)
    patrol.gate.key_place = school
    patrol.gate.save()
    second = Route.objects.create(jurisdiction=org.c1, name="第二路线")
    second.checkpoints.create(name="校门西", lat=31.231, lon=121.4701, key_place=school)
    third = Route.objects.create(jurisdiction=org.c1, name="夜巡路线")
    third.checkpoints.create(name="变电站", lat=31.232, lon=121.47, key_place=station)
    page = login(org.user("office")).get(reverse("patrols:coverage") + f"?node={org.c1.pk}").content.decode()
    few = page.split('id="few-routes"')[1].split("</ul>")[0]
    assert "一社区变电站" in few and "一社区学校" not in few
    no_night = page.split('id="no-night"')[1].split("</ul>")[0]
    assert "一社区变电站" in no_night
    assert "leaflet/leaflet.js" in page
    # a night window 22:00-02:00 on the substation's route closes that gap
    from shouwang.patrols.models import Schedule

    Schedule.objects.create(jurisdiction=org.c1, name="夜巡", team=patrol.team, route=third,
                            windows=[{"start": "22:00", "end": "02:00"}])
    page = login(org.user("office")).get(reverse("patrols:coverage") + f"?node={org.c1.pk}").content.decode()
    assert "一社区变电站" not in page.split('id="no-night"')[1].split("</ul>")[0]


def test_must_visit_missed_this_week_in_coverage(org, patrol):
    from shouwang.patrols.queries import coverage

    now = datetime(2026, 11, 18, 10, 0, tzinfo=SH)  # Wednesday
    with time_machine.travel(now - timedelta(days=2), tick=False):
        services.open_patrol_windows()
    result = coverage(org.c1, now=now)
    assert [(c.name, n) for c, n in result.missed_must_visit] == [("校门", 4)]


def test_phone_page_manifest_and_service_worker(login, org, patrol):
    client = login(org.user("patrol1"))
    page = client.get(reverse("patrols:phone")).content.decode()
    assert "manifest.webmanifest" in page and "phone.js" in page and "cdn" not in page.lower()
    sw = client.get(reverse("patrols:phone_sw"))
    assert sw["Content-Type"] == "application/javascript" and sw["Service-Worker-Allowed"] == "/patrols/m/"
    assert "/patrols/m/" in sw.content.decode()
    manifest = client.get(reverse("patrols:phone_manifest")).json()
    assert manifest["scope"] == "/patrols/m/" and manifest["display"] == "standalone"
    data = client.get(reverse("patrols:phone_data")).json()
    assert data["routes"][0]["name"] == "校门路线" and len(data["routes"][0]["checkpoints"]) == 2


def test_windows_api(api, org, patrol):
    monday = datetime(2026, 11, 16, 6, 0, tzinfo=SH)
    with time_machine.travel(monday, tick=False):
        services.open_patrol_windows()
        rows = api(org.user("office")).get("/api/patrols/windows/?date=2026-11-16").json()
    assert [r["state"] for r in rows] == ["upcoming", "upcoming"] and rows[0]["team"] == "护校队"


def test_coverage_api_and_checkpoint_api(api, org, patrol):
    KeyPlace.objects.create(jurisdiction=org.c1, name="一社区加油站", kind="unit", category="petroleum", lat=31.2, lon=121.4)
    data = api(org.user("office")).get(f"/api/patrols/coverage/?node={org.c1.pk}").json()
    assert [p["name"] for p in data["few_routes"]] == ["一社区加油站"] and data["min_routes"] == 2
    assert [p["name"] for p in data["no_night_window"]] == ["一社区加油站"]
    client = api(org.user("office1"))
    made = client.post("/api/patrols/checkpoints/", {"route": patrol.route.pk, "name": "新点", "lat": 31.23, "lon": 121.47},
                       format="json")
    assert made.status_code == 201, made.json()
    # issue 20.4: the QR token is a secret of the printed sheet, never in the API
    assert made.json()["jurisdiction"] == org.c1.pk and "token" not in made.json()
    assert "token" not in client.get(f"/api/patrols/checkpoints/{made.json()['id']}/").json()
    rotated = client.post(f"/api/patrols/checkpoints/{made.json()['id']}/rotate/").json()
    assert rotated["token_version"] == 2 and "token" not in rotated
    bad = client.post("/api/patrols/checkpoints/", {"route": patrol.route.pk, "name": "x", "lat": 95, "lon": 121.47}, format="json")
    assert bad.status_code == 400 and "lat" in bad.json()
    page = api(org.user("office1"))
    assert page.get("/api/patrols/schedules/").json()["count"] == 1


def test_every_patrol_page_renders(login, org, patrol):
    import base64

    with time_machine.travel(datetime(2026, 11, 16, 7, 20, tzinfo=SH), tick=False):
        services.open_patrol_windows()
        row = services.check_in(org.user("patrol1"), {"client_uuid": str(uuid.uuid4()),
                                                      "token": services.make_token(patrol.gate), "lat": 31.3, "lon": 121.47}).checkin
    buf = BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(buf, "JPEG")
    sighting, _ = services.report_sighting(org.user("patrol1"), {
        "client_uuid": str(uuid.uuid4()), "kind": "hazard", "text": "护栏损坏",
        "photo": "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()})
    holiday = Holiday.objects.create(jurisdiction=org.c1, starts_on=date(2026, 11, 20), ends_on=date(2026, 11, 20),
                                     kind=HolidayKind.SCHOOL, name="运动会")
    client = login(org.user("office"))
    urls = [reverse(f"patrols:{n}_list") for n in ("team", "route", "checkpoint", "schedule", "checkin", "sighting")]
    urls.append(reverse("core:holiday_list"))
    urls += [patrol.team.get_absolute_url(), patrol.gate.get_absolute_url(), patrol.schedule.get_absolute_url(),
             holiday.get_absolute_url(), row.get_absolute_url(), sighting.get_absolute_url(),
             reverse("patrols:checkin_create"), reverse("patrols:checkpoint_create") + f"?route={patrol.route.pk}",
             reverse("patrols:schedule_edit", args=[patrol.schedule.pk]), reverse("patrols:coverage"), reverse("patrols:today")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(row.get_absolute_url()).content.decode()
    assert "位置超出巡逻点范围" in detail
    assert "护栏损坏" in client.get(sighting.get_absolute_url()).content.decode()
