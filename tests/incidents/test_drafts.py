"""A loss or theft of hazardous stock raises an incident draft; clocks start when it is confirmed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from shouwang.incidents import services
from shouwang.incidents.choices import Status
from shouwang.incidents.models import Incident
from shouwang.registers import services as registers
from shouwang.registers.models import HazardousStock, KeyPlace

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def stock(org):
    place = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区加油站", kind="unit", category="petroleum",
                                    address="一路9号", lat=31.23, lon=121.47)
    return HazardousStock.objects.create(jurisdiction=org.c1, place=place, substance="92号汽油", hazard_class="3",
                                         quantity=10, unit_of_measure="t")


def test_theft_raises_a_draft_without_clocks_until_confirmed(org, stock, preset_a, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=TZ), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            registers.record_movement(stock, kind="theft", quantity=1, by=org.user("office1"), description="夜间油桶被盗")
    draft = Incident.objects.get()
    assert draft.status == Status.DRAFT and draft.key_place == stock.place and draft.jurisdiction == org.c1
    assert "92号汽油" in draft.title and "夜间油桶被盗" in draft.description
    assert not services.obligations_of(draft).exists()
    with pytest.raises(ValidationError):
        services.submit_report(draft, user=org.user("office1"), kind="first", means="phone",
                               reported_by="x", reported_to="y")

    with time_machine.travel(datetime(2026, 11, 23, 9, 30, tzinfo=TZ), tick=False):
        confirmed = services.confirm_draft(draft, user=org.user("office1"))
    assert confirmed.status == Status.OPEN
    dues = sorted(o.due_at.astimezone(TZ).strftime("%H:%M") for o in services.obligations_of(confirmed))
    assert dues == ["10:30", "11:30"]  # preset A: 60 and 120 minutes from confirmation


def test_drafts_show_on_the_board_and_confirm_by_page(org, stock, login, preset_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registers.record_movement(stock, kind="loss", quantity=2, by=org.user("office1"), description="盘点少两桶")
    draft = Incident.objects.get()
    client = login(org.user("office1"))
    assert draft.number in client.get("/incidents/").content.decode()
    assert client.post(f"/incidents/all/{draft.pk}/confirm/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.OPEN
    # A grid worker of another community cannot confirm it (out of scope).
    assert login(org.user("grid2")).post(f"/incidents/all/{draft.pk}/confirm/").status_code == 404


def test_recent_incident_raises_the_place_colour(org, stock, preset_a):
    from shouwang.registers.risk_signals import suggest

    place = stock.place
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=TZ), tick=False):
        assert suggest(place)[0] == "blue"  # petrol held, nothing else
        services.intake(user=org.user("office1"), jurisdiction=org.c1, title="加油站起火", category="fire", level="II",
                        address="一路9号", key_place=place)
        colour, reasons = suggest(place)
    assert colour == "red" and any("加油站起火" in r for r in reasons)
    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=TZ), tick=False):
        assert suggest(place)[0] == "blue"  # a week later it no longer counts


def test_incident_sighting_from_patrol_raises_a_draft(org, api, preset_a, django_capture_on_commit_callbacks):
    import uuid

    from shouwang.core.models import Person

    Person.objects.create(jurisdiction=org.c1, name="巡逻队员甲", kind="patrol", user=org.user("patrol1"))
    client = api(org.user("patrol1"))
    with django_capture_on_commit_callbacks(execute=True):
        hazard = client.post("/api/patrols/sightings/", {"client_uuid": str(uuid.uuid4()), "kind": "hazard",
                                                         "text": "井盖缺失"}, format="json")
        seen = client.post("/api/patrols/sightings/", {"client_uuid": str(uuid.uuid4()), "kind": "incident",
                                                       "text": "路口有人持棍斗殴", "lat": 31.23, "lon": 121.47},
                           format="json")
    assert hazard.status_code == 201 and seen.status_code == 201
    draft = Incident.objects.get()  # only the incident sighting became a draft
    assert draft.status == Status.DRAFT and draft.jurisdiction == org.c1 and "路口有人持棍斗殴" in draft.title
    assert draft.channel == "patrol" and (draft.lat, draft.lon) == (31.23, 121.47)
