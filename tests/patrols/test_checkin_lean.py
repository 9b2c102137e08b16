"""The check-in endpoints stay lean (a fixed, small number of queries) without losing anything."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.authtoken.models import Token

from shouwang.core.models import ChangeLogEntry
from shouwang.obligations.models import Obligation
from shouwang.patrols import services
from shouwang.patrols.api.serializers import CheckInSerializer, checkin_data
from shouwang.patrols.models import CheckIn

SH = ZoneInfo("Asia/Shanghai")
SCAN_TIME = datetime(2026, 11, 16, 7, 20, tzinfo=SH)  # a Monday, inside the 07:15–07:45 window

# token + user, role paths, checkpoint (with the sender's person), previous check-in (speed),
# windows, the check-in row, its change-log row, and the savepoint pair around the write.
SINGLE_CHECKIN_MAX_QUERIES = 9


@pytest.fixture
def phone(patrol, org):
    """A token-authenticated client, as the phone uses (the auth lookups are part of the count)."""
    with time_machine.travel(SCAN_TIME, tick=False):
        services.open_patrol_windows()
    token = Token.objects.create(user=org.user("patrol1")).key
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def scan(point, **extra):
    return {"client_uuid": str(uuid.uuid4()), "token": services.make_token(point), "lat": point.lat, "lon": point.lon,
            **extra}


def test_single_checkin_query_count(phone, patrol, django_assert_max_num_queries):
    with time_machine.travel(SCAN_TIME, tick=False):
        first = phone.post("/api/patrols/checkins/", scan(patrol.gate), content_type="application/json")
        assert first.status_code == 201
        window = Obligation.objects.get(pk=first.json()["obligation"])
        assert window.met_at == SCAN_TIME  # the first scan meets the window
        with django_assert_max_num_queries(SINGLE_CHECKIN_MAX_QUERIES):
            second = phone.post("/api/patrols/checkins/", scan(patrol.gate, lat=patrol.gate.lat + 0.02),
                                content_type="application/json")
    assert second.status_code == 201, second.json()
    body = second.json()
    # Nothing was skipped to get there: the window matched, the radius flag raised, the log row written.
    assert body["obligation"] == window.pk and body["member"] == patrol.member.pk
    assert [f["code"] for f in body["flags"]] == ["outside_radius"] and body["status"] == "flagged"
    assert ChangeLogEntry.objects.filter(content_type__model="checkin", object_id=str(body["id"])).count() == 1


def test_sync_query_count_does_not_grow_with_the_batch(phone, patrol, django_assert_max_num_queries):
    def batch(n):
        return {"items": [{"type": "checkin", "client_uuid": str(uuid.uuid4()),
                           "data": {"token": services.make_token(patrol.gate), "lat": patrol.gate.lat,
                                    "lon": patrol.gate.lon}} for _ in range(n)]}

    with time_machine.travel(SCAN_TIME, tick=False):
        assert phone.post("/api/patrols/sync/", batch(2), content_type="application/json").status_code == 200
        for n in (5, 40):  # (SQLite splits larger inserts by its variable limit)
            # + the client-UUID lookup, + on PostgreSQL the ids drawn for the COPY
            with django_assert_max_num_queries(SINGLE_CHECKIN_MAX_QUERIES + 2):
                response = phone.post("/api/patrols/sync/", batch(n), content_type="application/json")
            assert [r["status"] for r in response.json()["results"]] == ["created"] * n
    assert CheckIn.objects.count() == 47


def test_batch_change_log_rows_are_complete(phone, patrol, org):
    items = [{"type": "checkin", "client_uuid": str(uuid.uuid4()),
              "data": {"token": services.make_token(patrol.gate), "lat": patrol.gate.lat, "lon": patrol.gate.lon}}
             for _ in range(3)]
    with time_machine.travel(SCAN_TIME, tick=False):
        response = phone.post("/api/patrols/sync/", {"items": items}, content_type="application/json")
    ids = [str(r["id"]) for r in response.json()["results"]]
    entries = ChangeLogEntry.objects.filter(content_type__model="checkin", object_id__in=ids)
    assert sorted(e.object_id for e in entries) == sorted(ids)
    for entry in entries:
        row = CheckIn.objects.get(pk=entry.object_id)
        assert entry.user == org.user("patrol1") and entry.user_name == "patrol1"
        assert str(entry.request_id) == response["X-Request-ID"]
        assert (entry.source, entry.action, entry.before) == ("api", "create", None)
        assert entry.jurisdiction_path == org.c1.path and entry.object_repr == str(row)
        assert entry.after["client_uuid"] == str(row.client_uuid) and entry.after["obligation_id"] == row.obligation_id
        assert entry.after["checkpoint_id"] == patrol.gate.pk and "updated_at" not in entry.after


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_checkin_response_is_the_serializer_output(phone, patrol, language, settings):
    with time_machine.travel(SCAN_TIME, tick=False):
        phone.post("/api/patrols/checkins/", scan(patrol.gate), content_type="application/json")
        response = phone.post("/api/patrols/checkins/", scan(
            patrol.gate, lat=patrol.gate.lat + 0.01, accuracy=12, device_time="2026-11-16T07:31:00+08:00",
            method="gps", token="", checkpoint=patrol.gate.pk), content_type="application/json", HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}={language}")
    assert response.status_code == 201, response.json()
    row = CheckIn.objects.get(pk=response.json()["id"])
    assert row.flags and row.device_time and row.accuracy_m == 12
    assert response.json() == CheckInSerializer(row).data == checkin_data(row)


def test_batch_racing_another_request_keeps_one_record_per_client_uuid(phone, patrol, org, monkeypatch):
    """Another request of the same phone (a retry) stores one of the items between the duplicate
    check and the insert."""
    items = [{"type": "checkin", "client_uuid": str(uuid.uuid4()),
              "data": {"token": services.make_token(patrol.gate), "lat": patrol.gate.lat, "lon": patrol.gate.lon}}
             for _ in range(3)]
    items[2]["data"]["lat"] = patrol.gate.lat + 0.02  # 2 km away: flagged, and the flags survive the bulk insert
    real = services._match_windows

    def racing(built, parsed, results):
        real(built, parsed, results)
        CheckIn.objects.create(jurisdiction=patrol.gate.jurisdiction, checkpoint=patrol.gate, method="qr", at=SCAN_TIME,
                               received_at=SCAN_TIME, client_uuid=items[1]["client_uuid"], user=org.user("patrol1"))

    monkeypatch.setattr(services, "_match_windows", racing)
    with time_machine.travel(SCAN_TIME, tick=False):
        response = phone.post("/api/patrols/sync/", {"items": items}, content_type="application/json")
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["created", "duplicate", "created"]
    assert CheckIn.objects.count() == 3
    far = CheckIn.objects.get(client_uuid=items[2]["client_uuid"])
    assert far.status == "flagged" and "outside_radius" in [f["code"] for f in far.flags]
    # One log row per stored check-in (the racing one logs itself): nothing left from the rolled-back attempt.
    logged = ChangeLogEntry.objects.filter(content_type__model="checkin", request_id=response["X-Request-ID"])
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(pk) for pk in CheckIn.objects.values_list("pk", flat=True))
