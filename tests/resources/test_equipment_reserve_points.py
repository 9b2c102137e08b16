"""Equipment issued and returned (the overdue return an obligation, escalated once however often
the sweep runs, and on the home page), its asset log and states; the reserve team's call-out,
acknowledged from the phone (idempotent, the phone's time when plausible) and checked in at the
assembly point, with the shares within 30 and 60 minutes against the policy; points checked,
opened and closed (a failed check makes a point unavailable)."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import Role
from shouwang.obligations.choices import State
from shouwang.obligations.escalation import sweep
from shouwang.obligations.models import Notification, Obligation
from shouwang.resources import queries, services
from shouwang.resources.choices import KIND_ASSEMBLE, KIND_POINT_CHECK, KIND_RETURN
from shouwang.resources.models import CallOutAnswer, EquipmentEvent, EquipmentIssue
from tests.conftest import make_user

# --- equipment ------------------------------------------------------------------------------------


def test_issue_and_return_keep_the_asset_log_and_meet_the_return(org, equipment, keepers):
    office = org.user("office1")
    due = timezone.now() + timedelta(hours=8)
    issue = services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="patrol", due_back_at=due)
    equipment.refresh_from_db()
    assert equipment.state == "issued"
    ob = queries.return_duty(issue).get()
    assert (ob.kind, ob.due_at, ob.responsible_person) == (KIND_RETURN, due, keepers["c1"])
    services.return_equipment(equipment, by=office, condition="worn", note="背带磨损")
    equipment.refresh_from_db()
    assert (equipment.state, equipment.condition) == ("available", "worn")
    assert Obligation.objects.get(pk=ob.pk).state_at() == State.MET
    assert list(equipment.events.order_by("at", "pk").values_list("kind", flat=True)) == ["issue", "return"]


def test_a_return_of_equipment_not_issued_is_refused_with_the_field_and_nothing_is_written(org, equipment):
    before = (EquipmentEvent.objects.count(), EquipmentIssue.objects.count())
    with pytest.raises(ValidationError) as err:
        services.return_equipment(equipment, by=org.user("office1"))
    assert err.value.message_dict == {"equipment": ["防刺背心 FC-001未发放：无需归还。"]}
    assert (EquipmentEvent.objects.count(), EquipmentIssue.objects.count()) == before


def test_equipment_out_cannot_be_issued_again_and_needs_a_holder(org, equipment, keepers):
    office, due = org.user("office1"), timezone.now() + timedelta(hours=2)
    with pytest.raises(ValidationError) as err:
        services.issue_equipment(equipment, by=office, purpose="patrol", due_back_at=due)
    assert list(err.value.message_dict) == ["person"]
    services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="patrol", due_back_at=due)
    with pytest.raises(ValidationError) as err:
        services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="patrol", due_back_at=due)
    assert list(err.value.message_dict) == ["equipment"]
    assert EquipmentIssue.objects.count() == 1


def test_the_overdue_return_is_escalated_once_and_shown_on_the_home_page(org, equipment, keepers, client):
    office = org.user("office1")
    keeper_user = make_user("keeper1", Role.PATROL_MEMBER, org.c1)
    keepers["c1"].user = keeper_user
    keepers["c1"].save()
    due = timezone.now() + timedelta(hours=2)
    issue = services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="patrol", due_back_at=due)
    ob = queries.return_duty(issue).get()
    late = due + timedelta(hours=3)
    with time_machine.travel(late, tick=False):
        sweep(now=late)
        first = Notification.objects.filter(obligation=ob).count()
        step = Obligation.objects.get(pk=ob.pk).escalation_step
        sweep(now=late + timedelta(minutes=5))
        assert first > 0 and Notification.objects.filter(obligation=ob).count() == first
        assert Obligation.objects.get(pk=ob.pk).escalation_step == step
        assert {n.recipient.username for n in Notification.objects.filter(obligation=ob, kind="missed")} >= {
            "keeper1", "office1"}
        assert queries.overdue_issues(EquipmentIssue.objects.all()).get() == issue
        client.force_login(office)
        html = client.get(reverse("home")).content.decode()
        assert 'data-tile="resources.desk"' in html and "防刺背心 FC-001" in html
        client.force_login(keeper_user)
        mine = client.get(reverse("home")).content.decode()
        assert 'data-tile="resources.mine"' in mine and "equipment-overdue" in mine


def test_lost_while_issued_closes_the_issue_and_waives_the_return(org, equipment, keepers):
    office = org.user("office1")
    issue = services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="incident",
                                     due_back_at=timezone.now() + timedelta(hours=4))
    with pytest.raises(ValidationError):
        services.report_lost(equipment, by=office, note="")
    services.report_lost(equipment, by=office, note="处置现场遗失")
    issue.refresh_from_db()
    assert issue.returned_at is not None
    assert queries.return_duty(issue).get().state_at() == State.WAIVED
    with pytest.raises(ValidationError):
        services.return_equipment(equipment, by=office)
    services.found_again(equipment, by=office, note="群众送回")
    services.send_to_repair(equipment, by=office, note="拉链损坏")
    with pytest.raises(ValidationError) as err:
        services.issue_equipment(equipment, by=office, person=keepers["c1"], purpose="patrol",
                                 due_back_at=timezone.now() + timedelta(hours=1))
    assert err.value.message_dict == {"equipment": ["维修中。"]}
    services.back_from_repair(equipment, by=office)
    services.retire(equipment, by=office, note="超过使用年限")
    assert list(equipment.events.order_by("at", "pk").values_list("kind", flat=True)) == [
        "issue", "lost", "found", "repair", "repaired", "retire"]


# --- the reserve team -----------------------------------------------------------------------------


def test_a_call_out_asks_every_member_and_a_member_acknowledges_once_from_the_phone(org, reserve):
    office = org.user("office1")
    callout = services.call_out(reserve, by=office, kind="test")
    assert callout.answers.count() == 5 and "一社区广场" in callout.assembly
    assert Notification.objects.filter(recipient__username__startswith="member").count() == 3
    key = uuid.uuid4()
    tapped = callout.sent_at + timedelta(minutes=4)
    with time_machine.travel(callout.sent_at + timedelta(minutes=9), tick=False):  # sent when the network came back
        answer, created = services.acknowledge(org.user("member0"), callout=callout, client_uuid=key,
                                               device_time=tapped)
        again, created_again = services.acknowledge(org.user("member0"), callout=callout, client_uuid=key)
    assert created and not created_again and answer.pk == again.pk
    assert answer.acknowledged_at == tapped and answer.received_at == callout.sent_at + timedelta(minutes=9)
    with pytest.raises(PermissionDenied):
        services.acknowledge(org.user("patrol1"), callout=callout, client_uuid=uuid.uuid4())
    from shouwang.core.idempotency import KeyTaken

    with pytest.raises(KeyTaken):
        services.acknowledge(org.user("member1"), callout=callout, client_uuid=key)


def test_an_implausible_phone_time_gives_way_to_the_servers(org, reserve):
    callout = services.call_out(reserve, by=org.user("office1"))
    answer, _created = services.acknowledge(org.user("member1"), callout=callout, client_uuid=uuid.uuid4(),
                                            device_time=callout.sent_at - timedelta(hours=1))
    assert answer.acknowledged_at >= callout.sent_at


def test_the_report_shows_the_shares_within_30_and_60_minutes_against_the_policy(org, reserve):
    office = org.user("office1")
    sent = timezone.now() - timedelta(hours=2)
    callout = services.call_out(reserve, by=office, at=sent)
    answers = list(callout.answers.order_by("person__name"))
    for answer, minutes in zip(answers, [5, 25, 50, 70], strict=False):
        answer.acknowledged_at = sent + timedelta(minutes=minutes)
        answer.save()
    services.check_in(callout, [answers[0].person, answers[1].person], by=office, at=sent + timedelta(minutes=28))
    services.check_in(callout, [answers[2].person], by=office, at=sent + timedelta(minutes=59))
    report = queries.callout_report(callout)
    shares = {s.label: (s.done, s.of, s.target, s.met) for s in report["shares"]}
    assert shares == {"acknowledged_30": (2, 5, 0.9, False), "acknowledged_60": (3, 5, 1.0, False),
                      "arrived_30": (2, 5, 0.6, False), "arrived_60": (3, 5, 0.9, False)}
    assert report["arrived"] == 3 and report["acknowledged"] == 4
    with pytest.raises(ValidationError):
        services.check_in(callout, [answers[3].person], by=office, at=sent - timedelta(minutes=1))


def test_an_incident_call_out_makes_each_arrival_an_obligation_met_at_the_check_in(org, reserve):
    office = org.user("office1")
    callout = services.call_out(reserve, by=office, kind="incident")
    obs = queries.assembly_duties(callout)
    assert obs.count() == Obligation.objects.for_subject(callout).filter(kind=KIND_ASSEMBLE).count()
    assert obs.count() == 5 and {o.due_at for o in obs} == {callout.sent_at + timedelta(minutes=60)}
    member = reserve.members.order_by("name").first()
    services.check_in(callout, [member], by=office)
    met = [o for o in obs.all() if o.state_at() == State.MET]
    assert len(met) == 1 and met[0].responsible_person == member
    with pytest.raises(ValidationError):
        services.call_out(reserve, by=office)  # one open call-out at a time
    services.close_callout(callout, by=office)
    assert services.call_out(reserve, by=office).pk != callout.pk


def test_only_a_reserve_team_with_an_assembly_point_is_called_out(org, reserve):
    from shouwang.core.models import Team

    patrol = Team.objects.create(jurisdiction=org.c1, name="护校队", kind="school")
    with pytest.raises(ValidationError):
        services.call_out(patrol, by=org.user("office1"))
    reserve.assembly_point.delete()
    reserve.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.call_out(reserve, by=org.user("office1"))
    assert list(err.value.message_dict) == ["team"]
    with pytest.raises(PermissionDenied):
        services.call_out(reserve, by=org.user("grid1"))


def test_check_in_names_only_members_of_the_call_out(org, reserve):
    from shouwang.core.models import Person

    callout = services.call_out(reserve, by=org.user("office1"))
    stranger = Person.objects.create(jurisdiction=org.c1, name="路人")
    with pytest.raises(ValidationError) as err:
        services.check_in(callout, [stranger], by=org.user("office1"))
    assert list(err.value.message_dict) == ["persons"]
    assert not CallOutAnswer.objects.filter(arrived_at__isnull=False).exists()


# --- points ---------------------------------------------------------------------------------------


def test_a_failed_check_makes_a_point_unavailable_until_one_passes(org, point):
    office = org.user("office1")
    with pytest.raises(ValidationError):
        services.check_point(point, by=office, passed=False)  # say what failed
    services.check_point(point, by=office, passed=False, findings="应急通道被占用")
    point.refresh_from_db()
    assert not point.available
    assert queries.points_with_vehicles(type(point).objects.filter(check_failed=False)).count() == 0
    services.check_point(point, by=office, passed=True)
    point.refresh_from_db()
    assert point.available and point.last_checked_on == timezone.localdate()
    ob = Obligation.objects.for_subject(point).filter(kind=KIND_POINT_CHECK).pending().get()
    assert ob.due_at.date() >= timezone.localdate() + timedelta(days=29)


def test_a_point_opens_once_a_failed_one_only_with_a_reason_and_closes(org, point):
    office = org.user("office1")
    services.check_point(point, by=office, passed=False, findings="照明损坏")
    with pytest.raises(ValidationError) as err:
        services.open_point(point, by=office, occupancy=10)
    assert list(err.value.message_dict) == ["note"]
    opening = services.open_point(point, by=office, occupancy=10, note="其他点位已满，临时启用")
    with pytest.raises(ValidationError):
        services.open_point(point, by=office)
    services.set_occupancy(opening, 320, by=office)
    with pytest.raises(ValidationError):
        services.set_occupancy(opening, -1, by=office)
    opening.refresh_from_db()
    assert opening.occupancy == 320 and opening.share_full == 64
    services.close_point(opening, by=office)
    assert services.open_point(point, by=office, note="再次启用").pk != opening.pk
