"""A responder called to an incident in another community opens it through his duty, records his
arrival and sees the duty among his obligations — and nothing else of that community."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from shouwang.core.choices import PersonKind, Position, Role
from shouwang.core.models import Membership, Person
from shouwang.incidents import services
from shouwang.incidents.models import Incident, Responder
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from tests.conftest import make_user
from tests.incidents.conftest import T0, make_incident


@pytest.fixture
def called(org, preset_a, lead_group):
    """patrol2 of C2 sits in the street's working group; an incident in C1 calls it out."""
    user = make_user("patrol2", Role.PATROL_MEMBER, org.c2)
    person = Person.objects.create(jurisdiction=org.c2, name="二社区队员", kind=PersonKind.PATROL, user=user)
    Membership.objects.create(group=lead_group, person=person, position=Position.MEMBER, order=9)
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
        other = make_incident(org, title="一社区另一起事件", category="fire", level="IV")
        services.activate(incident, user=org.user("leader"), plan_name="涉暴预案", lead_group=lead_group)
    responder = Responder.objects.get(incident=incident, person=person)
    return {"user": user, "incident": incident, "other": other, "responder": responder}


def test_the_responder_opens_the_incident_and_records_his_arrival(org, called, client, api):
    client.force_login(called["user"])
    incident = called["incident"]
    assert client.get(incident.get_absolute_url()).status_code == 200
    assert client.get(called["other"].get_absolute_url()).status_code == 404  # nothing else of C1
    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        response = client.post(reverse("incidents:arrive", args=[called["responder"].pk]))
    assert response.status_code == 302
    duty = Obligation.objects.get(responsible_person=called["responder"].person, subject_id=str(incident.pk))
    assert duty.state_at(T0 + timedelta(minutes=25)) == State.MET
    # the API the same way: his incident, his duty; not the other incident
    rest = api(called["user"])
    ids = {row["id"] for row in rest.get("/api/incidents/").json()["results"]}
    assert incident.pk in ids and called["other"].pk not in ids
    assert rest.get(f"/api/obligations/{duty.pk}/").status_code == 200
    mine = {row["id"] for row in rest.get("/api/obligations/?mine=1").json()["results"]}
    assert duty.pk in mine


def test_his_duty_does_not_let_him_change_the_incident(org, called, api):
    rest = api(called["user"])
    response = rest.patch(f"/api/incidents/{called['incident'].pk}/", {"title": "改"}, format="json")
    assert response.status_code in (403, 404)
    assert Incident.objects.get(pk=called["incident"].pk).title != "改"
    # and without the duty he would see nothing of it
    Responder.objects.filter(pk=called["responder"].pk).delete()
    assert rest.get(f"/api/incidents/{called['incident'].pk}/").status_code == 404


def test_his_arrival_through_the_api(org, called, api):
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        response = api(called["user"]).post(f"/api/incident-responders/{called['responder'].pk}/arrive/", {},
                                            format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["arrived_at"].endswith("+08:00")
