"""A full incident on a street under preset A, with the clock moved by time_machine."""

import uuid

import time_machine

from shouwang.audit import queries as audit
from shouwang.incidents import services
from shouwang.incidents.models import Incident, Responder
from shouwang.obligations.choices import State

from .conftest import at, report_fields


def failing(incident, now):
    """The incident's obligations an accountability audit lists (met late or missed), as (kind, rule, person)."""
    return sorted((o.kind, o.rule, o.responsible_person.name if o.responsible_person else "")
                  for o in services.failing_obligations(incident, now=now))


def post(client, url, data, when):
    with time_machine.travel(when, tick=False):
        response = client.post(url, data, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def test_full_incident_walk(org, api, preset_a, lead_group):
    office, leader = api(org.user("office")), api(org.user("leader"))
    # 09:20 intake through the API (a phone retry with the same UUID makes no second incident).
    payload = {"title": "柳岸农贸市场持刀伤人", "category": "violent_attack", "level": "III", "address": "柳岸路30号",
               "jurisdiction": org.c1.pk, "client_uuid": str(uuid.uuid4())}
    data = post(office, "/api/incidents/", payload, at(9, 20))
    again = post(office, "/api/incidents/", payload, at(9, 21))
    assert again["id"] == data["id"] and Incident.objects.count() == 1
    assert data["number"] == "S-2026-0001" and data["colour"] == "yellow"
    incident = Incident.objects.get(pk=data["id"])
    assert incident.policy_version.policy.code == "street-emergency-plan-a"
    clocks = {o.rule: o for o in services.obligations_of(incident)}
    assert {r: o.due_at for r, o in clocks.items()} == {"first_report": at(10, 20), "written_report": at(11, 20)}
    assert all(o.policy_version == incident.policy_version for o in clocks.values())

    report = {"incident": incident.pk, "reported_by": "城运中心值班长", "reported_to": "综治指挥平台"}
    first = post(office, "/api/incident-reports/", {**report, "kind": "first", "means": "phone",
                                                   "client_uuid": str(uuid.uuid4())}, at(9, 50))
    assert first["completeness"] == 0 and len(first["missing_elements"]) == 9
    post(office, "/api/incident-reports/", {**report, "kind": "written", "means": "written", "issuer": "周振华",
                                           **_json(report_fields())}, at(11, 35))
    clocks = {o.rule: o.state_at(at(11, 36)) for o in services.obligations_of(incident)}
    assert clocks == {"first_report": State.MET, "written_report": State.MET_LATE}

    # 11:40 the leader activates; the lead group's members with accounts must be on scene by 12:10.
    post(leader, f"/api/incidents/{incident.pk}/activate/",
         {"plan_name": "街道涉恐涉暴事件应急预案", "lead_group": lead_group.pk}, at(11, 40))
    responders = {r.person.user.username: r for r in Responder.objects.select_related("person__user")}
    assert set(responders) == {"grid1", "patrol1"} and responders["grid1"].due_at == at(12, 10)
    assert incident.log.filter(kind="notification").count() == 3  # every member is told, even without an account
    from shouwang.obligations.models import Notification

    told = Notification.objects.filter(title__startswith=incident.number)
    assert {n.recipient.username for n in told} == {"grid1", "patrol1"}  # the two with a login, in their inbox
    post(api(org.user("grid1")), f"/api/incident-responders/{responders['grid1'].pk}/arrive/", {}, at(12, 5))
    post(api(org.user("patrol1")), f"/api/incident-responders/{responders['patrol1'].pk}/arrive/", {}, at(12, 25))

    handover = post(office, f"/api/incidents/{incident.pk}/handover/",
                    {"from_commander": "望川派出所值班所长", "to_commander": "现场指挥部指挥长",
                     "situation": "嫌疑人已控制，现场已封控"}, at(12, 30))
    assert handover["to_commander"] == "现场指挥部指挥长"
    post(office, "/api/incident-reports/", {**report, "kind": "follow_up", "means": "written",
                                           **_json(report_fields(progress="两名伤者已脱离危险"))}, at(13, 0))
    post(office, f"/api/incidents/{incident.pk}/log/",
         {"kind": "evacuation", "text": "启用柳岸小学分流点", "point": "柳岸小学", "people": 120, "vehicles": 2}, at(13, 10))
    post(office, "/api/incident-reports/", {**report, "kind": "final", "means": "written",
                                           **_json(report_fields(progress="处置完毕"))}, at(15, 0))
    closed = post(office, f"/api/incidents/{incident.pk}/close/", {}, at(15, 10))
    assert closed["status"] == "closed" and closed["phase"] == "on_scene"

    assert failing(incident, at(16, 0)) == [
        ("incidents.responder_on_scene", "responders_on_scene", "队员乙"),
        ("incidents.written_report", "written_report", ""),
    ]
    # The accountability audit of the street for that day lists exactly those two.
    report = audit.build(org.street, at(0, 0).date(), at(0, 0).date(), now=at(16, 0))
    assert sorted((row.kind, row.finding) for row in report.rows) == [
        ("incidents.responder_on_scene", State.MET_LATE), ("incidents.written_report", State.MET_LATE),
    ]
    kinds = list(incident.log.order_by("at", "pk").values_list("kind", flat=True))
    for kind in ("intake", "report", "activation", "arrival", "handover", "evacuation", "closure"):
        assert kind in kinds


def _json(fields):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()}
