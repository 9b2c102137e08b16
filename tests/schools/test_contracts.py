"""Scope and change-log contracts of every schools record (both databases): profiles in full on the
pages and in the API; key spots, cameras and classes written in the API with their school in scope;
gate windows, read logs and retention runs read in scope; gate confirmations, visitors, vehicles,
camera checks and handovers as evidence (scoped, in the change log, never edited nor deleted)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from shouwang.core.choices import UnitKind
from shouwang.core.models import Unit
from shouwang.schools import services
from shouwang.schools.models import (
    Camera,
    CameraCheck,
    GateConfirmation,
    GateWindow,
    Handover,
    KeySpot,
    PupilClass,
    Purge,
    School,
    VehicleEntry,
    VisitorEntry,
    VisitorRead,
)
from tests.crud import (
    ApiDelete,
    ApiDetail,
    ApiEdit,
    ApiList,
    EvidenceContract,
    PageContract,
    log_rows,
)

from .conftest import NOW, visitor


def _unit(node, name=None):
    return Unit.objects.create(jurisdiction=node, name=name or f"{node.name}学校{uuid.uuid4().hex[:6]}",
                               kind=UnitKind.SCHOOL)


def _profile(node):
    return services.save_school(School(unit=_unit(node), pupils=300))


class NotWritten:
    def test_no_writes_through_the_api(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        assert client.post(self.api_path, {}, format="json").status_code == 405
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json").status_code == 405
        assert self.model.objects.filter(pk=obj.pk).exists()


# --- profiles ------------------------------------------------------------------------------------

class TestSchoolPages(PageContract):
    model = School
    url_base = "schools:school"
    edit_field = "pupils"
    edit_value = 777
    list_max_queries = 22  # the table's grouped reads (test_pages: the same count for one school or six)

    def make(self, org, node):
        return _profile(node)

    def shown_as(self, obj):
        return obj.unit.name

    def form_data(self, org, node):
        return {"unit": _unit(node).pk, "pupils": 620, "buildings": 2, "storeys": 4, "closing_time": "18:00"}

    def edit_data(self, org, obj):
        return {"unit": obj.unit_id, "pupils": self.edit_value, "buildings": 2, "storeys": 4, "closing_time": "18:00"}

    def test_edit_cannot_move_record_out_of_scope(self, login, org, records):
        obj = records["mine"]
        data = self.edit_data(org, obj) | {"unit": _unit(org.c2).pk}
        response = login(org.user(self.writer)).post(self.url("edit", obj), data)
        assert response.status_code == 200 and "unit" in response.context["form"].errors
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk

    def test_a_unit_that_is_no_school_is_refused_on_its_field(self, login, org):
        shop = Unit.objects.create(jurisdiction=org.c1, name="一社区超市", kind=UnitKind.BUSINESS)
        response = login(org.user(self.writer)).post(self.url("create"), self.form_data(org, org.c1) | {"unit": shop.pk})
        assert response.status_code == 200 and "unit" in response.context["form"].errors
        assert not School.objects.exists()


class TestSchoolApi(ApiList, ApiDetail, ApiEdit, ApiDelete):
    model = School
    api_path = "/api/schools/schools/"
    edit_field = "pupils"
    edit_value = 777

    def make(self, org, node):
        return _profile(node)

    def payload(self, org, node):
        return {"unit": _unit(node).pk, "pupils": 620}

    def test_create_in_scope_logs_and_out_of_scope_is_400_on_the_unit(self, api, org):
        client = api(org.user(self.writer))
        response = client.post(self.api_path, self.payload(org, org.c1), format="json")
        assert response.status_code == 201, response.json()
        school = School.objects.get(pk=response.json()["id"])
        assert school.jurisdiction == org.c1 and log_rows(school, "create").get().source == "api"
        response = client.post(self.api_path, self.payload(org, org.c2), format="json")
        assert response.status_code == 400 and list(response.json()) == ["unit"]
        bad = client.post(self.api_path, self.payload(org, org.c1) | {"pupils": "many"}, format="json")
        assert bad.status_code == 400 and "pupils" in bad.json()
        assert School.objects.count() == 1

    def test_update_cannot_move_out_of_scope(self, api, org, records):
        obj = records["mine"]
        response = api(org.user(self.writer)).patch(f"{self.api_path}{obj.pk}/", {"unit": _unit(org.c2).pk},
                                                    format="json")
        assert response.status_code == 400 and "unit" in response.json()
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk


class _SchoolPartApi(ApiList, ApiDetail):
    """A school's part: written by the office with its school in scope (the node follows the school)."""

    def test_create_logs_and_a_school_out_of_scope_is_400(self, api, org):
        client = api(org.user(self.writer))
        response = client.post(self.api_path, self.payload(org, org.c1), format="json")
        assert response.status_code == 201, response.json()
        obj = self.model.objects.get(pk=response.json()["id"])
        assert obj.jurisdiction == org.c1 and log_rows(obj, "create").get().source == "api"
        before = self.model.objects.count()
        response = client.post(self.api_path, self.payload(org, org.c2), format="json")
        assert response.status_code == 400 and "school" in response.json()
        assert self.model.objects.count() == before

    def test_edit_logs_delete_logs_and_a_viewer_is_refused(self, api, org, records):
        client = api(org.user(self.writer))
        obj = records["mine"]
        response = client.patch(f"{self.api_path}{obj.pk}/", {self.edit_field: self.edit_value}, format="json")
        assert response.status_code == 200, response.json()
        assert log_rows(obj, "update").get().after[self.edit_field] == self.edit_value
        assert client.patch(f"{self.api_path}{records['other'].pk}/", {self.edit_field: "x"},
                            format="json").status_code == 404
        viewer = api(org.user(self.reader))
        assert viewer.patch(f"{self.api_path}{obj.pk}/", {self.edit_field: "x"}, format="json").status_code == 403
        assert client.delete(f"{self.api_path}{obj.pk}/").status_code == 204
        assert log_rows(obj, "delete").count() == 1


class TestKeySpotApi(_SchoolPartApi):
    model = KeySpot
    api_path = "/api/schools/spots/"

    def make(self, org, node):
        return KeySpot.objects.create(school=_profile(node), kind="dormitory", name=f"{node.name}宿舍")

    def payload(self, org, node):
        return {"school": _profile(node).pk, "kind": "canteen", "name": "食堂"}


class TestCameraApi(_SchoolPartApi):
    model = Camera
    api_path = "/api/schools/cameras/"

    def make(self, org, node):
        spot = TestKeySpotApi().make(org, node)
        return Camera.objects.create(school=spot.school, spot=spot, name=f"{node.name}宿舍摄像头")

    def payload(self, org, node):
        spot = TestKeySpotApi().make(org, node)
        return {"school": spot.school_id, "spot": spot.pk, "name": "走廊"}

    def test_a_spot_of_another_school_is_refused_on_its_field(self, api, org):
        spot = TestKeySpotApi().make(org, org.c1)
        response = api(org.user(self.writer)).post(self.api_path, {"school": _profile(org.c1).pk, "spot": spot.pk,
                                                                   "name": "走廊"}, format="json")
        assert response.status_code == 400 and "spot" in response.json()


class TestPupilClassApi(_SchoolPartApi):
    model = PupilClass
    api_path = "/api/schools/classes/"

    def make(self, org, node):
        return PupilClass.objects.create(school=_profile(node), name=f"{node.name}小班")

    def payload(self, org, node):
        return {"school": _profile(node).pk, "name": "中班", "young": True}


# --- read in scope -------------------------------------------------------------------------------

@pytest.fixture
def day_records(org, schools, clock):
    services.open_school_days(days=1)
    return schools


class TestGateWindowApi(ApiList, ApiDetail, NotWritten):
    model = GateWindow
    api_path = "/api/schools/gate-windows/"

    @pytest.fixture
    def records(self, day_records):
        return {"mine": GateWindow.objects.filter(school=day_records.primary).first(),
                "other": GateWindow.objects.filter(school=day_records.kindergarten).first()}

    def test_a_window_says_its_state(self, api, org, records):
        row = api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert row["state"] == "upcoming" and row["kind_label"] and row["starts_at"].endswith("+08:00")


class TestVisitorReadApi(ApiList, ApiDetail, NotWritten):
    model = VisitorRead
    api_path = "/api/schools/reads/"

    @pytest.fixture
    def records(self, org, schools):
        def read(school):
            return VisitorRead.objects.create(school=school, reader=org.user("office"), at=timezone.now(),
                                              channel="page", what="visitor log", rows=1)
        return {"mine": read(schools.primary), "other": read(schools.kindergarten)}


class TestPurgeApi(ApiList, ApiDetail, NotWritten):
    model = Purge
    api_path = "/api/schools/purges/"

    @pytest.fixture
    def records(self, org, schools):
        def purge(school):
            return Purge.objects.create(school=school, at=timezone.now(), retention_days=90, before=timezone.now(),
                                        visitors=1)
        return {"mine": purge(schools.primary), "other": purge(schools.kindergarten)}


# --- evidence ------------------------------------------------------------------------------------

class TestVisitorEvidence(EvidenceContract):
    model = VisitorEntry
    api_path = "/api/schools/visitors/"

    @pytest.fixture
    def records(self, schools):
        return {"mine": visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a")),
                "other": visitor(schools.user("guard_k"), schools.kindergarten, schools.person("teacher_k"))}


class TestVehicleEvidence(EvidenceContract):
    model = VehicleEntry
    api_path = "/api/schools/vehicles/"

    @pytest.fixture
    def records(self, schools):
        def car(key, school):
            return services.record_vehicle(schools.user(f"guard_{key}"), {
                "client_uuid": str(uuid.uuid4()), "school": school.pk, "plate": "沪A00001", "kind": "official"})[0]
        return {"mine": car("a", schools.primary), "other": car("k", schools.kindergarten)}


class TestCameraCheckEvidence(EvidenceContract):
    model = CameraCheck
    api_path = "/api/schools/camera-checks/"

    @pytest.fixture
    def records(self, schools):
        def checked(key, school):
            return services.check_camera(schools.user(f"guard_{key}"), {
                "client_uuid": str(uuid.uuid4()), "camera": school.cameras.get().pk, "result": "working"})[0]
        return {"mine": checked("a", schools.primary), "other": checked("k", schools.kindergarten)}


class TestGateConfirmationEvidence(EvidenceContract):
    model = GateConfirmation
    api_path = "/api/schools/gate-confirmations/"

    @pytest.fixture
    def records(self, org, schools, clock):
        from .conftest import gate_rosters

        gate_rosters(schools.kindergarten, schools.person("head_k"), schools.person("guard_k"),
                     schools.person("teacher_k"))
        services.open_school_days(days=1)
        clock.move_to(NOW + timedelta(minutes=80))  # 07:20, in the arrival window

        def tap(key, school):
            window = GateWindow.objects.get(school=school, kind="arrival")
            return services.confirm_gate(schools.user(f"guard_{key}"), {"client_uuid": str(uuid.uuid4()),
                                                                        "window": window.pk})[0]
        return {"mine": tap("a", schools.primary), "other": tap("k", schools.kindergarten)}


class TestHandoverEvidence(EvidenceContract):
    model = Handover
    api_path = "/api/schools/handovers/"

    @pytest.fixture
    def records(self, schools):
        kg_class = PupilClass.objects.create(school=schools.kindergarten, name="小班", teacher=schools.person("teacher_k"))

        def handed(key, pupil_class):
            return services.confirm_handover(schools.user(f"teacher_{key}"), {"client_uuid": str(uuid.uuid4()),
                                                                              "pupil_class": pupil_class.pk})[0]
        return {"mine": handed("a", schools.primary.classes.get()), "other": handed("k", kg_class)}
