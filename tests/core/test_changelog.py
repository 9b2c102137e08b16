import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from shouwang.core.changelog import change_context
from shouwang.core.choices import UnitKind
from shouwang.core.models import ChangeLogEntry, Unit
from tests.crud import log_rows


def test_command_writes_are_logged_with_command_source(db):
    call_command("load_demo")
    unit = Unit.objects.get(name="望川中学")
    row = log_rows(unit, "create").get()
    assert row.source == "command" and row.after["name"] == "望川中学"


def test_task_context_is_recorded(org):
    with change_context(source="task") as ctx:
        unit = Unit.objects.create(jurisdiction=org.c1, name="任务建的", kind=UnitKind.OTHER)
    row = log_rows(unit).get()
    assert row.source == "task" and row.request_id == ctx.request_id and row.jurisdiction_path == org.c1.path


def test_log_cannot_be_changed(org, units):
    row = ChangeLogEntry.objects.first()
    row.object_repr = "tampered"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        ChangeLogEntry.objects.all().update(object_repr="x")
    with pytest.raises(PermissionDenied):
        ChangeLogEntry.objects.all().delete()


def test_log_api_is_read_only_and_scoped(api, org, units):
    client = api(org.user("leader"))
    rows = client.get("/api/changes/", {"node": org.c1.pk}).json()["results"]
    assert rows and all(r["jurisdiction_path"].startswith(org.c1.path) for r in rows)
    assert client.post("/api/changes/", {}, format="json").status_code == 405  # read-only for everyone
    admin = api(org.user("admin"))
    assert admin.post("/api/changes/", {}, format="json").status_code == 405
    assert admin.delete(f"/api/changes/{rows[0]['id']}/").status_code == 405
    assert admin.patch(f"/api/changes/{rows[0]['id']}/", {}, format="json").status_code == 405
    # Grid workers have no audit rights: the log is not theirs to read.
    assert api(org.user("grid1")).get("/api/changes/").status_code == 403


def test_node_page_shows_recent_changes_and_object_history(login, org, units):
    client = login(org.user("office1"))
    client.post(reverse("core:unit_edit", args=[units["c1"].pk]),
                {"jurisdiction": org.c1.pk, "name": "改名学校", "kind": UnitKind.SCHOOL})
    node_page = client.get(reverse("core:jurisdiction_detail", args=[org.c1.pk])).content.decode()
    assert "改名学校" in node_page
    unit_page = client.get(reverse("core:unit_detail", args=[units["c1"].pk])).content.decode()
    assert "office1" in unit_page and "改名学校" in unit_page


def test_unchanged_save_writes_no_row(org, units):
    before = ChangeLogEntry.objects.count()
    units["c1"].save()
    assert ChangeLogEntry.objects.count() == before


def test_history_reads_as_labels_and_local_times_not_columns(org, login):
    from datetime import timedelta

    from django.utils import translation

    from shouwang.obligations.formats import format_duration

    unit = Unit.objects.create(jurisdiction=org.c1, name="甲超市", kind=UnitKind.BUSINESS)
    unit.kind = UnitKind.SCHOOL
    unit.save()
    created, changed = log_rows(unit, "create").get(), log_rows(unit, "update").get()
    with translation.override("zh-hans"):
        made = {label: new for label, _old, new in created.changed_fields}
        edit = changed.changed_fields
    assert "id" not in made and "jurisdiction_id" not in made and "created_at" not in made
    assert made["辖区"] == str(org.c1) and made["名称"] == "甲超市"
    assert edit == [("类别", UnitKind.BUSINESS.label, UnitKind.SCHOOL.label)]
    with translation.override("zh-hans"):
        assert format_duration(timedelta(seconds=5)) == "不足1分钟"


def test_history_hides_the_client_key_of_a_retried_submission(org):
    import uuid

    from django.utils import timezone

    from shouwang.incidents.models import Incident

    incident = Incident.objects.create(jurisdiction=org.c1, title="楼道堆物起火", category="fire", level="IV",
                                       received_at=timezone.now(), client_uuid=uuid.uuid4())
    labels = [label for label, _old, _new in log_rows(incident, "create").get().changed_fields]
    assert not any("UUID" in str(x) or "client" in str(x).lower() for x in labels), labels


def test_history_stays_with_its_community_when_nodes_are_inserted_and_moved(org, api):
    from shouwang.core.choices import NodeLevel, Role
    from shouwang.core.scope import forget_roles
    from shouwang.core.services import create_node, move_node
    from tests.conftest import make_user

    office2 = make_user("office2", Role.OFFICE_STAFF, org.c2)
    unit = Unit.objects.create(jurisdiction=org.c1, name="一社区超市", kind=UnitKind.BUSINESS)
    other = Unit.objects.create(jurisdiction=org.c2, name="二社区超市", kind=UnitKind.BUSINESS)
    old_path = org.c1.path

    def seen(user):
        forget_roles(user)  # a request loads its user afresh; this test reuses the objects
        rows = api(user).get("/api/changes/").json()["results"]
        return {r["object_repr"] for r in rows}

    # a community whose code sorts first: its siblings' paths renumber
    create_node(parent=org.street, code="A0", name="新社区", level=NodeLevel.COMMUNITY)
    org.c1.refresh_from_db()
    assert org.c1.path != old_path  # the tree did renumber (the cause of the bug)
    def holds():
        assert "一社区超市" in seen(org.user("office1")) and "二社区超市" not in seen(org.user("office1"))
        assert "二社区超市" in seen(office2) and "一社区超市" not in seen(office2)
        org.c1.refresh_from_db()
        entry = log_rows(unit, "create").get()
        assert entry.jurisdiction_id == org.c1.pk and entry.jurisdiction_path == org.c1.path

    holds()
    # then a move: the history follows the community to its new street
    new_street = create_node(parent=org.district, code="S2", name="新街道", level=NodeLevel.STREET)
    move_node(org.c1, new_street)
    holds()
    street_office = make_user("office-s2", Role.OFFICE_STAFF, new_street)
    assert "一社区超市" in seen(street_office) and "二社区超市" not in seen(street_office)
    assert log_rows(other, "create").get().jurisdiction_id == org.c2.pk


def test_the_history_is_shown_only_with_the_audit_right(org, login, units):
    unit = units["c1"]
    assert "变更历史" not in login(org.user("grid1")).get(unit.get_absolute_url()).content.decode()
    assert "变更历史" in login(org.user("office1")).get(unit.get_absolute_url()).content.decode()
    node_page = login(org.user("grid1")).get(org.c1.get_absolute_url()).content.decode()
    assert "最近变更" not in node_page


def test_history_names_the_person_behind_an_account_and_reads_structured_values(org):
    """A user field reads as the person (吴丽华, not the login `office`); a JSON value reads as
    its words (key: value; a list joined), never as a Python dict."""
    from django.contrib.auth import get_user_model

    from shouwang.core.models import Person
    from shouwang.core.models.changelog import _shown
    from shouwang.obligations.models import Obligation

    office = org.user("office")
    Person.objects.create(jurisdiction=org.street, name="吴丽华", user=office)
    user_field = next(f for f in Obligation._meta.get_fields()
                      if getattr(f, "related_model", None) is get_user_model() and f.concrete)
    assert _shown(user_field, office.pk) == "吴丽华"
    json_field = Unit._meta.get_field("name")  # any plain field: JSON-shaped values are read the same way
    assert _shown(json_field, {"patrols": "明湖社区要说明漏巡原因。"}) == "patrols：明湖社区要说明漏巡原因。"
    assert _shown(json_field, ["甲", "乙"]) == "甲、乙"
    assert _shown(json_field, []) == ""
