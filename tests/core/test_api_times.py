"""Times in the API are at the site's standard offset; implausibly early input is a field error."""

from datetime import UTC, datetime

from shouwang.core.api.fields import SiteDateTimeField
from shouwang.incidents import services as incidents


def test_an_old_time_is_given_at_plus_eight_not_local_mean_time(org, api):
    incident, _ = incidents.intake(user=org.user("office1"), jurisdiction=org.c1, title="旧案", category="fire",
                                   level="IV", address="某路", received_at=datetime(1950, 1, 1, tzinfo=UTC))
    type(incident).objects.filter(pk=incident.pk).update(happened_at=datetime(1890, 6, 1, 4, 0, tzinfo=UTC))
    body = api(org.user("office1")).get(f"/api/incidents/{incident.pk}/").json()
    assert body["happened_at"] == "1890-06-01T12:00:00+08:00"
    assert SiteDateTimeField().to_representation(datetime(1850, 1, 1, tzinfo=UTC)).endswith("+08:00")


def test_a_time_before_1900_is_refused_with_the_field(org, api):
    response = api(org.user("office1")).post("/api/incidents/", {
        "title": "x", "category": "fire", "level": "IV", "address": "y", "jurisdiction": org.c1.pk,
        "happened_at": "1899-12-31T00:00:00+08:00"}, format="json")
    assert response.status_code == 400 and "happened_at" in response.json(), response.json()
