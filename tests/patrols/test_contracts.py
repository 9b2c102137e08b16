"""Scope and change-log contracts of the patrol records: checkpoints and schedules in full,
check-ins and sightings as evidence (scoped, logged, never edited nor deleted)."""

import uuid

from shouwang.core.models import Team
from shouwang.patrols import services
from shouwang.patrols.models import CheckIn, Checkpoint, Route, Schedule, Sighting
from tests.crud import ApiContract, EvidenceContract, PageContract


def _route(node):
    return Route.objects.get_or_create(jurisdiction=node, name=f"{node.name}路线")[0]


def _team(node):
    return Team.objects.get_or_create(jurisdiction=node, name=f"{node.name}巡防队", defaults={"kind": "volunteers"})[0]


class CheckpointContract:
    model = Checkpoint

    def make(self, org, node):
        route = _route(node)
        return Checkpoint.objects.create(route=route, order=route.checkpoints.count() + 1, name=f"{node.name}路口",
                                         lat=31.23, lon=121.47)

    def shown_as(self, obj):
        return obj.name  # the list has the route in a column of its own


class TestCheckpointPages(CheckpointContract, PageContract):
    url_base = "patrols:checkpoint"

    def form_data(self, org, node):
        return {"route": _route(node).pk, "order": 5, "name": "新点位", "lat": "31.23", "lon": "121.47",
                "radius_m": 50, "must_visit": "on", "minutes_from_previous": 5}

    def test_edit_cannot_move_record_out_of_scope(self, login, org, records):
        # A checkpoint's node is its route's: moving it means choosing a route elsewhere.
        obj = records["mine"]
        data = self.edit_data(org, obj) | {"route": _route(org.c2).pk}
        response = login(org.user("office1")).post(self.url("edit", obj), data)
        assert response.status_code == 200 and response.context["form"].errors
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk


class TestCheckpointApi(CheckpointContract, ApiContract):
    api_path = "/api/patrols/checkpoints/"

    def payload(self, org, node):
        return {"route": _route(node).pk, "order": 9, "name": "新点位", "lat": 31.23, "lon": 121.47, "radius_m": 50}

    def test_create_out_of_scope_is_400_with_field_message(self, api, org):
        before = Checkpoint.objects.count()
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c2), format="json")
        assert response.status_code == 400 and "route" in response.json()
        assert Checkpoint.objects.count() == before

    def test_update_cannot_move_out_of_scope(self, api, org, records):
        obj = records["mine"]
        response = api(org.user("office1")).patch(f"{self.api_path}{obj.pk}/", {"route": _route(org.c2).pk},
                                                  format="json")
        assert response.status_code == 400
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk


class ScheduleContract:
    model = Schedule

    def make(self, org, node):
        return Schedule.objects.create(jurisdiction=node, name=f"{node.name}夜巡", team=_team(node), route=_route(node),
                                       windows=[{"name": "night", "start": "22:00", "end": "23:00"}])


class TestScheduleApi(ScheduleContract, ApiContract):
    api_path = "/api/patrols/schedules/"

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": "早巡", "team": _team(node).pk, "route": _route(node).pk,
                "days": "every", "windows": [{"name": "early", "start": "07:00", "end": "08:00"}]}


class TestSchedulePages(ScheduleContract, PageContract):
    url_base = "patrols:schedule"

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "早巡", "team": _team(node).pk, "route": _route(node).pk,
                "days": "every", "windows": '[{"name": "early", "start": "07:00", "end": "08:00"}]', "active": "on"}


class TestCheckInEvidence(EvidenceContract):
    model = CheckIn
    api_path = "/api/patrols/checkins/"

    def make(self, org, node):
        point = CheckpointContract().make(org, node)
        result = services.check_in(org.user("admin"), {"method": "manual", "checkpoint": point.pk,
                                                       "reason": "手机没电", "client_uuid": str(uuid.uuid4())})
        return result.checkin


class TestSightingEvidence(EvidenceContract):
    model = Sighting
    api_path = "/api/patrols/sightings/"

    def make(self, org, node):
        sighting, _created = services.report_sighting(org.user("admin"), {
            "client_uuid": str(uuid.uuid4()), "kind": "hazard", "text": f"{node.name}井盖缺失", "jurisdiction": node.pk})
        return sighting
