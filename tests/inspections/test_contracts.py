"""Scope and change-log contracts of every inspections record in the API (both databases): the
checklist templates in full; versions, items, plans, orders, plans of rectification and the
supervision records read in scope; inspections, answers, photos, findings and verifications as
evidence (scoped, in the change log, never edited nor deleted)."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from shouwang.core.choices import PersonKind, Role
from shouwang.core.models import Person
from shouwang.inspections import services
from shouwang.inspections.models import (
    Answer,
    Bulletin,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionPlan,
    InspectorAssignment,
    Photo,
    RectificationOrder,
    RectificationPlan,
    SupervisionVisit,
    TemplateItem,
    TemplateVersion,
    Verification,
)
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user
from tests.crud import ApiContract, ApiDetail, ApiList, EvidenceContract, log_rows

from .conftest import ITEMS, answers, png_data_url


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _template(org):
    found = ChecklistTemplate.objects.filter(jurisdiction=org.street, name="加油站检查表").first()
    return found or services.create_template(node=org.street, name="加油站检查表", category="petroleum", items=ITEMS)


def _place(node):
    return KeyPlace.objects.get_or_create(jurisdiction=node, name=f"{node.name}加油站",
                                          defaults={"kind": "unit", "category": "petroleum", "lat": 31.23,
                                                    "lon": 121.47})[0]


def _inspection(org, node, **overrides):
    version = _template(org).current
    inspection, _created = services.record_inspection(org.user("admin"), {
        "client_uuid": str(uuid.uuid4()), "place": _place(node).pk, "version": version.pk,
        "answers": answers(version, **overrides), "lat": 31.23, "lon": 121.47})
    return inspection


def _order(org, node, **overrides):
    return RectificationOrder.objects.get(finding__inspection=_inspection(org, node, **overrides or {"消防通道畅通": "no"}))


class NotWritten:
    """Read-only in the API: no create, edit or delete, whatever the role."""

    def test_no_writes_through_the_api(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        assert client.post(self.api_path, {}, format="json").status_code == 405
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json").status_code == 405
        assert self.model.objects.filter(pk=obj.pk).exists()


# --- Templates --------------------------------------------------------------------------------

class TestChecklistTemplateApi(ApiContract):
    model = ChecklistTemplate
    api_path = "/api/inspections/templates/"

    def make(self, org, node):
        return services.create_template(node=node, name=f"{node.name}学校检查表", category="school",
                                        items=ITEMS[:2])

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": "新检查表", "category": "petroleum",
                "items": [{"section": "消防", "text": "灭火器在有效期内", "severity": "general"}]}

    def test_a_template_without_items_is_400_on_items(self, api, org):
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c1) | {"items": []},
                                                 format="json")
        assert response.status_code == 400 and list(response.json()) == ["items"]
        assert not ChecklistTemplate.objects.exists()

    def test_revising_another_communitys_template_is_404(self, api, org, records):
        response = api(org.user("office1")).post(f"{self.api_path}{records['other'].pk}/revise/",
                                                 {"items": ITEMS[:1]}, format="json")
        assert response.status_code == 404
        assert records["other"].versions.get().items.count() == 2


class TestTemplateVersionApi(ApiList, ApiDetail, NotWritten):
    model = TemplateVersion
    api_path = "/api/inspections/versions/"

    def make(self, org, node):
        return TestChecklistTemplateApi().make(org, node).current


class TestTemplateItemApi(ApiList, ApiDetail, NotWritten):
    model = TemplateItem
    api_path = "/api/inspections/items/"

    def make(self, org, node):
        return TestChecklistTemplateApi().make(org, node).current.items.first()


# --- Plans and inspections --------------------------------------------------------------------

class TestInspectionPlanApi(ApiList, ApiDetail):
    model = InspectionPlan
    api_path = "/api/inspections/plans/"

    def make(self, org, node):
        plan = InspectionPlan.objects.create(jurisdiction=node, kind="campaign", name=f"{node.name}燃气专项整治",
                                             starts_on=date(2026, 12, 1), deadline=date(2026, 12, 31))
        plan.places.add(_place(node))
        return plan

    def test_a_plan_lists_its_places_and_its_kind_in_words(self, api, org, records):
        row = api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert row["places"] == [_place(org.c1).pk] and row["kind"] == "campaign" and row["kind_label"]

    def test_an_inspection_names_a_plan_of_its_node_only(self, api, org, records):
        version = _template(org).current
        body = {"client_uuid": str(uuid.uuid4()), "place": _place(org.c1).pk, "version": version.pk,
                "answers": answers(version)}
        foreign = api(org.user("office1")).post("/api/inspections/inspections/",
                                                body | {"plan": records["other"].pk}, format="json")
        assert foreign.status_code == 400 and list(foreign.json()) == ["plan"]
        own = api(org.user("office1")).post("/api/inspections/inspections/", body | {"plan": records["mine"].pk},
                                            format="json")
        assert own.status_code == 201 and own.json()["plan"] == records["mine"].pk


class TestInspectionEvidence(EvidenceContract):
    model = Inspection
    api_path = "/api/inspections/inspections/"

    def make(self, org, node):
        return _inspection(org, node)

    def test_the_signatures_download_in_scope_only(self, api, org):
        version = _template(org).current
        inspection, _ = services.record_inspection(org.user("admin"), {
            "client_uuid": str(uuid.uuid4()), "place": _place(org.c1).pk, "version": version.pk,
            "answers": answers(version), "inspector_signature": png_data_url("black")})
        url = api(org.user("office1")).get(f"{self.api_path}{inspection.pk}/").json()["inspector_signature"]
        assert api(org.user("office1")).get(url).status_code == 200
        assert api(org.user("grid2")).get(url).status_code == 404
        assert api(org.user("office1")).get(f"{self.api_path}{inspection.pk}/present-signature/").status_code == 404


class TestAnswerEvidence(EvidenceContract):
    model = Answer
    api_path = "/api/inspections/answers/"

    def make(self, org, node):
        return _inspection(org, node).answers.first()


class TestPhotoEvidence(EvidenceContract):
    model = Photo
    api_path = "/api/inspections/photos/"

    def make(self, org, node):
        return Photo.objects.get(inspection=_inspection(org, node))

    def test_a_photo_sent_after_its_inspection_is_idempotent_and_scoped(self, api, org, records):
        inspection = records["mine"].inspection
        body = {"client_uuid": str(uuid.uuid4()), "inspection": inspection.pk, "photo": png_data_url("white"),
                "caption": "补拍", "device_time": "2026-12-07T09:45:00+08:00"}
        admin = api(org.user("admin"))
        first = admin.post(self.api_path, body, format="json")
        assert first.status_code == 201, first.json()
        assert first.json()["device_time"] == "2026-12-07T09:45:00+08:00"
        assert admin.post(self.api_path, body, format="json").json() == first.json()
        assert api(org.user("office1")).post(self.api_path, body, format="json").status_code == 409
        other = api(org.user("grid2")).post(self.api_path, body | {"client_uuid": str(uuid.uuid4())}, format="json")
        assert other.status_code == 400 and list(other.json()) == ["inspection"]
        not_image = admin.post(self.api_path, body | {"client_uuid": str(uuid.uuid4()),
                                                      "photo": "data:image/png;base64,aGVsbG8="}, format="json")
        assert not_image.status_code == 400 and list(not_image.json()) == ["photo"]
        assert Photo.objects.filter(inspection=inspection).count() == 2


# --- Findings and rectification ---------------------------------------------------------------

class TestFindingEvidence(EvidenceContract):
    model = Finding
    api_path = "/api/inspections/findings/"

    def make(self, org, node):
        return _order(org, node).finding


class TestRectificationOrderApi(ApiList, ApiDetail, NotWritten):
    model = RectificationOrder
    api_path = "/api/inspections/orders/"

    def make(self, org, node):
        return _order(org, node)

    def test_an_order_is_in_the_change_log_with_each_step(self, api, org, records):
        order = records["mine"]
        assert log_rows(order, "create").count() == 1
        services.start_work(order, user=org.user("admin"))
        assert log_rows(order, "update").count() == 1

    def test_actions_on_another_communitys_order_are_404(self, api, org, records):
        client = api(org.user("office1"))
        for verb in ("start", "plan", "report", "verify"):
            assert client.post(f"{self.api_path}{records['other'].pk}/{verb}/", {}, format="json").status_code == 404
        records["other"].refresh_from_db()
        assert records["other"].state == "ordered"


class TestRectificationPlanApi(ApiList, ApiDetail, NotWritten):
    model = RectificationPlan
    api_path = "/api/inspections/rectification-plans/"

    def make(self, org, node):
        order = _order(org, node, **{"油罐区可燃气体浓度（%LEL）": "40"})
        return services.record_plan(order, user=org.user("admin"), goal="消除油气泄漏", method="更换密封件",
                                    funds="企业自筹", responsible="站长", time_limit=timezone.now() + timedelta(days=10),
                                    safety_measures="停用3号罐")


class TestVerificationEvidence(EvidenceContract):
    model = Verification
    api_path = "/api/inspections/verifications/"

    def make(self, org, node):
        order = _order(org, node)
        services.report_done(order, user=org.user("admin"), text="已整改", photos=[png_data_url()])
        if "inspector1" not in org.users:
            org.users["inspector1"] = make_user("inspector1", Role.INSPECTOR, org.street)
        inspector = org.users["inspector1"]
        services.verify(order, user=inspector, passed=True, note="合格")
        return order.verifications.get()


# --- Supervision ------------------------------------------------------------------------------

class TestInspectorAssignmentApi(ApiList, ApiDetail):
    model = InspectorAssignment
    api_path = "/api/inspections/assignments/"

    def make(self, org, node):
        person = Person.objects.create(jurisdiction=org.street, name=f"{node.name}督查员", kind=PersonKind.STAFF)
        return InspectorAssignment.objects.create(jurisdiction=node, inspector=person, since=date(2026, 1, 1))


class TestSupervisionVisitApi(ApiList, ApiDetail):
    model = SupervisionVisit
    api_path = "/api/inspections/visits/"

    def make(self, org, node):
        return SupervisionVisit.objects.create(jurisdiction=node, visited_on=date(2026, 12, 3), method="site",
                                               inspectors="王督查、李督查", summary=f"{node.name}督查")


class TestBulletinApi(ApiList, ApiDetail):
    model = Bulletin
    api_path = "/api/inspections/bulletins/"

    def make(self, org, node):
        visit = TestSupervisionVisitApi().make(org, node)
        return Bulletin.objects.create(jurisdiction=node, visit=visit, title=f"{node.name}督查通报",
                                       issuer="测试街道平安办", year=2026)

    def test_a_draft_has_no_document_to_download(self, api, org, records):
        row = api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert row["document"] is None and row["state_label"]
        assert api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/document/").status_code == 404
