"""Numbers, clocks per policy and level, frozen versions, bad input, idempotent retries."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.core.choices import NodeLevel
from shouwang.core.services import create_node
from shouwang.incidents import services
from shouwang.incidents.choices import IncidentLevel
from shouwang.incidents.models import Incident, Report
from shouwang.obligations.choices import State
from shouwang.policies.services import new_version

from .conftest import T0, at, make_incident, report_fields


def rules(incident):
    return {o.rule: o for o in services.obligations_of(incident)}


def test_numbers_run_per_street_and_year(org):
    other = create_node(parent=org.district, code="S2", name="另一街道", level=NodeLevel.STREET)
    with time_machine.travel(T0, tick=False):
        a, b = make_incident(org), make_incident(org, node=org.c2)
        c = make_incident(org, node=other, user="admin")
    with time_machine.travel(at(0, 5, day=1).replace(year=2027, month=1), tick=False):
        d = make_incident(org)
    assert [a.number, b.number, c.number, d.number] == ["S-2026-0001", "S-2026-0002", "S2-2026-0001", "S-2027-0001"]


def test_preset_a_clocks_only_for_its_categories(org, preset_a):
    with time_machine.travel(T0, tick=False):
        violent = make_incident(org)
        fire = make_incident(org, category="fire", title="厨房起火")
    assert set(rules(violent)) == {"first_report", "written_report"}
    assert rules(violent)["first_report"].kind == "incidents.first_report"
    assert rules(violent)["written_report"].kind == "incidents.written_report"
    assert rules(fire) == {}


def test_level_change_reevaluates_clocks_against_the_frozen_version(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", title="仓库火灾", level="III")
    assert set(rules(incident)) == {"report_to_leading_group", "report_to_superior"}
    # A new version of B later shortens the clock: the running case keeps its version.
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        changed = dict(preset_b.versions.order_by("-number").first().rules)
        changed["incident_clocks"] = [dict(c, minutes=10) for c in changed["incident_clocks"]]
        new_version(preset_b, changed)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        services.change_level(incident, "II", user=org.user("office"))
    now = rules(incident)
    assert set(now) == {"report_to_leading_group", "report_to_superior", "major_phone_report", "major_written_report"}
    assert now["major_phone_report"].due_at == T0 + timedelta(minutes=40)
    assert now["report_to_leading_group"].due_at == T0 + timedelta(minutes=20)
    assert {o.policy_version_id for o in now.values()} == {incident.policy_version_id}
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        services.change_level(incident, "IV", user=org.user("office"))
    waived = rules(incident)["major_phone_report"]
    assert waived.state_at() == State.WAIVED and str(IncidentLevel.IV.label) in waived.waive_reason
    assert incident.log.filter(kind="level").count() == 2


def test_report_meets_first_pending_clock_of_its_means(org, preset_b):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org, category="fire", level="II")
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        services.submit_report(incident, user=org.user("office"), kind="first", means="phone",
                               reported_by="值班员", reported_to="领导小组")
    with time_machine.travel(T0 + timedelta(minutes=50), tick=False):
        services.submit_report(incident, user=org.user("office"), kind="written", means="written",
                               reported_by="值班员", reported_to="区应急局", **report_fields())
    state = {r: o.state_at(T0 + timedelta(minutes=50)) for r, o in rules(incident).items()}
    assert state["report_to_leading_group"] == State.MET
    assert state["report_to_superior"] == State.MET  # the written one, next pending accepting "written"
    assert state["major_phone_report"] == State.MISSED  # a phone report was made, but not the major one in time


def test_bad_report_input_is_refused(org, preset_a):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
    office = org.user("office")
    base = {"user": office, "kind": "first", "means": "phone", "reported_by": "甲", "reported_to": "乙"}
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        with pytest.raises(ValidationError) as future:
            services.submit_report(incident, reported_at=T0 + timedelta(hours=2), **base)
        assert "reported_at" in future.value.message_dict
        with pytest.raises(ValidationError) as before:
            services.submit_report(incident, reported_at=T0 - timedelta(minutes=1), **base)
        assert "reported_at" in before.value.message_dict
        for bad in (-1, 1.5, "3"):
            with pytest.raises(ValidationError) as casualties:
                services.submit_report(incident, dead=bad, **base)
            assert "dead" in casualties.value.message_dict
    assert Report.objects.count() == 0


def test_reports_are_never_edited(org, preset_a):
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        incident = make_incident(org, received_at=T0)
        report, _ = services.submit_report(incident, user=org.user("office"), kind="first", means="oral",
                                           reported_by="甲", reported_to="乙")
    report.content = "改过"
    with pytest.raises(ValidationError):
        report.save()


def test_api_bad_input_answers_400_with_field_messages(org, api, preset_a):
    client = api(org.user("office1"))
    ok = {"title": "x", "category": "fire", "level": "IV", "address": "y", "jurisdiction": org.c1.pk}
    for field, value in (("level", "V"), ("category", "ufo"), ("jurisdiction", org.c2.pk)):
        response = client.post("/api/incidents/", {**ok, field: value}, format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
    incident = make_incident(org)
    for field, value in (("dead", -1), ("reported_at", "2099-01-01T00:00:00+08:00")):
        response = client.post("/api/incident-reports/", {"incident": incident.pk, "kind": "first", "means": "phone",
                                                          "reported_by": "a", "reported_to": "b", field: value},
                               format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
    assert Incident.objects.count() == 1 and Report.objects.count() == 0


def test_report_retry_with_same_uuid_returns_the_first(org, api, preset_a):
    incident = make_incident(org)
    payload = {"incident": incident.pk, "kind": "first", "means": "phone", "reported_by": "a", "reported_to": "b",
               "client_uuid": str(uuid.uuid4())}
    client = api(org.user("grid1"))
    first, second = client.post("/api/incident-reports/", payload, format="json"), \
        client.post("/api/incident-reports/", payload, format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and Report.objects.count() == 1


def test_activation_by_someone_not_allowed_is_403_with_reason(org, api, preset_a, lead_group):
    incident = make_incident(org)
    body = {"plan_name": "预案", "lead_group": lead_group.pk}
    office = api(org.user("office")).post(f"/api/incidents/{incident.pk}/activate/", body, format="json")
    assert office.status_code == 403 and "领导" in office.json()["detail"] and "leader" not in office.json()["detail"]
    viewer = api(org.user("viewer")).post(f"/api/incidents/{incident.pk}/activate/", body, format="json")
    assert viewer.status_code == 403 and viewer.json()["detail"]
    with pytest.raises(PermissionDenied):
        services.activate(incident, user=org.user("grid1"), plan_name="x", lead_group=lead_group)
    incident.refresh_from_db()
    assert incident.activated_at is None


def test_closure_needs_a_final_report_and_review_actions_become_obligations(org, preset_a):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
    office = org.user("office")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        with pytest.raises(ValidationError):
            services.close(incident, user=office)
        services.submit_report(incident, user=office, kind="final", means="written", reported_by="a", reported_to="b")
        services.close(incident, user=office)
        with pytest.raises(ValidationError):
            services.submit_report(incident, user=office, kind="follow_up", means="written", reported_by="a",
                                   reported_to="b")
        services.review(incident, user=office, what_happened="a", what_worked="b", what_did_not="c",
                        actions=[{"text": "补装监控", "due_at": T0 + timedelta(days=14)}])
    action = services.obligations_of(incident).get(kind="incidents.review_action")
    assert action.due_at == T0 + timedelta(days=14) and action.title.endswith("补装监控")


def test_tasks_are_obligations(org, preset_a):
    with time_machine.travel(T0, tick=False):
        incident = make_incident(org)
        with pytest.raises(ValidationError):
            services.add_task(incident, user=org.user("office"), title="疏导交通", due_at=T0 + timedelta(hours=1))
        from shouwang.core.models import Person

        person = Person.objects.create(jurisdiction=org.c1, name="交通协管")
        task = services.add_task(incident, user=org.user("office"), title="疏导交通", due_at=T0 + timedelta(hours=1),
                                 person=person)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.complete_task(task, user=org.user("grid1"))
    ob = services.obligations_of(incident).get(kind="incidents.task")
    assert ob.responsible_person == person and ob.state_at() == State.MET


def test_headquarters_always_for_level_ii_under_preset_b(org, preset_b):
    with time_machine.travel(T0, tick=False):
        major = make_incident(org, category="fire", level="II")
        minor = make_incident(org, category="fire", level="IV")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        h1 = services.hand_over(major, user=org.user("office"), from_commander="派出所", to_commander="指挥长",
                                situation="火势控制")
        h2 = services.hand_over(minor, user=org.user("office"), from_commander="派出所", to_commander="指挥长",
                                situation="火势控制")
    assert h1.headquarters is True and h2.headquarters is False
