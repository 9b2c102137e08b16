"""One contract for every idempotent endpoint: a retry with one's own client key returns one's
own record; a key someone else used — another community's or a colleague's — answers 409 with
nothing of that record, and stores nothing."""

import uuid
from datetime import date

import pytest
from django.utils import timezone

from shouwang.briefings.models import DailyReport
from shouwang.incidents import services as incidents
from shouwang.incidents.models import Incident, Report
from shouwang.patrols.models import CheckIn, Checkpoint, Route, Sighting
from shouwang.registers.models import HazardousStock, KeyPlace, StockMovement
from tests.patrols.conftest import patrol  # noqa: F401 - fixture

KEY = str(uuid.uuid4())


def _stock(node, name):
    place = KeyPlace.objects.create(jurisdiction=node, name=name, kind="unit", category="petroleum")
    return HazardousStock.objects.create(jurisdiction=node, place=place, substance="汽油", hazard_class="3",
                                         quantity=100)


@pytest.fixture
def theirs(org, patrol):  # noqa: F811
    """Records of community 1 made with client keys; community 2's grid worker replays the keys."""
    incident, _ = incidents.intake(user=org.user("office1"), jurisdiction=org.c1, title="一社区的事件",
                                   category="fire", level="IV", address="一社区某路", client_uuid=KEY)
    report_key = str(uuid.uuid4())
    incidents.submit_report(incident, user=org.user("office1"), kind="first", means="phone", reported_by="甲",
                            reported_to="街道", client_uuid=report_key)
    daily_key, sighting_key, checkin_key, move_key = (str(uuid.uuid4()) for _ in range(4))
    DailyReport.objects.create(jurisdiction=org.c1, date=date(2026, 11, 23), slot="morning",
                               submitted_by=org.user("grid1"), submitted_at=timezone.now(), situation="平稳",
                               client_uuid=daily_key)
    Sighting.objects.create(jurisdiction=org.c1, kind="hazard", text="一社区的隐患", reported_by=org.user("patrol1"),
                            received_at=timezone.now(), client_uuid=sighting_key)
    CheckIn.objects.create(jurisdiction=org.c1, checkpoint=patrol.gate, method="qr", at=timezone.now(),
                           received_at=timezone.now(), client_uuid=checkin_key, user=org.user("patrol1"))
    mine = _stock(org.c2, "二社区加油站")
    route = Route.objects.create(jurisdiction=org.c2, name="二社区路线")
    point = Checkpoint.objects.create(route=route, order=1, name="二社区路口", lat=31.2, lon=121.4, radius_m=80)
    StockMovement.objects.create(jurisdiction=org.c1, stock=_stock(org.c1, "一社区加油站"), kind="in", quantity=1,
                                 at=timezone.now(), balance_after=101, recorded_by=org.user("grid1"),
                                 client_id=move_key)
    return {"incident": KEY, "report": report_key, "daily": daily_key, "sighting": sighting_key,
            "checkin": checkin_key, "movement": move_key, "my_stock": mine, "my_point": point,
            "incident_pk": incident.pk}


def _replays(org, theirs):
    return [
        ("/api/incidents/", {"client_uuid": theirs["incident"]}),
        ("/api/incidents/", {"client_uuid": theirs["incident"], "title": "我的", "jurisdiction": org.c2.pk,
                             "category": "fire", "level": "IV", "address": "二社区"}),
        ("/api/incident-reports/", {"client_uuid": theirs["report"]}),
        ("/api/daily-reports/", {"client_uuid": theirs["daily"], "jurisdiction": org.c2.pk, "date": "2026-11-23",
                                 "slot": "morning", "situation": "x"}),
        ("/api/patrols/sightings/", {"client_uuid": theirs["sighting"], "kind": "hazard", "text": "x"}),
        ("/api/patrols/checkins/", {"client_uuid": theirs["checkin"], "method": "gps", "checkpoint": theirs["my_point"].pk,
                                    "lat": 31.2, "lon": 121.4}),
        ("/api/stock-movements/", {"client_id": theirs["movement"], "stock": theirs["my_stock"].pk, "kind": "in",
                                   "quantity": "1"}),
    ]


def test_someone_elses_key_is_a_conflict_with_no_data(org, theirs, api):
    client = api(org.user("grid2"))
    counts = [m.objects.count() for m in (Incident, Report, DailyReport, Sighting, CheckIn, StockMovement)]
    for url, body in _replays(org, theirs):
        response = client.post(url, body, format="json")
        assert response.status_code == 409, (url, response.status_code, response.content[:300])
        data = response.json()
        assert data["code"] == "key_taken" and set(data) == {"detail", "code", "request_id"}, url
        assert "一社区" not in response.content.decode(), url
    assert [m.objects.count() for m in (Incident, Report, DailyReport, Sighting, CheckIn, StockMovement)] == counts


def test_the_phone_sync_refuses_someone_elses_key_per_item(org, theirs, api):
    body = {"items": [{"type": "checkin", "client_uuid": theirs["checkin"], "data": {}},
                      {"type": "sighting", "client_uuid": theirs["sighting"], "data": {"kind": "hazard", "text": "x"}}]}
    results = api(org.user("grid2")).post("/api/patrols/sync/", body, format="json").json()["results"]
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert all("id" not in r for r in results)


def test_a_colleague_in_the_same_community_gets_a_conflict_too(org, theirs, api):
    response = api(org.user("office")).post("/api/incidents/", {"client_uuid": theirs["incident"]}, format="json")
    assert response.status_code == 409  # the street office sees the record, but the key is not theirs


def test_ones_own_retry_still_returns_ones_own_record(org, theirs, api):
    response = api(org.user("office1")).post("/api/incidents/", {"client_uuid": theirs["incident"]}, format="json")
    assert response.status_code == 200 and response.json()["id"] == theirs["incident_pk"]
