"""Contracts of the organisation's records that had none: role assignments and group seats."""

import pytest

from shouwang.core.choices import GroupKind, PersonKind, Role
from shouwang.core.models import Group, Membership, Person, RoleAssignment
from tests.conftest import make_user
from tests.crud import ApiContract


class TestRoleAssignmentApi(ApiContract):
    """Logins and roles are given by a leader, only within his own scope."""

    model = RoleAssignment
    api_path = "/api/roles/"
    writer = "leader1"
    edit_field = "role"
    edit_value = Role.PATROL_MEMBER

    @pytest.fixture(autouse=True)
    def _leader_of_c1(self, org):
        org.users["leader1"] = make_user("leader1", Role.LEADER, org.c1)

    def make(self, org, node):
        return RoleAssignment.objects.create(user=make_user(f"u-{node.code}-{RoleAssignment.objects.count()}"),
                                             role=Role.GRID_WORKER, jurisdiction=node)

    def payload(self, org, node):
        return {"user": make_user(f"new-{node.code}").pk, "role": Role.GRID_WORKER, "jurisdiction": node.pk}


class TestMembershipApi(ApiContract):
    model = Membership
    api_path = "/api/memberships/"
    edit_field = "duties"
    edit_value = "负责信息报送"

    def _group(self, node):
        return Group.objects.get_or_create(jurisdiction=node, name=f"{node.name}领导小组",
                                           defaults={"kind": GroupKind.LEADING})[0]

    def make(self, org, node):
        person = Person.objects.create(jurisdiction=node, name=f"{node.name}组员{Person.objects.count()}",
                                       kind=PersonKind.STAFF)
        return Membership.objects.create(group=self._group(node), person=person, duties="值班")

    def payload(self, org, node):
        person = Person.objects.create(jurisdiction=node, name=f"{node.name}新组员", kind=PersonKind.STAFF)
        return {"group": self._group(node).pk, "person": person.pk, "position": "member", "duties": "联络"}

    def test_create_out_of_scope_is_400_with_field_message(self, api, org):
        # A seat lives where its group lives: another community's group is refused by name.
        before = Membership.objects.count()
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c2), format="json")
        assert response.status_code == 400 and "group" in response.json()
        assert Membership.objects.count() == before

    def test_create_bad_input_is_400_per_field(self, api, org):
        payload = self.payload(org, org.c1) | {"position": "king"}
        response = api(org.user("office1")).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and "position" in response.json()

    def test_update_cannot_move_out_of_scope(self, api, org, records):
        obj = records["mine"]
        response = api(org.user("office1")).patch(f"{self.api_path}{obj.pk}/", {"group": self._group(org.c2).pk},
                                                  format="json")
        assert response.status_code == 400
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk
