"""Schools' services with a moved clock (both databases): gate windows from the school calendar, the
three roles at the gate, a window with a role missing missed and escalated once; guards by GB/T
29315-2022 for 99, 1 000 and 1 600 pupils; the visitor log's retention and its reads; a failed
camera's one order; vehicles refused; the young pupils' handover; visitors flagged at closing."""

import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.core.choices import HolidayKind, Role
from shouwang.core.idempotency import KeyTaken
from shouwang.core.models import ChangeLogEntry, Holiday
from shouwang.inspections import services as inspections
from shouwang.inspections.choices import FindingSource, OrderState
from shouwang.inspections.models import Finding, RectificationOrder
from shouwang.obligations import escalation
from shouwang.obligations.choices import NotificationKind, State
from shouwang.obligations.models import Notification, Obligation
from shouwang.policies.models import NodePolicy
from shouwang.policies.services import copy_policy, new_version
from shouwang.schools import queries, rules, services, staffing
from shouwang.schools.choices import KIND_CCTV, KIND_GATE, GateKind, GateRole
from shouwang.schools.models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    Purge,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)
from tests.conftest import make_user
from tests.inspections.conftest import png_data_url

from .conftest import CN, visitor


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def at(day, hhmm):
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=CN)


def gate_obligation(window):
    return Obligation.objects.for_subject(window).of_kind(KIND_GATE).with_state(window.ends_at + timedelta(hours=1)).get()


def confirm(user, window, **data):
    return services.confirm_gate(user, {"client_uuid": str(uuid.uuid4()), "window": window.pk, "lat": 31.2301,
                                        "lon": 121.4701, **data})


# --- the school day ------------------------------------------------------------------------------

def test_gate_windows_come_from_the_school_calendar_and_open_once(org, schools, clock):
    Holiday.objects.create(jurisdiction=org.street, name="校运动会调休", kind=HolidayKind.SCHOOL,
                           starts_on=date(2026, 12, 2), ends_on=date(2026, 12, 2))
    Holiday.objects.create(jurisdiction=org.street, name="重要会议安保期", kind=HolidayKind.SENSITIVE,
                           starts_on=date(2026, 12, 3), ends_on=date(2026, 12, 4))
    days = {}
    for day in (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 5)):
        clock.move_to(at(day, "06:30"))
        services.open_school_days(days=1)
        services.open_school_days(days=1)  # the job runs again: nothing twice
        days[day] = sorted(GateWindow.objects.filter(school=schools.primary, day=day).values_list("kind", flat=True))
    # a Tuesday, a school holiday, a sensitive period (schools stay open), a Saturday
    assert days == {date(2026, 12, 1): ["arrival", "dismissal"], date(2026, 12, 2): [],
                    date(2026, 12, 3): ["arrival", "dismissal"], date(2026, 12, 5): []}
    window = GateWindow.objects.get(school=schools.primary, day=date(2026, 12, 1), kind=GateKind.ARRIVAL)
    assert (window.starts_at, window.ends_at) == (at(window.day, "07:15"), at(window.day, "07:45"))  # preset D
    assert Obligation.objects.for_subject(window).of_kind(KIND_GATE).count() == 1
    # the camera check is every day, holidays too
    cctv = Obligation.objects.for_subjects(type(schools.primary), [schools.primary.pk]).of_kind(KIND_CCTV)
    assert cctv.count() == 4


def test_the_schools_own_times_win_over_the_policy(org, schools, clock):
    schools.primary.arrival_start, schools.primary.arrival_end = time(7, 30), time(8, 0)
    services.save_school(schools.primary)
    services.open_school_days(days=1)
    window = GateWindow.objects.get(school=schools.primary, kind=GateKind.ARRIVAL)
    assert timezone_hm(window.starts_at) == "07:30" and timezone_hm(window.ends_at) == "08:00"
    assert timezone_hm(GateWindow.objects.get(school=schools.primary, kind=GateKind.DISMISSAL).starts_at) == "16:00"


def timezone_hm(moment):
    return moment.astimezone(CN).strftime("%H:%M")


def test_the_three_roles_meet_the_window(org, schools, clock):
    services.open_school_days(days=1)
    window = GateWindow.objects.get(school=schools.primary, kind=GateKind.ARRIVAL)
    clock.move_to(at(window.day, "07:10"))
    first, created = confirm(schools.user("head_a"), window)
    assert created and first.role == GateRole.LEADER and first.distance_m is not None and first.distance_m < 50
    first.assignment.refresh_from_db()
    assert first.assignment.confirmed_at == at(window.day, "07:10")  # duty's on-duty confirmation too
    clock.move_to(at(window.day, "07:16"))
    confirm(schools.user("guard_a"), window)
    assert gate_obligation(window).state_db == State.MISSED  # (as of after the end:) two roles are not three
    clock.move_to(at(window.day, "07:22"))
    confirm(schools.user("teacher_a"), window)
    ob = gate_obligation(window)
    assert ob.state_db == State.MET and ob.met_at == at(window.day, "07:22")
    row = queries.gate_rows([window])[0]
    assert [r["confirmed"].person for r in row.roles] == [schools.person("head_a"), schools.person("guard_a"),
                                                          schools.person("teacher_a")]


def test_a_confirmation_is_refused_in_words(org, schools, clock):
    services.open_school_days(days=1)
    window = GateWindow.objects.get(school=schools.primary, kind=GateKind.ARRIVAL)
    clock.move_to(at(window.day, "06:30"))
    with pytest.raises(ValidationError) as early:
        confirm(schools.user("guard_a"), window)
    assert "30" in str(early.value.message_dict["at"])
    clock.move_to(at(window.day, "07:20"))
    with pytest.raises(ValidationError) as stranger:  # the middle school's guard is not on this roster
        confirm(schools.user("guard_b"), window)
    assert "window" in stranger.value.message_dict
    key = str(uuid.uuid4())
    mine, created = confirm(schools.user("guard_a"), window, client_uuid=key)
    again, created_again = confirm(schools.user("guard_a"), window, client_uuid=key)
    assert created and not created_again and again.pk == mine.pk
    with pytest.raises(KeyTaken):  # someone else's key
        confirm(schools.user("head_a"), window, client_uuid=key)
    with pytest.raises(ValidationError):  # his role is confirmed already
        confirm(schools.user("guard_a"), window)
    clock.move_to(at(window.day, "07:50"))
    with pytest.raises(ValidationError) as late:
        confirm(schools.user("head_a"), window)
    assert "07:45" in str(late.value.message_dict["at"])
    # an offline phone's tap made in the window and sent later counts at its time
    confirm(schools.user("head_a"), window, at=at(window.day, "07:30").isoformat())
    assert GateConfirmation.objects.filter(window=window).count() == 2


def test_a_window_with_a_role_missing_is_missed_once_and_escalates_once(org, schools, clock):
    services.open_school_days(days=1)
    window = GateWindow.objects.get(school=schools.primary, kind=GateKind.DISMISSAL)
    clock.move_to(at(window.day, "16:05"))
    confirm(schools.user("head_a"), window)
    confirm(schools.user("guard_a"), window)
    ob = Obligation.objects.for_subject(window).get()
    assert ob.responsible_person == schools.person("head_a")  # the leader on duty answers for the window
    clock.move_to(at(window.day, "16:31"))
    assert Obligation.objects.filter(pk=ob.pk).in_state(State.MISSED).exists()
    escalation.sweep()
    escalation.sweep()
    missed = Notification.objects.filter(obligation=ob, kind=NotificationKind.MISSED)
    assert missed.filter(recipient=schools.user("head_a")).count() == 1
    assert missed.count() == missed.values("recipient").distinct().count()
    clock.move_to(at(window.day, "17:40"))  # an hour past the miss: the office
    escalation.sweep()
    escalation.sweep()
    escalated = Notification.objects.filter(obligation=ob, kind=NotificationKind.ESCALATED)
    assert escalated.filter(recipient=org.user("office1")).count() == 1
    # the teacher's tap after the end does not turn the miss into a meeting
    with pytest.raises(ValidationError):
        confirm(schools.user("teacher_a"), window)
    assert Obligation.objects.filter(pk=ob.pk).in_state(State.MISSED).count() == 1
    row = queries.gate_rows([window])[0]
    assert row.state == State.MISSED and [str(m) for m in row.missing] == [str(GateRole.TEACHER.label)]
    assert queries.gate_colour([row]) == "missed"


# --- guards by the standard ----------------------------------------------------------------------

@pytest.mark.parametrize(("pupils", "guards"), [(0, 1), (99, 1), (100, 2), (999, 2), (1000, 3), (1499, 3),
                                                (1600, 4), (2000, 5)])
def test_guards_by_gbt_29315_from_preset_f(presets, pupils, guards):
    tiers = presets["school-security-f"].current_version().rules["school_security"]["guards"]
    assert staffing.required_guards(pupils, tiers)[0] == guards


def test_staffing_against_the_policy_the_roster_and_the_gatehouse(org, schools, clock):
    staff = queries.staffing_of(schools.middle)
    assert (staff.required, staff.on_staff, staff.shortfall, staff.colour) == (4, 1, True, "missed")
    primary = queries.staffing_of(schools.primary)
    assert primary.required == 2 and primary.rostered == 1 and primary.gatehouse_hours == 3.5  # the gate shifts
    assert primary.gatehouse_required == 24 and primary.gatehouse_short
    assert primary.equipped == 0  # resources is installed: no equipment issued to the guard yet
    # its own policy without the section: the node's section still applies
    schools.primary.policy = copy_policy(presets_of(org)["street-prevention-plan-d"], node=org.c1, code="c1-own",
                                         name="一社区")
    services.save_school(schools.primary)
    assert queries.staffing_of(schools.primary).required == 2
    # no school security section anywhere: 'no rule', not a number made up
    NodePolicy.objects.filter(policy__code="school-security-f").delete()
    none = queries.staffing_of(schools.primary)
    assert none.required is None and none.colour == "upcoming" and not none.shortfall


def presets_of(org):
    from shouwang.policies.models import Policy

    return {p.code: p for p in Policy.objects.all()}


def test_rules_for_many_schools_agree_with_one_by_one(org, schools, clock):
    own = copy_policy(presets_of(org)["school-security-f"], node=org.c1, code="c1-f", name="一社区学校要求")
    section = dict(own.current_version().rules["school_security"], visitor_retention_days=30)
    new_version(own, {"school_security": section})
    schools.middle.policy = own
    services.save_school(schools.middle)
    many = rules.for_schools([schools.primary, schools.middle, schools.kindergarten])
    for school in (schools.primary, schools.middle, schools.kindergarten):
        assert many[school.pk].section == rules.of(school).section
    assert many[schools.middle.pk].retention_days == 30 and many[schools.primary.pk].retention_days == 90


# --- visitors ------------------------------------------------------------------------------------

def test_retention_deletes_old_visitors_and_logs_it_without_their_names(org, schools, clock):
    guard, host = schools.user("guard_a"), schools.person("teacher_a")
    old = visitor(guard, schools.primary, host, name="旧访客", received_at=clock_now() - timedelta(days=91))
    kept = visitor(guard, schools.primary, host, name="近访客", received_at=clock_now() - timedelta(days=89))
    car = services.record_vehicle(guard, {"client_uuid": str(uuid.uuid4()), "school": schools.primary.pk,
                                          "plate": "沪A12345", "kind": "official"},
                                  received_at=clock_now() - timedelta(days=95))[0]
    assert services.purge_visitor_logs() == 2
    assert services.purge_visitor_logs() == 0  # the job again: nothing more
    assert list(VisitorEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not VehicleEntry.objects.filter(pk=car.pk).exists()
    purge = Purge.objects.get()
    assert (purge.school, purge.visitors, purge.vehicles, purge.retention_days) == (schools.primary, 1, 1, 90)
    ct = ContentType.objects.get_for_model(VisitorEntry)
    deleted = ChangeLogEntry.objects.get(content_type=ct, object_id=str(old.pk), action="delete")
    logged = str(ChangeLogEntry.objects.filter(content_type=ct, object_id=str(old.pk)).values_list(
        "object_repr", "before", "after"))
    assert "旧访客" not in logged and "123X" not in logged and "13800001111" not in logged
    assert deleted.source == "system" and deleted.before["school_id"] == schools.primary.pk


def clock_now():
    from django.utils import timezone

    return timezone.now()


def test_retention_follows_the_schools_policy(org, schools, clock):
    own = copy_policy(presets_of(org)["school-security-f"], node=org.c1, code="c1-f", name="一社区学校要求")
    new_version(own, {"school_security": dict(own.current_version().rules["school_security"],
                                              visitor_retention_days=30)})
    schools.primary.policy = own
    services.save_school(schools.primary)
    guard, host = schools.user("guard_a"), schools.person("teacher_a")
    visitor(guard, schools.primary, host, received_at=clock_now() - timedelta(days=31))
    visitor(schools.user("guard_b"), schools.middle, schools.person("teacher_b"),
            received_at=clock_now() - timedelta(days=31))
    assert services.purge_visitor_logs() == 1
    assert list(VisitorEntry.objects.values_list("school", flat=True)) == [schools.middle.pk]


def test_one_schools_staff_see_nothing_of_another_schools_visitors(org, schools, clock, api, login):
    a = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="甲校访客")
    b = visitor(schools.user("guard_b"), schools.middle, schools.person("teacher_b"), name="乙校访客")
    k = visitor(schools.user("guard_k"), schools.kindergarten, schools.person("teacher_k"), name="幼儿园访客")
    seen = {name: set(VisitorEntry.objects.restrict(user).values_list("pk", flat=True))
            for name, user in [("guard_a", schools.user("guard_a")), ("head_a", schools.user("head_a")),
                               ("teacher_a", schools.user("teacher_a")), ("guard_b", schools.user("guard_b")),
                               ("office1", org.user("office1")), ("office", org.user("office")),
                               ("grid1", org.user("grid1")), ("patrol1", org.user("patrol1")),
                               ("viewer", org.user("viewer"))]}
    assert seen == {"guard_a": {a.pk}, "head_a": {a.pk}, "teacher_a": {a.pk}, "guard_b": {b.pk},
                    "office1": {a.pk, b.pk}, "office": {a.pk, b.pk, k.pk}, "grid1": set(), "patrol1": set(),
                    "viewer": set()}
    # and through the API and the page, the same
    rows = api(schools.user("guard_b")).get("/api/schools/visitors/").json()["results"]
    assert [r["name"] for r in rows] == ["乙校访客"]
    assert api(schools.user("guard_b")).get(f"/api/schools/visitors/{a.pk}/").status_code == 404
    page = login(schools.user("guard_b")).get("/schools/visitors/").content.decode()
    assert "乙校访客" in page and "甲校访客" not in page
    # a guard cannot register a visitor at a school not his
    with pytest.raises(ValidationError):
        visitor(schools.user("guard_b"), schools.primary, schools.person("teacher_a"))


def test_every_read_of_the_list_is_logged_per_school(org, schools, clock, api, login):
    visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"))
    visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"))
    visitor(schools.user("guard_b"), schools.middle, schools.person("teacher_b"))
    login(org.user("office1")).get("/schools/visitors/")
    reads = {(r.school_id, r.rows, r.channel, r.reader_id) for r in VisitorRead.objects.all()}
    office = org.user("office1").pk
    assert reads == {(schools.primary.pk, 2, "page", office), (schools.middle.pk, 1, "page", office)}
    api(schools.user("guard_a")).get("/api/schools/visitors/")
    assert VisitorRead.objects.filter(channel="api", reader=schools.user("guard_a"), school=schools.primary,
                                      rows=2).count() == 1
    login(schools.user("guard_a")).get("/schools/m/data.json")
    assert VisitorRead.objects.filter(channel="phone", reader=schools.user("guard_a")).count() == 1
    # the read log is the office's: a school's guard does not see who read
    assert not VisitorRead.objects.restrict(schools.user("guard_a")).exists()
    assert VisitorRead.objects.restrict(org.user("office1")).count() == VisitorRead.objects.count()


def test_a_visitor_is_registered_once_with_the_last_four_characters_only(org, schools, clock):
    guard, host = schools.user("guard_a"), schools.person("teacher_a")
    key = str(uuid.uuid4())
    first = visitor(guard, schools.primary, host, client_uuid=key)
    again = visitor(guard, schools.primary, host, client_uuid=key)
    assert first.pk == again.pk and VisitorEntry.objects.count() == 1
    for last4 in ("12345", "12", "12 4", "一二三四"):
        with pytest.raises(ValidationError) as exc:
            visitor(guard, schools.primary, host, id_last4=last4)
        assert "id_last4" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the host must be of the school
        visitor(guard, schools.primary, schools.person("teacher_b"), name="")
    assert {"host", "name"} <= set(exc.value.message_dict)
    assert VisitorEntry.objects.count() == 1
    with pytest.raises(PermissionDenied) as refused:  # a viewer of the street is no guard
        visitor(org.user("viewer"), schools.primary, host)
    assert "一社区小学" in str(refused.value)


def test_the_host_confirms_and_the_visitor_leaves_once(org, schools, clock):
    entry = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"))
    with pytest.raises(PermissionDenied):
        services.host_confirms(schools.user("head_a"), {"visitor": entry.pk})
    services.host_confirms(schools.user("teacher_a"), {"visitor": str(entry.client_uuid)})
    clock.move_to(NOW_PLUS(hours=1))
    out = services.visitor_leaves(schools.user("guard_a"), {"visitor": str(entry.client_uuid)})
    clock.move_to(NOW_PLUS(hours=2))
    again = services.visitor_leaves(schools.user("guard_a"), {"visitor": entry.pk})
    assert out.left_at == again.left_at == NOW_PLUS(hours=1) and out.host_confirmed_at is not None
    with pytest.raises(ValidationError):  # another school's guard does not see him
        services.visitor_leaves(schools.user("guard_b"), {"visitor": entry.pk})


def NOW_PLUS(**delta):  # noqa: N802 - reads as a time
    from .conftest import NOW

    return NOW + timedelta(**delta)


def test_visitors_still_inside_at_closing_are_flagged_once(org, schools, clock):
    inside = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="滞留者")
    gone = visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"))
    services.visitor_leaves(schools.user("guard_a"), {"visitor": gone.pk})
    clock.move_to(NOW_PLUS(hours=11, minutes=59))  # 17:59
    assert services.flag_visitors_inside() == 0
    clock.move_to(NOW_PLUS(hours=12, minutes=5))  # past 18:00
    assert services.flag_visitors_inside() == 1
    assert services.flag_visitors_inside() == 0
    inside.refresh_from_db()
    assert inside.flagged_at == NOW_PLUS(hours=12, minutes=5)
    told = Notification.objects.filter(recipient__in=[schools.user("guard_a"), schools.user("head_a")])
    assert told.count() == 2 and "1" in told.first().title


# --- vehicles ------------------------------------------------------------------------------------

def test_an_outside_vehicle_without_registration_is_refused_and_recorded(org, schools, clock):
    guard = schools.user("guard_a")
    base = {"school": schools.primary.pk, "plate": "沪b 99999"}
    with pytest.raises(ValidationError) as exc:
        services.record_vehicle(guard, {**base, "client_uuid": str(uuid.uuid4()), "kind": "unregistered",
                                        "outcome": "admitted"})
    assert "outcome" in exc.value.message_dict
    refused, _c = services.record_vehicle(guard, {**base, "client_uuid": str(uuid.uuid4()), "kind": "unregistered"})
    assert refused.outcome == "refused" and refused.refusal_reason and refused.plate == "沪B99999"
    assert not VehicleEntry.objects.filter(pk=refused.pk).inside().exists()
    official, _c = services.record_vehicle(guard, {**base, "client_uuid": str(uuid.uuid4()), "kind": "official"})
    assert list(VehicleEntry.objects.inside().values_list("pk", flat=True)) == [official.pk]
    services.vehicle_leaves(guard, {"vehicle": str(official.client_uuid)})
    assert not VehicleEntry.objects.inside().exists()


# --- cameras -------------------------------------------------------------------------------------

def check(user, camera, result, **data):
    return services.check_camera(user, {"client_uuid": str(uuid.uuid4()), "camera": camera.pk, "result": result,
                                        **data})[0]


def test_a_failed_camera_opens_one_finding_and_order_and_never_twice(org, schools, clock):
    guard = schools.user("guard_a")
    camera = Camera.objects.get(school=schools.primary)
    first = check(guard, camera, "not_recording", note="硬盘录像机报错")
    order = RectificationOrder.objects.get()
    assert first.finding == order.finding and order.finding.source == FindingSource.CAMERA_CHECK
    assert order.responsible_unit == schools.primary.unit and order.finding.severity == "serious"
    assert "校门口1号" in order.finding.description
    with pytest.raises(ValidationError):  # one check a camera a day
        check(guard, camera, "poor_image")
    clock.move_to(NOW_PLUS(days=1))
    second = check(guard, camera, "poor_image")  # still failing the next day: the same order
    assert second.finding_id == first.finding_id and RectificationOrder.objects.count() == 1
    assert Finding.objects.count() == 1
    # the order closed (fixed and verified by an inspector), a new failure is a new order
    inspector = make_user("inspector1", Role.INSPECTOR, org.street)
    inspections.report_done(order, user=org.user("office1"), text="更换硬盘", photos=[png_data_url()])
    inspections.verify(order, user=inspector, passed=True)
    assert RectificationOrder.objects.get().state == OrderState.CLOSED
    clock.move_to(NOW_PLUS(days=2))
    third = check(guard, camera, "not_recording")
    assert third.finding_id != first.finding_id and RectificationOrder.objects.count() == 2


def test_the_days_camera_check_is_met_when_every_camera_is_checked(org, schools, clock):
    spot = schools.primary.spots.get()
    second = Camera.objects.create(school=schools.primary, spot=spot, name="校门口2号")
    services.open_school_days(days=1)
    ob = Obligation.objects.for_subjects(type(schools.primary), [schools.primary.pk]).of_kind(KIND_CCTV).order_by(
        "due_at").first()
    clock.move_to(NOW_PLUS(hours=2))
    check(schools.user("guard_a"), Camera.objects.get(school=schools.primary, name="校门口1号"), "working")
    assert Obligation.objects.filter(pk=ob.pk).pending().exists()
    clock.move_to(NOW_PLUS(hours=3))
    check(schools.user("guard_a"), second, "working")
    ob.refresh_from_db()
    assert ob.met_at == NOW_PLUS(hours=3)
    assert CameraCheck.objects.filter(finding__isnull=False).count() == 0


def test_a_school_guard_cannot_check_another_schools_camera(org, schools, clock):
    with pytest.raises(ValidationError):
        check(schools.user("guard_b"), Camera.objects.get(school=schools.primary), "working")


# --- handover ------------------------------------------------------------------------------------

def test_the_class_teacher_confirms_the_handover_by_class_and_time(org, schools, clock):
    pupil_class = schools.primary.classes.get()
    clock.move_to(NOW_PLUS(hours=10, minutes=20))
    with pytest.raises(ValidationError):  # a teacher of the other school does not see the class
        services.confirm_handover(schools.user("teacher_b"), {"client_uuid": str(uuid.uuid4()),
                                                              "pupil_class": pupil_class.pk})
    done, created = services.confirm_handover(schools.user("teacher_a"), {"client_uuid": str(uuid.uuid4()),
                                                                          "pupil_class": pupil_class.pk})
    again, created_again = services.confirm_handover(schools.user("teacher_a"), {"client_uuid": str(uuid.uuid4()),
                                                                                 "pupil_class": pupil_class.pk})
    assert created and not created_again and again.pk == done.pk
    assert done.day == date(2026, 12, 1) and done.at == NOW_PLUS(hours=10, minutes=20)
    assert Handover.objects.count() == 1
    names = {f.name for f in Handover._meta.get_fields()}
    assert not names & {"pupil", "child", "name", "pupils"}  # class and time only
