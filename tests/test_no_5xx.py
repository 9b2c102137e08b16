"""The five server errors the fuzzer found (issue 20.9) each answer 400 with a field message."""

import pytest

from shouwang.core.models import ChangeLogEntry
from shouwang.incidents import services as incidents
from tests.patrols.conftest import patrol  # noqa: F401 - fixture


def test_a_change_log_entry_opens(org, api, units):
    entry = ChangeLogEntry.objects.filter(jurisdiction=org.c1).first()
    response = api(org.user("office1")).get(f"/api/changes/{entry.pk}/")
    assert response.status_code == 200 and response.json()["jurisdiction_path"] == org.c1.path
    assert api(org.user("office1")).get(f"/api/changes/{ChangeLogEntry.objects.filter(jurisdiction=org.c2).first().pk}/"
                                         ).status_code == 404


def test_a_control_character_in_a_cap_headline(org, api):
    incident, _ = incidents.intake(user=org.user("office1"), jurisdiction=org.c1, title="火情", category="fire",
                                   level="IV", address="某路")
    response = api(org.user("office1")).post(f"/api/incidents/{incident.pk}/cap/", {"headline": "火\x07情"},
                                             format="json")
    assert response.status_code == 400 and "headline" in response.json()


@pytest.mark.parametrize("field", ["checkpoint", "jurisdiction"])
def test_a_sighting_naming_a_record_by_letters(org, api, field):
    response = api(org.user("patrol1")).post("/api/patrols/sightings/", {
        "client_uuid": "5f0c6a59-7c55-4b55-9d3f-0b9b8f1d2e3a", "kind": "hazard", "text": "x", field: "abc"},
        format="json")
    assert response.status_code == 400 and field in response.json()


def test_huge_numbers_in_filters_and_ids(org, api, login, patrol):  # noqa: F811
    client = api(org.user("office1"))
    huge = "9" * 30
    listed = client.get("/api/patrols/checkpoints/", {"route": huge})
    assert listed.status_code == 400 and "route" in listed.json()
    assert client.get("/api/patrols/checkpoints/", {"route": "abc"}).status_code == 400
    checkin = client.post("/api/patrols/checkins/", {"client_uuid": "6f0c6a59-7c55-4b55-9d3f-0b9b8f1d2e3a",
                                                     "method": "gps", "checkpoint": huge, "lat": 31.2, "lon": 121.4},
                          format="json")
    assert checkin.status_code == 400 and "checkpoint" in checkin.json()
    page = login(org.user("office1")).get("/patrols/checkpoints/", {"route": huge})
    assert page.status_code == 200  # the page shows the filter's message instead
