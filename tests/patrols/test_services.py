import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from shouwang.core.choices import HolidayKind
from shouwang.core.models import Holiday
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.patrols import services
from shouwang.patrols.models import CheckIn
from shouwang.patrols.queries import today_by_team

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 6, 0, tzinfo=SH)


def at(h, m, day=MONDAY):
    return day.replace(hour=h, minute=m)


def qr(point, **extra):
    return {"client_uuid": str(uuid.uuid4()), "method": "qr", "token": services.make_token(point),
            "lat": point.lat, "lon": point.lon, **extra}


@pytest.fixture
def opened(patrol):
    with time_machine.travel(MONDAY, tick=False):
        services.open_patrol_windows()
    return patrol


def test_windows_open_one_obligation_per_required_checkpoint_idempotently(opened):
    obs = Obligation.objects.filter(kind="patrols.checkin")
    # today and tomorrow, two windows each, only the must-visit gate
    assert obs.count() == 4
    assert set(obs.values_list("subject_id", flat=True)) == {str(opened.gate.pk)}
    first = obs.order_by("due_at").first()
    assert first.window_start == at(7, 15) and first.opens_at == at(7, 15) and first.due_at == at(7, 45)
    assert first.key == f"patrol:{opened.schedule.pk}:{opened.gate.pk}:{at(7, 15).isoformat()}"
    assert first.responsible_person == opened.leader
    with time_machine.travel(MONDAY + timedelta(minutes=5), tick=False):
        assert services.open_patrol_windows() == 0
    assert obs.count() == 4


def test_missed_school_gate_window_is_a_missed_obligation(opened, org):
    ob = Obligation.objects.get(window_start=at(7, 15))
    with time_machine.travel(at(7, 30), tick=False):
        assert ob.state_at() == State.OPEN or ob.state_at() == State.DUE_SOON
        rows = today_by_team(org.user("office"))
        assert rows[0][1][0][1][0].state == "running"
    with time_machine.travel(at(8, 0), tick=False):
        ob.refresh_from_db()
        assert ob.state_at() == State.MISSED
        assert Obligation.objects.in_state(State.MISSED).filter(pk=ob.pk).exists()
        rows = today_by_team(org.user("office"))
        assert rows[0][1][0][1][0].state == "missed"
    # The escalation sweep tells the supervisors (office staff of C1) once, however often it runs.
    from shouwang.obligations.escalation import sweep
    from shouwang.obligations.models import Notification

    with time_machine.travel(at(8, 1), tick=False):
        sweep()
        sweep()
    missed = Notification.objects.filter(obligation=ob, kind="missed")
    assert {n.recipient.username for n in missed} == {"office1"} and missed.count() == 1


def test_checkin_inside_window_meets_it_and_late_checkin_is_met_late(opened, org):
    user = org.user("patrol1")
    with time_machine.travel(at(7, 20), tick=False):
        result = services.check_in(user, qr(opened.gate))
    assert result.status == "created" and result.checkin.status == "ok"
    morning = Obligation.objects.get(window_start=at(7, 15))
    assert morning.state_at(at(9, 0)) == State.MET and result.checkin.obligation_id == morning.pk
    assert result.checkin.member == opened.member
    with time_machine.travel(at(16, 50), tick=False):
        late = services.check_in(user, qr(opened.gate))
    afternoon = Obligation.objects.get(window_start=at(16, 0))
    assert late.checkin.obligation_id == afternoon.pk
    assert afternoon.state_at(at(17, 0)) == State.MET_LATE
    with time_machine.travel(at(17, 0), tick=False):
        rows = today_by_team(org.user("office"), day=MONDAY.date())
    states = [row.state for row in rows[0][1][0][1]]
    assert states == ["done", "late"]


def test_same_offline_batch_twice_gives_one_set(opened, org, api):
    client = api(org.user("patrol1"))
    items = [{"type": "checkin", "client_uuid": str(uuid.uuid4()),
              "data": {"method": "qr", "token": services.make_token(opened.gate), "lat": opened.gate.lat,
                       "lon": opened.gate.lon, "device_time": at(7, 20).isoformat()}},
             {"type": "checkin", "client_uuid": str(uuid.uuid4()),
              "data": {"method": "gps", "checkpoint": opened.corner.pk, "lat": opened.corner.lat, "lon": opened.corner.lon,
                       "device_time": at(7, 28).isoformat()}},
             {"type": "sighting", "client_uuid": str(uuid.uuid4()), "data": {"kind": "hazard", "text": "井盖缺失"}}]
    with time_machine.travel(at(9, 0), tick=False):
        body = {"device_now": at(9, 0).isoformat(), "items": items}
        first = client.post("/api/patrols/sync/", body, format="json")
        second = client.post("/api/patrols/sync/", body, format="json")
    assert first.status_code == 200, first.json()
    assert [r["status"] for r in first.json()["results"]] == ["created", "created", "created"]
    assert [r["status"] for r in second.json()["results"]] == ["duplicate", "duplicate", "duplicate"]
    assert CheckIn.objects.count() == 2
    # queued at 07:20, synced at 09:00: the device time (clock agrees with the server) counts
    gate = CheckIn.objects.get(checkpoint=opened.gate)
    assert gate.at == at(7, 20) and gate.received_at == at(9, 0) and gate.status == "ok"
    assert Obligation.objects.get(window_start=at(7, 15)).state_at(at(9, 0)) == State.MET


@override("en")
def test_forged_expired_and_copied_tokens_are_refused(opened, org):
    user = org.user("patrol1")
    token = services.make_token(opened.gate)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    with pytest.raises(ValidationError) as exc:
        services.check_in(user, {**qr(opened.gate), "token": forged})
    assert "forged" in str(exc.value.message_dict["token"])
    # a code copied from another checkpoint
    with pytest.raises(ValidationError) as exc:
        services.check_in(user, {**qr(opened.gate), "checkpoint": opened.corner.pk})
    assert "another checkpoint" in str(exc.value.message_dict["token"])
    # a code printed before the rotation
    services.rotate_token(opened.gate)
    with pytest.raises(ValidationError) as exc:
        services.check_in(user, {**qr(opened.gate), "token": token})
    assert "expired" in str(exc.value.message_dict["token"])
    opened.gate.refresh_from_db()
    assert services.check_in(user, qr(opened.gate)).status == "created"
    assert CheckIn.objects.count() == 1


def test_checkin_2km_away_is_flagged_not_refused(opened, org):
    with time_machine.travel(at(7, 20), tick=False):
        result = services.check_in(org.user("patrol1"), qr(opened.gate, lat=opened.gate.lat + 0.018))
    row = result.checkin
    assert row.status == "flagged" and 1900 < row.distance_m < 2100
    assert [f["code"] for f in row.flags] == ["outside_radius"]
    # kept and tied to its window, but a flagged check-in meets it only once the office accepts it
    window = Obligation.objects.get(window_start=at(7, 15))
    assert row.obligation_id == window.pk and window.met_at is None
    with pytest.raises(PermissionDenied):
        services.accept_checkin(row, user=org.user("patrol1"), reason="我就在门口")
    with pytest.raises(ValidationError):
        services.accept_checkin(row, user=org.user("office1"), reason="")
    with time_machine.travel(at(9, 0), tick=False):
        accepted = services.accept_checkin(row, user=org.user("office1"), reason="定位漂移，监控可见本人在岗")
    window.refresh_from_db()
    assert accepted.status == "accepted" and window.met_at == row.at and window.state_at(at(9, 0)) == State.MET


def test_a_checkin_after_the_grace_is_kept_but_the_window_stays_missed(opened, org):
    # the school-gate window 16:00–16:30; default grace 30 min: 22:05 is hours too late
    with time_machine.travel(at(22, 5), tick=False):
        late = services.check_in(org.user("patrol1"), qr(opened.gate))
    afternoon = Obligation.objects.get(window_start=at(16, 0))
    assert late.status == "created" and late.checkin.obligation_id is None
    assert afternoon.state_at(at(22, 10)) == State.MISSED
    # a node under preset C: its grace is 15 minutes, so 16:50 is too late as well
    from shouwang.policies.models import Policy
    from shouwang.policies.services import assign, load_presets

    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        load_presets(out=lambda *_: None)
    assign(org.street, Policy.objects.get(code="event-security-posture-c"))
    services._POLICY_CACHE.clear()
    with time_machine.travel(at(16, 50), tick=False):
        too_late = services.check_in(org.user("patrol1"), qr(opened.gate))
    assert too_late.checkin.obligation_id is None and afternoon.state_at(at(17, 0)) == State.MISSED


def test_clock_skew_and_impossible_speed_are_flagged(opened, org):
    user = org.user("patrol1")
    with time_machine.travel(at(7, 20), tick=False):
        skewed = services.check_in(user, qr(opened.gate, device_time=at(7, 40).isoformat()))
    assert [f["code"] for f in skewed.checkin.flags] == ["clock_skew"]
    assert skewed.checkin.at == at(7, 20) and skewed.checkin.device_time == at(7, 40)
    far = opened.route.checkpoints.create(name="远点", order=3, lat=opened.gate.lat + 0.2, lon=opened.gate.lon)
    with time_machine.travel(at(7, 25), tick=False):
        fast = services.check_in(user, qr(far))
    assert "impossible_speed" in [f["code"] for f in fast.checkin.flags]


def test_bad_input_is_refused_with_reasons(opened, org, api):
    client = api(org.user("patrol1"))
    absurd = client.post("/api/patrols/checkins/", qr(opened.gate, lat=123.0), format="json")
    assert absurd.status_code == 400 and "lat" in absurd.json()
    no_window = client.post("/api/patrols/checkins/", qr(opened.gate, window=999999), format="json")
    assert no_window.status_code == 400 and "window" in no_window.json()
    other = opened.route.__class__.objects.create(jurisdiction=org.c2, name="外社区路线")
    far_point = other.checkpoints.create(name="外点", lat=31.0, lon=121.0)
    out = client.post("/api/patrols/checkins/", qr(far_point), format="json")
    assert out.status_code == 400 and "checkpoint" in out.json()
    manual = client.post("/api/patrols/checkins/", {"client_uuid": str(uuid.uuid4()), "method": "manual",
                                                    "checkpoint": opened.gate.pk}, format="json")
    assert manual.status_code == 400 and "reason" in manual.json()
    assert CheckIn.objects.count() == 0


def test_refused_messages_are_translated(opened, org, api):
    client = api(org.user("patrol1"))
    response = client.post("/api/patrols/checkins/", qr(opened.gate, token="1.x:y"), format="json",
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))


def test_night_window_crosses_midnight_and_holidays_skip_school_days(patrol, org):
    patrol.schedule.windows = [{"name": "night", "start": "22:00", "end": "02:00"}]
    patrol.schedule.days = "every"
    patrol.schedule.save()
    with time_machine.travel(MONDAY, tick=False):
        services.open_patrol_windows()
    night = Obligation.objects.filter(kind="patrols.checkin").order_by("due_at").first()
    assert night.window_start == at(22, 0) and night.due_at == at(2, 0, MONDAY + timedelta(days=1))
    # school days skip a school or public holiday of the node (or an ancestor) in core's calendar
    Holiday.objects.create(jurisdiction=org.street, starts_on=MONDAY.date(), ends_on=MONDAY.date(),
                           kind=HolidayKind.SCHOOL, name="校庆日")
    assert not services.is_school_day(MONDAY.date(), org.c1)
    assert services.is_school_day((MONDAY + timedelta(days=1)).date(), org.c1)
    assert not services.is_school_day((MONDAY + timedelta(days=5)).date(), org.c1)  # Saturday
    # a public holiday of several days closes schools on each; a sensitive period does not
    wednesday = (MONDAY + timedelta(days=2)).date()
    Holiday.objects.create(jurisdiction=org.c1, starts_on=wednesday, ends_on=wednesday + timedelta(days=1),
                           kind=HolidayKind.PUBLIC, name="中秋节")
    Holiday.objects.create(jurisdiction=org.street, starts_on=MONDAY.date() + timedelta(days=1),
                           ends_on=MONDAY.date() + timedelta(days=4), kind=HolidayKind.SENSITIVE, name="安保期")
    assert not services.is_school_day(wednesday, org.c1)
    assert not services.is_school_day(wednesday + timedelta(days=1), org.c1)
    assert services.is_school_day(wednesday + timedelta(days=2), org.c1)
    assert services.is_school_day(wednesday, org.c2)  # the community's holiday is not its neighbour's


def test_windows_from_policy_preset_d(patrol, org):
    from shouwang.policies.services import assign, load_presets

    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-prevention-plan-d"])
    patrol.schedule.windows = []
    patrol.schedule.policy_windows = True
    patrol.schedule.save()
    with time_machine.travel(MONDAY, tick=False):
        services.open_patrol_windows()
    obs = Obligation.objects.filter(kind="patrols.checkin", due_at__lt=at(23, 0))
    assert sorted(o.rule for o in obs) == ["school_arrival", "school_dismissal"]
    assert all(o.policy_version is not None for o in obs)


def test_sighting_photo_checks(opened, org, api):
    import base64

    client = api(org.user("patrol1"))
    bad = client.post("/api/patrols/sightings/", {"client_uuid": str(uuid.uuid4()), "kind": "hazard", "text": "x",
                                                  "photo": "data:image/png;base64," + base64.b64encode(b"not an image").decode()},
                      format="json")
    assert bad.status_code == 400 and "photo" in bad.json()
    big = "data:image/jpeg;base64," + "A" * (8 * 1024 * 1024)
    too_big = client.post("/api/patrols/sightings/", {"client_uuid": str(uuid.uuid4()), "kind": "hazard", "text": "x",
                                                      "photo": big}, format="json")
    assert too_big.status_code == 400 and "5 MB" in str(too_big.json()["photo"])
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    ok = client.post("/api/patrols/sightings/", {"client_uuid": str(uuid.uuid4()), "kind": "incident", "text": "有人打架",
                                                 "photo": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode(),
                                                 "lat": opened.gate.lat, "lon": opened.gate.lon}, format="json")
    assert ok.status_code == 201, ok.json()
    # The photo is served to those who may see the sighting, and to nobody else.
    from django.test import Client

    from shouwang.patrols.models import Sighting

    sighting = Sighting.objects.get(pk=ok.json()["id"])
    viewer = Client()
    viewer.force_login(org.user("office1"))
    assert viewer.get(f"/patrols/sightings/{sighting.pk}/photo/").getvalue() == buf.getvalue()
    viewer.force_login(org.user("grid2"))
    assert viewer.get(f"/patrols/sightings/{sighting.pk}/photo/").status_code == 404
    assert ok.json()["jurisdiction"] == org.c1.pk


def test_single_checkin_retry_is_one_record(opened, org, api):
    client = api(org.user("patrol1"))
    payload = qr(opened.gate)
    with time_machine.travel(at(7, 20), tick=False):
        first = client.post("/api/patrols/checkins/", payload, format="json")
        again = client.post("/api/patrols/checkins/", payload, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and CheckIn.objects.count() == 1
    assert first.json()["obligation"] == Obligation.objects.get(window_start=at(7, 15)).pk


def test_speed_limit_is_a_policy_key(opened, org):
    from shouwang.policies.models import Policy
    from shouwang.policies.services import assign, new_version

    user = org.user("patrol1")
    with time_machine.travel(at(7, 20), tick=False):
        services.check_in(user, qr(opened.gate))
    with time_machine.travel(at(7, 22), tick=False):  # 222 m in 2 minutes: about 7 km/h
        assert services.check_in(user, qr(opened.corner)).checkin.flags == []
    with time_machine.travel(MONDAY - timedelta(days=1), tick=False):
        policy = Policy.objects.create(code="slow-walk", name="步行巡逻")
        new_version(policy, {"patrol_coverage": {"max_speed_kmh": 5}})
    assign(org.c1, policy)
    services._POLICY_CACHE.clear()
    with time_machine.travel(at(7, 24), tick=False):
        fast = services.check_in(user, qr(opened.gate))
    assert [f["code"] for f in fast.checkin.flags] == ["impossible_speed"]


def test_the_office_accepts_a_flagged_checkin_on_its_page(opened, org, login):
    with time_machine.travel(at(7, 20), tick=False):
        row = services.check_in(org.user("patrol1"), qr(opened.gate, lat=opened.gate.lat + 0.018)).checkin
    url = f"/patrols/checkins/{row.pk}/accept/"
    page = f"/patrols/checkins/{row.pk}/"
    # the patrol member sees the check-in but not the form, and a forged post is refused, nothing written
    member = login(org.user("patrol1"))
    assert "reason for accepting" not in member.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    refused = member.post(url, {"reason": "我就在门口"}, follow=True)
    assert "办公室" in refused.content.decode()
    row.refresh_from_db()
    assert row.status == "flagged"
    office = login(org.user("office1"))
    assert 'name="reason"' in office.get(page).content.decode()
    # no reason: the page says which field and why
    empty = office.post(url, {"reason": ""}, follow=True).content.decode()
    assert "接受理由：该字段是必填项" in empty
    assert office.get(url).status_code == 405
    with time_machine.travel(at(9, 0), tick=False):
        done = office.post(url, {"reason": "定位漂移，监控可见本人在岗"})
    assert done.status_code == 302 and done["Location"] == page
    row.refresh_from_db()
    assert row.status == "accepted" and row.accept_reason == "定位漂移，监控可见本人在岗"
    assert Obligation.objects.get(pk=row.obligation_id).met_at == row.at
    assert "定位漂移" in office.get(page).content.decode()


def test_the_phone_is_told_what_a_checkin_achieved_and_whose_queue_it_is(opened, org, api):
    client = api(org.user("patrol1"))
    far = qr(opened.gate, lat=opened.gate.lat + 0.0013)  # about 145 m north
    with time_machine.travel(at(7, 20), tick=False):
        body = {"user": org.user("patrol1").pk, "items": [{"type": "checkin", "client_uuid": far["client_uuid"],
                                                           "data": far}]}
        result = client.post("/api/patrols/sync/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    notes = result["results"][0]["notes"]
    assert len(notes) == 1 and notes[0].startswith("存疑：位置超出巡逻点范围（距巡逻点 14") and "待办公室审核" in notes[0]
    with time_machine.travel(at(12, 0), tick=False):  # no window at noon
        plain = qr(opened.gate)
        noon = client.post("/api/patrols/sync/", {"items": [{"type": "checkin", "client_uuid": plain["client_uuid"],
                                                             "data": plain}]}, format="json").json()
    assert noon["results"][0]["notes"] == ["不在任何巡逻时段内，不计入时段"]
    # items queued on the phone by another user: refused whole, nothing stored, kept on the phone
    other = qr(opened.gate)
    before = CheckIn.objects.count()
    held = api(org.user("office1")).post("/api/patrols/sync/", {
        "user": org.user("patrol1").pk, "items": [{"type": "checkin", "client_uuid": other["client_uuid"], "data": other}]},
        format="json")
    assert held.status_code == 409 and held.json()["code"] == "other_user"
    assert CheckIn.objects.count() == before


def test_qr_codes_are_secret_and_a_scan_without_a_position_is_flagged(opened, org, login, api):
    # the patrol member may not print the codes, nor read them through the API
    assert login(org.user("patrol1")).get(f"/patrols/routes/{opened.route.pk}/qr/").status_code == 403
    route_page = login(org.user("patrol1")).get(f"/patrols/routes/{opened.route.pk}/").content.decode()
    assert f"/patrols/routes/{opened.route.pk}/qr/" not in route_page
    assert "token" not in api(org.user("patrol1")).get(f"/api/patrols/checkpoints/{opened.gate.pk}/").json()
    assert login(org.user("office1")).get(f"/patrols/routes/{opened.route.pk}/qr/").status_code == 200
    # a code typed at the desk, with no position: kept, flagged, and it does not meet the window
    with time_machine.travel(at(7, 20), tick=False):
        row = services.check_in(org.user("patrol1"), {"client_uuid": str(uuid.uuid4()), "method": "qr",
                                                      "token": services.make_token(opened.gate)}).checkin
    assert row.status == "flagged" and [f["code"] for f in row.flags] == ["no_position"]
    assert Obligation.objects.get(pk=row.obligation_id).met_at is None


def test_a_schedule_set_up_at_noon_owes_no_morning_window(patrol, org):
    from shouwang.patrols.models import Schedule

    with time_machine.travel(at(12, 0), tick=False):
        noon = Schedule.objects.create(jurisdiction=org.c1, name="午后新排班", team=patrol.team, route=patrol.route,
                                       days="every", windows=[{"name": "m", "start": "07:00", "end": "08:00"},
                                                              {"name": "a", "start": "15:00", "end": "16:00"}])
    with time_machine.travel(at(12, 5), tick=False):
        services.open_patrol_windows()
    starts = sorted(timezone.localtime(o.window_start).strftime("%d %H:%M")
                    for o in Obligation.objects.filter(key__startswith=f"patrol:{noon.pk}:"))
    assert "16 07:00" not in starts and "16 15:00" in starts and "17 07:00" in starts
