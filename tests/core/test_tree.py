import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwang.core.choices import NodeLevel, UnitKind
from shouwang.core.models import ChangeLogEntry, Jurisdiction, Unit
from shouwang.core.services import create_node, move_node, rolled_up_counts


def test_move_into_own_subtree_is_refused_with_message(org):
    with pytest.raises(ValidationError) as exc:
        move_node(org.c1, org.c1)
    assert "parent" in exc.value.message_dict
    # A street cannot go under its own community either: cycle (and level) refused.
    with pytest.raises(ValidationError):
        move_node(org.street, org.c1)
    org.street.refresh_from_db()
    assert org.street.parent_node() == org.district


def test_move_keeps_the_tree_and_logs(org):
    other_street = create_node(parent=org.district, code="S2", name="另一街道", level=NodeLevel.STREET)
    move_node(org.c1, other_street)
    c1 = Jurisdiction.objects.get(pk=org.c1.pk)
    grid = Jurisdiction.objects.get(pk=org.grid.pk)
    assert c1.parent_node() == other_street
    assert grid.path.startswith(c1.path)  # the subtree moved along
    row = ChangeLogEntry.objects.filter(object_id=str(c1.pk), action="update").latest("pk")
    assert row.before["parent"] == "S" and row.after["parent"] == "S2"


def test_child_must_sit_below_parent_level(org):
    with pytest.raises(ValidationError):
        create_node(parent=org.c1, code="X", name="错层", level=NodeLevel.STREET)
    # Levels may be skipped: a grid straight under a street is fine.
    assert create_node(parent=org.street, code="SG", name="直属网格", level=NodeLevel.GRID).depth == 3


def test_counts_roll_up_the_tree(org, units):
    Unit.objects.create(jurisdiction=org.grid, name="网格商店", kind=UnitKind.BUSINESS)
    counts = rolled_up_counts([org.district, org.c1, org.c2, org.grid], {"units": Unit.objects.all()})
    assert counts[org.district.pk]["units"] == 3
    assert counts[org.c1.pk]["units"] == 2
    assert counts[org.c2.pk]["units"] == 1
    assert counts[org.grid.pk]["units"] == 1


def test_move_page_refuses_cycle_with_message(login, org):
    client = login(org.user("office"))
    response = client.post(reverse("core:jurisdiction_move", args=[org.c1.pk]), {"parent": org.grid.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]


def test_api_move_refuses_cycle_with_400(api, org):
    response = api(org.user("office")).post(f"/api/nodes/{org.c1.pk}/move/", {"parent": org.grid.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()


def test_tree_page_shows_scope_and_children_load(login, org, units):
    client = login(org.user("grid1"))
    page = client.get(reverse("core:jurisdiction_tree")).content.decode()
    assert "一社区" in page and "二社区" not in page and "测试街道" not in page
    children = client.get(reverse("core:jurisdiction_children", args=[org.c1.pk]), HTTP_HX_REQUEST="true")
    assert "一社区第1网格" in children.content.decode()
    assert client.get(reverse("core:jurisdiction_children", args=[org.c2.pk])).status_code == 404


def test_node_create_under_parent_via_page_and_api(login, api, org):
    client = login(org.user("office1"))
    response = client.post(reverse("core:jurisdiction_create"), {"parent": org.c1.pk, "code": "C1-G2", "name": "第2网格", "level": "grid"})
    assert response.status_code == 302
    assert Jurisdiction.objects.get(code="C1-G2").parent_node() == org.c1
    # Out of scope parent: refused.
    response = api(org.user("office1")).post("/api/nodes/", {"parent": org.c2.pk, "code": "C2-G9", "name": "x", "level": "grid"}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    response = api(org.user("office1")).post("/api/nodes/", {"parent": org.c1.pk, "code": "C1-G3", "name": "x", "level": "street"}, format="json")
    assert response.status_code == 400 and "level" in response.json()


def test_directory_lists_contacts_in_call_order(login, org, units):
    from shouwang.core.models import Contact

    Contact.objects.create(jurisdiction=org.c1, label="第二个打", phone="2", call_order=2)
    Contact.objects.create(jurisdiction=org.c1, label="第一个打", phone="1", call_order=1)
    page = login(org.user("grid1")).get(reverse("core:directory", args=[org.c1.pk])).content.decode()
    assert page.index("第一个打") < page.index("第二个打")
    assert "一社区学校" in page
