"""The gate phone's one address (`POST /api/schools/phone/`): each action by its type, in order, with
its client id (the same item again is the same record; someone else's id is 409), refusals as 400
per field, and nobody but a school's people past the door (403 before the payload is read)."""

import uuid
from datetime import timedelta

from shouwang.schools.models import (
    GateConfirmation,
    GateWindow,
    Handover,
    VehicleEntry,
    VisitorEntry,
)

from .conftest import NOW

URL = "/api/schools/phone/"


def item(action, **data):
    return {"type": action, "client_uuid": str(uuid.uuid4()), **data}


def test_a_visitor_in_and_out_offline_order_and_the_host_confirms(api, schools, clock):
    guard = api(schools.user("guard_a"))
    body = item("visitor_in", school=schools.primary.pk, name="李师傅", phone="13800002222", purpose="维修",
                host=schools.person("teacher_a").pk, id_type="resident_id", id_last4="0021", badge="访3",
                device_time=(NOW - timedelta(minutes=20)).isoformat())
    created = guard.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    record = created.json()["record"]
    assert record["name"] == "李师傅" and record["entered_at"] == "2026-12-01T05:40:00+08:00"
    again = guard.post(URL, body, format="json")  # the queue sent it again
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    assert VisitorEntry.objects.count() == 1
    # the host confirms on his phone; the guard records him out by the id the phone knew offline
    host = api(schools.user("teacher_a")).post(URL, item("host_confirm", visitor=str(body["client_uuid"])),
                                               format="json")
    assert host.status_code == 200 and host.json()["record"]["host_confirmed_at"]
    out = guard.post(URL, item("visitor_out", visitor=body["client_uuid"]), format="json")
    assert out.status_code == 200 and out.json()["record"]["left_at"]
    # someone else's client id is a conflict with nothing of the record
    taken = api(schools.user("head_a")).post(URL, body, format="json")
    assert taken.status_code == 409 and "李师傅" not in taken.content.decode()


def test_refusals_are_400_with_the_field(api, org, schools, clock):
    guard = api(schools.user("guard_a"))
    bad = guard.post(URL, item("visitor_in", school=schools.primary.pk, name="", phone="12", purpose="",
                               host=schools.person("teacher_b").pk, id_last4="123456"), format="json")
    assert bad.status_code == 400
    assert {"name", "phone", "purpose", "host", "id_last4"} <= set(bad.json())
    assert guard.post(URL, item("teleport"), format="json").status_code == 400
    assert guard.post(URL, ["not", "an", "object"], format="json").status_code == 400
    assert guard.post(URL, item("visitor_in", school="abc"), format="json").status_code == 400
    unregistered = guard.post(URL, item("vehicle", school=schools.primary.pk, plate="沪C1", kind="unregistered",
                                        outcome="admitted"), format="json")
    assert unregistered.status_code == 400 and "outcome" in unregistered.json()
    assert VisitorEntry.objects.count() == VehicleEntry.objects.count() == 0


def test_nobody_but_a_schools_people_is_let_through(api, org, schools, clock):
    body = item("visitor_in", school=schools.primary.pk, name="x")
    for user in ("viewer", "grid1", "office1"):
        response = api(org.user(user)).post(URL, body, format="json")
        assert response.status_code == 403, user
    assert api().post(URL, body, format="json").status_code in (401, 403)
    # the office reads the log, but writes none of it
    assert api(org.user("office1")).post("/api/schools/visitors/", body, format="json").status_code == 403


def test_gate_camera_and_handover_from_the_phone(api, org, schools, clock):
    from shouwang.schools import services

    services.open_school_days(days=1)
    clock.move_to(NOW + timedelta(minutes=80))
    window = GateWindow.objects.get(school=schools.primary, kind="arrival")
    for key in ("head_a", "guard_a", "teacher_a"):
        response = api(schools.user(key)).post(URL, item("gate", window=window.pk, lat=31.23, lon=121.47),
                                               format="json")
        assert response.status_code == 201, response.json()
    assert GateConfirmation.objects.filter(window=window).count() == 3
    today = api(org.user("office1")).get(f"/api/schools/schools/{schools.primary.pk}/today/").json()
    assert [w["state"] for w in today["windows"] if w["id"] == window.pk] == ["met"]
    camera = api(schools.user("guard_a")).post(URL, item("camera", camera=schools.primary.cameras.get().pk,
                                                         result="poor_image"), format="json")
    assert camera.status_code == 201 and camera.json()["record"]["order"].startswith("ZG")
    handover = api(schools.user("teacher_a")).post(URL, item("handover", pupil_class=schools.primary.classes.get().pk),
                                                   format="json")
    assert handover.status_code == 201 and Handover.objects.count() == 1
