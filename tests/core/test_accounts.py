from django.contrib.auth import get_user_model
from django.urls import reverse

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person, RoleAssignment
from tests.crud import log_rows


def _person(org, node):
    return Person.objects.create(jurisdiction=node, name="新网格员", kind=PersonKind.GRID_WORKER)


def test_leader_creates_login_with_role_in_scope(login, org):
    person = _person(org, org.c1)
    client = login(org.user("leader"))
    response = client.post(reverse("core:person_account", args=[person.pk]),
                           {"username": "newgrid", "password": "a-long-password", "role": "grid_worker", "jurisdiction": org.c1.pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.username == "newgrid" and person.user.check_password("a-long-password")
    role = RoleAssignment.objects.get(user=person.user)
    assert (role.role, role.jurisdiction) == ("grid_worker", org.c1)
    assert log_rows(role, "create").get().user == org.user("leader")


def test_login_outside_granting_scope_is_refused(login, org):
    person = _person(org, org.c1)
    client = login(org.user("leader"))  # leader of street S: district D is above its scope
    response = client.post(reverse("core:person_account", args=[person.pk]),
                           {"username": "x1", "password": "a-long-password", "role": "viewer", "jurisdiction": org.district.pk})
    assert response.status_code == 200 and "jurisdiction" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="x1").exists()


def test_office_staff_cannot_grant_roles(login, org):
    person = _person(org, org.c1)
    assert login(org.user("office1")).get(reverse("core:person_account", args=[person.pk])).status_code == 403


def test_taken_username_and_short_password_are_field_errors(login, org):
    person = _person(org, org.c1)
    client = login(org.user("leader"))
    response = client.post(reverse("core:person_account", args=[person.pk]),
                           {"username": "grid1", "password": "short", "role": "grid_worker", "jurisdiction": org.c1.pk})
    assert "password" in response.context["form"].errors
    response = client.post(reverse("core:person_account", args=[person.pk]),
                           {"username": "grid1", "password": "a-long-password", "role": "grid_worker", "jurisdiction": org.c1.pk})
    assert "username" in response.context["form"].errors
    person.refresh_from_db()
    assert person.user is None


def test_role_assignment_api_is_scoped_to_leaders(api, org):
    target = org.user("grid2")
    assert api(org.user("office1")).post("/api/roles/", {"user": target.pk, "role": "viewer", "jurisdiction": org.c1.pk}, format="json").status_code == 403
    response = api(org.user("leader")).post("/api/roles/", {"user": target.pk, "role": "viewer", "jurisdiction": org.c1.pk}, format="json")
    assert response.status_code == 201
    response = api(org.user("leader")).post("/api/roles/", {"user": target.pk, "role": "viewer", "jurisdiction": org.district.pk}, format="json")
    assert response.status_code == 400 and "jurisdiction" in response.json()
