"""An incident uses the resources (issue 16): supplies issued from a store refer to the incident
(the lot's balance falls), equipment is dispatched (its return an obligation), the reserve team is
called out (each member's arrival an obligation), a point is opened and shown on the live board;
each use is in the activity log and the incident page lists what was used. Bad input shows the
form again with the field, nothing written."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import PersonKind, Role, TeamKind
from shouwang.core.models import Person, Team
from shouwang.incidents import services
from shouwang.incidents.choices import LogKind
from shouwang.obligations.models import Obligation
from shouwang.resources import queries as rqueries
from shouwang.resources import services as resources
from shouwang.resources.choices import KIND_ASSEMBLE, KIND_RETURN
from shouwang.resources.models import (
    AssemblyPoint,
    Equipment,
    EvacuationPoint,
    PointOpening,
    StockMovement,
    Store,
    SupplyItem,
    cause_filter,
)
from tests.conftest import make_user


@pytest.fixture
def keeper(org):
    return Person.objects.create(jurisdiction=org.c1, name="一社区保管员", kind=PersonKind.STAFF)


@pytest.fixture
def store(org, keeper):
    return Store.objects.create(jurisdiction=org.c1, name="一社区储备点", keeper=keeper)


@pytest.fixture
def blanket(org):
    return SupplyItem.objects.create(jurisdiction=org.street, code="blanket", name="棉被", category="daily", unit="床")


@pytest.fixture
def reserve(org):
    team = Team.objects.create(jurisdiction=org.c1, name="一社区应急预备队", kind=TeamKind.RESERVE)
    team.members.set([Person.objects.create(jurisdiction=org.c1, name=f"队员{i}", kind=PersonKind.VOLUNTEER,
                                            user=make_user(f"m{i}", Role.PATROL_MEMBER, org.c1) if i < 2 else None)
                      for i in range(5)])
    AssemblyPoint.objects.create(jurisdiction=org.c1, team=team, name="一社区广场")
    return team


@pytest.fixture
def point(org, keeper):
    return EvacuationPoint.objects.create(jurisdiction=org.c1, kind="diversion", name="一社区分流点", address="某路2号",
                                          capacity=500, responsible=keeper, lat=31.23, lon=121.47)


@pytest.fixture
def incident(org):
    incident, _created = services.intake(user=org.user("office1"), jurisdiction=org.c1, title="一社区居民楼火情",
                                         category="fire", level="IV", address="某路9号")
    return incident


@pytest.fixture
def blankets(org, blanket, store):
    return resources.receive(store, blanket, 60, by=org.user("office1"), lot_number="B1").lot


def test_issuing_blankets_from_the_incident_lowers_the_balance_and_is_listed(client, org, incident, blankets, blanket,
                                                                             store):
    client.force_login(org.user("office1"))
    url = reverse("incidents:use_supplies", args=[incident.pk])
    body = {"store": store.pk, "item": blanket.pk, "quantity": "20", "recipient": "临时安置点",
            "client_id": str(uuid.uuid4())}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # the form sent twice: issued once
    blankets.refresh_from_db()
    assert blankets.quantity == 40
    movement = StockMovement.objects.get(**cause_filter(incident))
    assert (movement.kind, movement.quantity, movement.recipient) == ("out", 20, "临时安置点")
    assert incident.log.filter(text__contains="棉被 20床").count() == 1
    html = client.get(incident.get_absolute_url()).content.decode()
    used = re.search(r'id="resources-used".*?</section>', html, re.S).group(0)
    assert 'data-used="supplies"' in used and "棉被 20 床" in used and "一社区储备点" in used
    too_much = client.post(url, {**body, "quantity": "500", "client_id": str(uuid.uuid4())})
    assert too_much.status_code == 200 and list(too_much.context["form"].errors) == ["quantity"]
    assert StockMovement.objects.filter(**cause_filter(incident)).count() == 1


def test_dispatching_equipment_and_the_reserve_team_make_obligations(client, org, incident, reserve, keeper):
    radio = Equipment.objects.create(jurisdiction=org.c1, kind="radio", name="对讲机", serial_number="R-1")
    client.force_login(org.user("office1"))
    due = (timezone.localtime() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("incidents:dispatch_equipment", args=[incident.pk]),
                           {"equipment": radio.pk, "person": keeper.pk, "due_back_at": due, "purpose": "incident"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    issue = radio.issues.get()
    assert issue.purpose == "incident" and issue.cause == incident
    assert Obligation.objects.for_subject(incident).filter(kind=KIND_RETURN).get() == rqueries.return_duty(issue).get()
    response = client.post(reverse("incidents:call_out_reserve", args=[incident.pk]),
                           {"team": reserve.pk, "message": "火情处置，请到一社区广场集结", "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 302
    callout = reserve.callouts.get()
    assert callout.kind == "incident" and callout.cause == incident
    assert Obligation.objects.for_subject(incident).filter(kind=KIND_ASSEMBLE).count() == 5 == rqueries.assembly_duties(callout).count()
    kinds = list(incident.log.filter(kind__in=[LogKind.TASK, LogKind.NOTIFICATION]).values_list("text", flat=True))
    assert any("对讲机 R-1" in t for t in kinds) and any("一社区应急预备队（5人）" in t for t in kinds)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert 'data-used="equipment"' in html and 'data-used="callout"' in html and "应到5人，确认0人，到达0人" in html


def test_several_pieces_go_out_in_one_dispatch_all_or_nothing_and_a_retry_adds_nothing(client, org, incident, keeper):
    radios = [Equipment.objects.create(jurisdiction=org.c1, kind="radio", name="对讲机", serial_number=f"R-{i}")
              for i in range(3)]
    resources.issue_equipment(radios[2], by=org.user("office1"), person=keeper, purpose="patrol",
                              due_back_at=timezone.now() + timedelta(hours=2))
    client.force_login(org.user("office1"))
    url = reverse("incidents:dispatch_equipment", args=[incident.pk])
    form = client.get(url).content.decode()
    assert form.count('type="checkbox" name="equipment"') == 2  # the pieces in the store, ticked one by one
    due = (timezone.localtime() + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M")
    post = {"person": keeper.pk, "due_back_at": due, "purpose": "incident", "client_id": str(uuid.uuid4())}
    refused = client.post(url, {**post, "equipment": [r.pk for r in radios]})  # R-2 is out on patrol
    assert refused.status_code == 200 and "equipment" in refused.context["form"].errors
    assert not incident.log.filter(kind=LogKind.TASK).exists() and radios[0].issues.count() == 0
    for _attempt in range(2):  # the second is the same form sent again
        response = client.post(url, {**post, "equipment": [radios[0].pk, radios[1].pk]})
        assert response.status_code == 302, response.context and response.context["form"].errors
    assert [r.issues.count() for r in radios[:2]] == [1, 1]
    assert Obligation.objects.for_subject(incident).filter(kind=KIND_RETURN).count() == 2
    lines = list(incident.log.filter(kind=LogKind.TASK).values_list("text", flat=True))
    assert len(lines) == 1 and "对讲机 R-0" in lines[0] and "对讲机 R-1" in lines[0]


def test_opening_a_point_shows_it_on_the_live_board(client, org, incident, point):
    from shouwang.resources.models import PointVehicle

    PointVehicle.objects.create(jurisdiction=org.c1, point=point, kind="bus", count=3, plates="沪D·1、沪D·2、沪D·3")
    client.force_login(org.user("office1"))
    response = client.post(reverse("incidents:open_point", args=[incident.pk]),
                           {"point": point.pk, "occupancy": 40})
    assert response.status_code == 302
    opening = PointOpening.objects.get()
    assert opening.cause == incident
    entry = incident.log.get(kind=LogKind.EVACUATION)
    assert (entry.point, entry.people, entry.vehicles) == ("一社区分流点", 40, 3)
    board = client.get(reverse("incidents:board")).content.decode()
    assert f'data-point="{point.pk}"' in board and "40/500人" in board
    again = client.post(reverse("incidents:open_point", args=[incident.pk]), {"point": point.pk, "occupancy": 1})
    assert again.status_code == 200 and "point" in again.context["form"].errors  # open already: not offered
    resources.close_point(opening, by=org.user("office1"))
    assert f'data-point="{point.pk}"' not in client.get(reverse("incidents:board")).content.decode()


def test_who_may_not_use_resources_sees_no_buttons_and_is_refused(client, org, incident):
    client.force_login(org.user("grid1"))
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "id=\"resources-used\"" in html and reverse("incidents:use_supplies", args=[incident.pk]) not in html
    assert client.get(reverse("incidents:use_supplies", args=[incident.pk])).status_code == 403
