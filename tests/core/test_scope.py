"""A grid worker of one community cannot list, read or change another community's records."""

from django.urls import reverse

from shouwang.core.models import Person, Unit
from shouwang.core.permissions import RIGHTS, TABLE, actions_of
from shouwang.core.scope import can_at


def test_permission_table_is_complete_and_readable():
    areas = set(next(iter(TABLE.values())))
    for role, row in TABLE.items():
        assert set(row) == areas, role
    assert actions_of("vac+waive") == {"view", "add", "change", "waive"}
    assert "delete" not in RIGHTS["grid_worker"]["org"]


def test_grid_worker_pages(login, org, units):
    client = login(org.user("grid1"))
    listing = client.get(reverse("core:unit_list")).content.decode()
    assert units["c1"].name in listing and units["c2"].name not in listing
    assert client.get(reverse("core:unit_detail", args=[units["c2"].pk])).status_code == 404
    assert client.post(reverse("core:unit_edit", args=[units["c2"].pk]), {"name": "x"}).status_code == 404
    other = Person.objects.get(jurisdiction=org.c2)
    assert client.get(reverse("core:person_detail", args=[other.pk])).status_code == 404
    people = client.get(reverse("core:person_list")).content.decode()
    assert other.name not in people


def test_grid_worker_api(api, org, units):
    client = api(org.user("grid1"))
    names = {u["name"] for u in client.get("/api/units/").json()["results"]}
    assert names == {units["c1"].name}
    assert client.get(f"/api/units/{units['c2'].pk}/").status_code == 404
    assert client.patch(f"/api/units/{units['c2'].pk}/", {"name": "x"}, format="json").status_code == 404
    # He may delete nothing anywhere: refused before any lookup, the same for any id
    assert client.delete(f"/api/units/{units['c2'].pk}/").status_code == 403
    assert client.delete("/api/units/999999/").status_code == 403
    other = Person.objects.get(jurisdiction=org.c2)
    assert client.get(f"/api/people/{other.pk}/").status_code == 404
    assert Unit.objects.get(pk=units["c2"].pk).name == units["c2"].name


def test_grid_worker_may_not_delete_even_in_scope(api, org, units):
    response = api(org.user("grid1")).delete(f"/api/units/{units['c1'].pk}/")
    assert response.status_code == 403
    assert Unit.objects.filter(pk=units["c1"].pk).exists()


def test_superuser_sees_everything(api, org, units):
    names = {u["name"] for u in api(org.user("admin")).get("/api/units/").json()["results"]}
    assert names == {units["c1"].name, units["c2"].name}


def test_scope_includes_subtree_only(org):
    grid1 = org.user("grid1")
    assert can_at(grid1, "org", "view", org.grid.path)
    assert not can_at(grid1, "org", "view", org.street.path)
    assert not can_at(grid1, "org", "view", org.c2.path)
