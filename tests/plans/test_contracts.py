"""Scope and change-log contracts of every plans record, in the API and on the pages (both
databases): plans, drills, courses, sessions, campaigns and targets in full; versions, checklist
actions, reviews, injects, expected actions, corrective actions and photos read in scope; ratings
and attendance as evidence (scoped, in the change log, never edited nor deleted). A player sees the
drill he plays in through his duty, nothing else of its node."""

import io
import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from shouwang.core.choices import GroupKind, PersonKind
from shouwang.core.models import Group, Person
from shouwang.plans import services
from shouwang.plans.models import (
    Attendance,
    Campaign,
    CampaignPhoto,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Evaluation,
    ExpectedAction,
    Improvement,
    Inject,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Session,
)
from tests.crud import (
    ApiContract,
    ApiDetail,
    ApiList,
    EvidenceContract,
    PageContract,
    PageCreate,
    PageDetail,
    PageEdit,
    PageList,
    log_rows,
)


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    import base64

    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _group(node):
    group, _ = Group.objects.get_or_create(jurisdiction=node, name=f"{node.name}事故灾难工作组",
                                           defaults={"kind": GroupKind.WORKING, "working_kind": "accidents"})
    return group


def _person(node, name=None):
    return Person.objects.get_or_create(jurisdiction=node, name=name or f"{node.name}联络人",
                                        defaults={"kind": PersonKind.STAFF})[0]


def _plan(node, approved=True):
    plan = services.create_plan(node=node, title=f"{node.name}火灾事故应急预案", working_kind="accidents",
                                actions=[{"text": "疏散群众", "offset_minutes": 10}], lead_group=_group(node))
    if approved:
        services.approve(plan.versions.get(), user=None, approver="周振华")
    plan.refresh_from_db()
    return plan


def _drill(node, player=None):
    drill = services.create_drill(node=node, title=f"{node.name}消防演练", kind="evacuation",
                                  scheduled_at=timezone.now() + timedelta(days=3), category="fire", level="IV",
                                  address=f"{node.name}小学", evaluators=[_person(node, f"{node.name}评估员")],
                                  injects=[{"title": f"{node.name}火警", "message": "起火", "offset_minutes": 0,
                                            "recipient_person": _person(node, player),
                                            "actions": [{"text": f"{node.name}报警", "window_minutes": 5}]}])
    return drill


def _started(org, node):
    drill = _drill(node)
    services.start_drill(drill, user=org.user("admin"))
    return drill


def _ended(org, node):
    drill = _started(org, node)
    services.end_drill(drill, user=org.user("admin"))
    return drill


def _course(node):
    return services.create_course(node=node, title=f"{node.name}疏散培训", hours=2, posts=["volunteer"],
                                  certificate_months=12)


def _session(node):
    now = timezone.now()
    return services.create_session(node=node, course=_course(node), starts_at=now - timedelta(minutes=10),
                                   ends_at=now + timedelta(hours=2), place=f"{node.name}会议室")


class NotWritten:
    """Read-only in the API: no create, edit or delete, whatever the role."""

    def test_no_writes_through_the_api(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        assert client.post(self.api_path, {}, format="json").status_code == 405
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json").status_code == 405
        assert self.model.objects.filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- plans

class TestPlanApi(ApiContract):
    model = Plan
    api_path = "/api/plans/plans/"
    edit_field = "title"

    def make(self, org, node):
        return _plan(node, approved=False)  # approving is an update of its own

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "title": "新预案", "working_kind": "accidents",
                "draft": {"scope": "火灾", "actions": [{"text": "疏散", "offset_minutes": 5}]}}

    def test_created_with_its_draft_and_approved_through_the_api(self, api, org):
        client = api(org.user("office1"))
        made = client.post(self.api_path, self.payload(org, org.c1), format="json")
        assert made.status_code == 201, made.json()
        plan = Plan.objects.get(pk=made.json()["id"])
        version = plan.versions.get()
        assert version.state == "draft" and version.actions.get().text == "疏散" and version.scope == "火灾"
        refused = client.post(f"{self.api_path}{plan.pk}/approve/", {}, format="json")
        assert refused.status_code == 400 and "lead_group" in refused.json()
        client.post(f"{self.api_path}{plan.pk}/draft/", {"lead_group": _group(org.c1).pk}, format="json")
        approved = client.post(f"{self.api_path}{plan.pk}/approve/", {"approver": "张三"}, format="json")
        assert approved.status_code == 200, approved.json()
        assert approved.json()["state"] == "approved", approved.json()
        assert approved.json()["approver"] == "张三" and approved.json()["actions"][0]["offset_minutes"] == 5
        again = client.post(f"{self.api_path}{plan.pk}/draft/", {"actions": [{"text": "封控", "offset_minutes": 3}]},
                            format="json")
        assert again.json()["number"] == 2
        diff = client.get(f"{self.api_path}{plan.pk}/diff/").json()
        assert any(sign == "+" and "封控" in line for sign, line in diff["actions"])
        assert any(sign == "-" and "疏散" in line for sign, line in diff["actions"])

    def test_a_draft_naming_another_communitys_group_is_400(self, api, org, records):
        response = api(org.user("office1")).post(f"{self.api_path}{records['mine'].pk}/draft/",
                                                 {"lead_group": _group(org.c2).pk}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["lead_group"]
        assert api(org.user("office1")).post(f"{self.api_path}{records['other'].pk}/approve/", {},
                                             format="json").status_code == 404


class TestPlanPages(PageList, PageDetail, PageCreate, PageEdit):
    model = Plan
    url_base = "plans:plan"
    edit_field = "title"

    def make(self, org, node):
        return _plan(node, approved=False)

    def shown_as(self, obj):
        return obj.title

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "title": "新预案", "working_kind": "accidents", "active": "on",
                "level_min": "IV", "level_max": "I", "activation_role": "leader",
                "action-1-text": "疏散群众", "action-1-group": "", "action-1-position": "leader", "action-1-offset": "10",
                "action-2-text": "", "action-2-offset": ""}

    def test_a_bad_row_keeps_its_message_on_its_row_and_nothing_is_written(self, login, org):
        data = self.form_data(org, org.c1) | {"action-2-text": "封控", "action-2-offset": "十分钟"}
        response = login(org.user("office1")).post(self.url("create"), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-row="2"' in html and "请用整数填写启动后的分钟数。" in html and 'value="封控"' in html
        assert not Plan.objects.filter(title="新预案").exists()

    def test_editing_an_approved_plan_drafts_its_next_version(self, login, org):
        plan = _plan(org.c1)
        data = self.form_data(org, org.c1) | {"title": plan.title, "action-1-text": "立即疏散群众"}
        response = login(org.user("office1")).post(self.url("edit", plan), data)
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.current.number == 1 and plan.current.actions.get().text == "疏散群众"  # frozen
        assert plan.versions.get(number=2).actions.get().text == "立即疏散群众"


class TestPlanVersionApi(ApiList, ApiDetail, NotWritten):
    model = PlanVersion
    api_path = "/api/plans/versions/"

    def make(self, org, node):
        return _plan(node).current


class TestPlanActionApi(ApiList, ApiDetail, NotWritten):
    model = PlanAction
    api_path = "/api/plans/actions/"

    def make(self, org, node):
        return _plan(node).current.actions.get()


class TestPlanReviewApi(ApiList, ApiDetail, NotWritten):
    model = PlanReview
    api_path = "/api/plans/reviews/"

    def make(self, org, node):
        return services.record_review(_plan(node), user=None, reviewed_on=timezone.localdate(), experts="专家",
                                      conclusion="fit")


# ---------------------------------------------------------------- drills

class TestDrillApi(ApiContract):
    model = Drill
    api_path = "/api/plans/drills/"
    edit_field = "title"

    def make(self, org, node):
        return _drill(node)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "title": "新演练", "kind": "tabletop", "category": "fire", "level": "IV",
                "address": "某路", "scheduled_at": "2027-03-01T09:00:00+08:00",
                "injects_spec": [{"title": "火警", "message": "起火", "recipient_person": _person(node).pk,
                                  "actions": [{"text": "报警", "window_minutes": 3}]}]}

    def test_the_run_through_the_api(self, api, org, records):
        client = api(org.user("office1"))
        drill = records["mine"]
        assert drill.injects.get().actions.get().text == f"{org.c1.name}报警"
        started = client.post(f"{self.api_path}{drill.pk}/start/", {}, format="json")
        assert started.status_code == 200 and started.json()["state"] == "running"
        timeline = client.get(f"{self.api_path}{drill.pk}/timeline/").json()
        assert timeline[0]["state"] == "delivered" and timeline[0]["actions"][0]["points"] == 10
        signal = client.post(f"{self.api_path}{drill.pk}/evacuation/", {"what": "signal"}, format="json")
        assert signal.status_code == 200 and signal.json()["evacuation_signal_at"]
        assert client.patch(f"{self.api_path}{drill.pk}/", {"title": "改"}, format="json").status_code == 400
        ended = client.post(f"{self.api_path}{drill.pk}/end/", {}, format="json")
        assert ended.json()["state"] == "ended" and ended.json()["ended_at"].endswith("+08:00")
        report = client.get(f"{self.api_path}{drill.pk}/report/")
        assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
        assert client.delete(f"{self.api_path}{drill.pk}/").status_code == 400  # a drill that ran is kept
        assert client.post(f"{self.api_path}{records['other'].pk}/start/", {}, format="json").status_code == 404

    def test_a_nested_inject_naming_another_communitys_person_is_400(self, api, org):
        payload = self.payload(org, org.c1)
        payload["injects_spec"][0]["recipient_person"] = _person(org.c2).pk
        response = api(org.user("office1")).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and "recipient_person" in response.json()
        assert not Drill.objects.filter(title="新演练").exists()


class TestDrillPages(PageContract):
    model = Drill
    url_base = "plans:drill"
    edit_field = "title"

    def make(self, org, node):
        return _drill(node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "title": "新演练", "kind": "tabletop", "category": "fire", "level": "IV",
                "address": "某路", "scheduled_at": "2027-03-01T09:00"}


class TestInjectApi(ApiList, ApiDetail):
    model = Inject
    api_path = "/api/plans/injects/"

    def make(self, org, node):
        return _drill(node).injects.get()

    def test_added_to_a_planned_drill_of_his_node_only(self, api, org, records):
        client = api(org.user("office1"))
        body = {"drill": records["mine"].drill_id, "title": "二次注入", "message": "续", "offset_minutes": 8,
                "recipient_group": _group(org.c1).pk, "expected": [{"text": "处置", "window_minutes": 4}]}
        made = client.post(self.api_path, body, format="json")
        assert made.status_code == 201, made.json()
        inject = Inject.objects.get(pk=made.json()["id"])
        assert inject.actions.get().window_minutes == 4 and log_rows(inject, "create").get().source == "api"
        foreign = client.post(self.api_path, body | {"drill": records["other"].drill_id}, format="json")
        assert foreign.status_code == 400 and list(foreign.json()) == ["drill"]
        nobody = client.post(self.api_path, body | {"recipient_group": None}, format="json")
        assert nobody.status_code == 400 and "recipient_person" in nobody.json()
        assert client.delete(f"{self.api_path}{inject.pk}/").status_code == 204
        assert api(org.user("viewer")).post(self.api_path, body, format="json").status_code == 403


class TestExpectedActionApi(ApiList, ApiDetail, NotWritten):
    model = ExpectedAction
    api_path = "/api/plans/expected-actions/"

    def make(self, org, node):
        return _drill(node).injects.get().actions.get()

    def test_the_player_logs_it_once_by_his_duty_and_a_stranger_may_not(self, api, org):
        drill = _started(org, org.c1)
        action = drill.injects.get().actions.get()
        player = _person(org.c1)
        player.user = org.user("grid1")
        player.save()
        key = str(uuid.uuid4())
        first = api(org.user("grid1")).post(f"{self.api_path}{action.pk}/log/", {"client_uuid": key}, format="json")
        assert first.status_code == 200 and first.json()["done_at"]
        again = api(org.user("grid1")).post(f"{self.api_path}{action.pk}/log/", {"client_uuid": key}, format="json")
        assert again.json()["done_at"] == first.json()["done_at"]
        assert api(org.user("patrol1")).post(f"{self.api_path}{action.pk}/log/", {}, format="json").status_code == 403
        assert api(org.user("grid2")).post(f"{self.api_path}{action.pk}/log/", {}, format="json").status_code == 404
        rated = api(org.user("office1")).post(f"{self.api_path}{action.pk}/evaluate/", {"rating": "P"}, format="json")
        assert rated.status_code == 201 and rated.json()["rating_label"]


class TestEvaluationEvidence(EvidenceContract):
    model = Evaluation
    api_path = "/api/plans/evaluations/"

    def make(self, org, node):
        drill = _started(org, node)
        return services.evaluate(drill.injects.get().actions.get(), user=org.user("admin"), rating="S",
                                 observation="观察")


class TestImprovementApi(ApiList, ApiDetail, NotWritten):
    model = Improvement
    api_path = "/api/plans/improvements/"

    def make(self, org, node):
        drill = _ended(org, node)
        return services.record_after_action(drill, user=org.user("admin"), improvements=[
            {"area": f"{node.name}报警慢", "action": f"{node.name}加强培训", "owner": _person(node),
             "deadline": timezone.now() + timedelta(days=7)}])[0]

    def test_its_owner_reports_it_done_by_his_duty(self, api, org, records):
        item = records["mine"]
        owner = item.owner
        owner.user = org.user("grid1")
        owner.save()
        done = api(org.user("grid1")).post(f"{self.api_path}{item.pk}/done/", {"report_text": "已培训"}, format="json")
        assert done.status_code == 200 and done.json()["state"] == "reported"
        verified = api(org.user("office1")).post(f"{self.api_path}{item.pk}/verify/", {"passed": True}, format="json")
        assert verified.status_code == 200 and verified.json()["state"] == "verified"


class TestPlayerDuty:
    def test_a_player_of_a_street_drill_sees_that_drill_and_nothing_else_above(self, api, org):
        drill = _drill(org.street)
        other = _drill(org.street, player="另一参演人")
        player = Inject.objects.get(drill=drill).recipient_person
        player.user = org.user("grid1")
        player.save()
        ids = {row["id"] for row in api(org.user("grid1")).get("/api/plans/drills/").json()["results"]}
        assert drill.pk in ids and other.pk not in ids
        assert api(org.user("grid1")).get(f"/api/plans/drills/{other.pk}/").status_code == 404
        assert api(org.user("grid1")).post(f"/api/plans/drills/{drill.pk}/start/", {}, format="json").status_code == 403


# ---------------------------------------------------------------- training

class TestCourseApi(ApiContract):
    model = Course
    api_path = "/api/plans/courses/"
    edit_field = "title"

    def make(self, org, node):
        return _course(node)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "title": "新课程", "hours": "2.5", "posts": ["security"]}

    def test_qualified_share_per_post(self, api, org, records):
        rows = api(org.user("office1")).get(f"{self.api_path}qualified/").json()
        assert rows == [{"post": "volunteer", "label": "平安志愿者", "people": 0, "qualified": 0, "percent": None}]


class TestCoursePages(PageList, PageDetail, PageCreate, PageEdit):
    model = Course
    url_base = "plans:course"
    edit_field = "title"

    def make(self, org, node):
        return _course(node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "title": "新课程", "hours": "2", "posts": ["volunteer"],
                "certificate_months": "12"}


class TestSessionApi(ApiContract):
    model = Session
    api_path = "/api/plans/sessions/"
    edit_field = "place"
    edit_value = "改过的地点"

    def make(self, org, node):
        return _session(node)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "course": _course(node).pk, "place": "会议室",
                "starts_at": "2027-03-01T14:00:00+08:00", "ends_at": "2027-03-01T16:00:00+08:00"}

    def test_the_qr_link_signs_in_the_person_once(self, api, org, login, records):
        session = records["mine"]
        Person.objects.create(jurisdiction=org.c1, name="网格员本人", kind=PersonKind.GRID_WORKER, user=org.user("grid1"))
        url = api(org.user("office1")).get(f"{self.api_path}{session.pk}/").json()["sign_in_url"]
        assert session.token in url
        client = login(org.user("grid1"))
        page = client.get(url)
        assert page.status_code == 200 and "网格员本人" in page.content.decode()
        assert client.post(url, {"client_uuid": str(uuid.uuid4())}).status_code == 302
        assert client.post(url, {"client_uuid": str(uuid.uuid4())}).status_code == 302
        assert Attendance.objects.filter(session=session).count() == 1


class TestSessionPages(PageList, PageDetail, PageCreate, PageEdit):
    model = Session
    url_base = "plans:session"
    edit_field = "place"
    edit_value = "改过的地点"

    def make(self, org, node):
        return _session(node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "course": _course(node).pk, "place": "会议室",
                "starts_at": "2027-03-01T14:00", "ends_at": "2027-03-01T16:00"}


class TestAttendanceEvidence(EvidenceContract):
    model = Attendance
    api_path = "/api/plans/attendances/"

    def make(self, org, node):
        return services.sign_in(_session(node), user=org.user("admin"), person=_person(node), method="manual")[0]

    def test_the_trainer_enters_attendance_once_per_client_key(self, api, org, records):
        session = records["mine"].session
        body = {"session": session.pk, "person": _person(org.c1, "另一人").pk, "client_uuid": str(uuid.uuid4())}
        first = api(org.user("office1")).post(self.api_path, body, format="json")
        assert first.status_code == 201, first.json()
        again = api(org.user("office1")).post(self.api_path, body, format="json")
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"], again.json()
        foreign = api(org.user("office1")).post(self.api_path, body | {"session": records["other"].session_id,
                                                                        "client_uuid": str(uuid.uuid4())},
                                                format="json")
        assert foreign.status_code == 400 and "session" in foreign.json()


class TestCertificateApi(ApiList, ApiDetail):
    model = Certificate
    api_path = "/api/plans/certificates/"

    def make(self, org, node):
        return services.issue_certificate(person=_person(node), course=_course(node), number=f"{node.code}-1",
                                          issued_on=timezone.localdate())

    def test_issued_through_the_api_with_its_expiry_from_the_course(self, api, org):
        course = _course(org.c1)
        with time_machine.travel(datetime(2026, 3, 31, 9, 0, tzinfo=timezone.get_current_timezone()), tick=False):
            made = api(org.user("office1")).post(self.api_path, {"person": _person(org.c1).pk, "course": course.pk,
                                                                 "number": "A-1", "issued_on": "2026-03-31"},
                                                 format="json")
        assert made.status_code == 201, made.json()
        assert made.json()["expires_on"] == "2027-03-31"
        foreign = api(org.user("office1")).post(self.api_path, {"person": _person(org.c2).pk, "course": course.pk,
                                                                "number": "A-2", "issued_on": "2026-03-31"},
                                                format="json")
        assert foreign.status_code == 400 and "person" in foreign.json()


class TestCertificatePages(PageList, PageDetail, PageCreate):
    model = Certificate
    url_base = "plans:certificate"

    def shown_as(self, obj):
        return obj.number

    def make(self, org, node):
        return TestCertificateApi().make(org, node)

    def form_data(self, org, node):
        return {"person": _person(node).pk, "course": _course(node).pk, "number": "B-1", "issued_on": "2026-05-01"}


# ---------------------------------------------------------------- campaigns

class TestCampaignApi(ApiContract):
    model = Campaign
    api_path = "/api/plans/campaigns/"
    edit_field = "title"

    def make(self, org, node):
        return services.create_campaign(node=node, title=f"{node.name}安全宣传", kind="leaflets",
                                        held_on=date(2026, 5, 12), audience=120)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "title": "防灾减灾宣传", "kind": "assembly", "held_on": "2026-05-12",
                "audience": 300}

    def test_a_photo_is_served_in_scope_only(self, api, org, records):
        added = api(org.user("office1")).post(f"{self.api_path}{records['mine'].pk}/photos/", {"photo": _png()},
                                              format="json")
        assert added.status_code == 201, added.json()
        url = added.json()["file"]
        assert api(org.user("office1")).get(url).status_code == 200
        assert api(org.user("grid2")).get(url).status_code == 404
        bad = api(org.user("office1")).post(f"{self.api_path}{records['mine'].pk}/photos/",
                                            {"photo": "data:image/png;base64,aGVsbG8="}, format="json")
        assert bad.status_code == 400 and list(bad.json()) == ["photo"]

    def test_the_rollup(self, api, org, records):
        rows = api(org.user("office1")).get(f"{self.api_path}rollup/", {"year": 2026}).json()
        assert rows[0]["node_name"] == org.c1.name and rows[0]["campaigns"] == 1 and rows[0]["audience"] == 120
        assert api(org.user("office1")).get(f"{self.api_path}rollup/", {"year": "x"}).status_code == 400


class TestCampaignPages(PageContract):
    model = Campaign
    url_base = "plans:campaign"
    edit_field = "title"

    def make(self, org, node):
        return TestCampaignApi().make(org, node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "title": "防灾减灾宣传", "kind": "assembly", "held_on": "2026-05-12",
                "audience": "300"}


class TestCampaignPhotoApi(ApiList, ApiDetail, NotWritten):
    model = CampaignPhoto
    api_path = "/api/plans/campaign-photos/"

    def make(self, org, node):
        campaign = TestCampaignApi().make(org, node)
        return services.add_campaign_photo(campaign, user=None, photo=_png())


class TestCampaignTargetApi(ApiContract):
    model = CampaignTarget
    api_path = "/api/plans/campaign-targets/"
    edit_field = "campaigns"
    edit_value = 12

    def make(self, org, node):
        return services.set_campaign_target(node=node, year=2026, campaigns=4)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "year": 2027, "campaigns": 6}

    def test_create_bad_input_is_400_per_field(self, api, org):
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c1) | {"year": 1800},
                                                 format="json")
        assert response.status_code == 400 and "year" in response.json()


@pytest.mark.parametrize("url_name", ["plans:campaigns_rollup", "plans:phone", "plans:improvement_list"])
def test_the_other_pages_answer_in_scope(login, org, url_name):
    from django.urls import reverse

    assert login(org.user("office1")).get(reverse(url_name)).status_code == 200
