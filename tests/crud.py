"""Reusable contracts: every scoped model gets the same page and API tests.

A test class subclasses the contracts its model has — `PageList`, `PageDetail`,
`PageCreate`, `PageEdit`, `PageDelete` (all five: `PageContract`), `ApiList`, `ApiDetail`,
`ApiCreate`, `ApiEdit`, `ApiDelete` (all five: `ApiContract`), or `EvidenceContract` for
append-only records — names its model and URLs and says how to make a record on a node and
what valid input looks like. Each checks anonymous, without permission, in scope and out of
scope, and that every write left a change-log row.

Conventions of the `org` fixture: `office1` is office staff on C1 (may do everything
there), C2 is out of its scope, `viewer` sees everything but may change nothing.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from shouwang.core.models import ChangeLogEntry

WRITER = "office1"
READER = "viewer"


def log_rows(obj, action=None):
    ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    qs = ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


class _Contract:
    model = None
    writer = WRITER  # may do everything on C1, nothing on C2
    reader = READER  # sees everything, changes nothing
    edit_field = "name"
    edit_value = "改过的名称"
    list_max_queries = 15

    def make(self, org, node):  # pragma: no cover - each contract implements it
        raise NotImplementedError

    def shown_as(self, obj):
        """How a record appears in a list (its str() unless the list shows it otherwise)."""
        return str(obj)

    @pytest.fixture
    def records(self, org):
        return {"mine": self.make(org, org.c1), "other": self.make(org, org.c2)}


class _Page(_Contract):
    url_base = None  # e.g. "core:unit"

    def form_data(self, org, node) -> dict:  # valid POST data creating a record on node
        raise NotImplementedError

    def url(self, suffix, obj=None):
        return reverse(f"{self.url_base}_{suffix}", args=[obj.pk] if obj is not None else [])

    def edit_data(self, org, obj):
        data = self.form_data(org, obj.jurisdiction)
        data[self.edit_field] = self.edit_value
        return data


class PageList(_Page):
    def test_anonymous_is_sent_to_login(self, client, records):
        for response in (client.get(self.url("list")), client.get(self.url("detail", records["mine"]))):
            assert response.status_code == 302 and "/login/" in response["Location"]

    def test_list_shows_only_records_in_scope(self, login, org, records, django_assert_max_num_queries):
        client = login(org.user(self.writer))
        with django_assert_max_num_queries(self.list_max_queries):
            response = client.get(self.url("list"))
        assert response.status_code == 200
        assert self.shown_as(records["mine"]) in response.content.decode()
        assert self.shown_as(records["other"]) not in response.content.decode()

    def test_list_answers_htmx_with_the_table_alone(self, login, org, records):
        response = login(org.user(self.writer)).get(self.url("list"), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert b"<html" not in response.content and self.shown_as(records["mine"]).encode() in response.content


class PageDetail(_Page):
    def test_detail_in_scope_and_out_of_scope(self, login, org, records):
        client = login(org.user(self.writer))
        assert client.get(self.url("detail", records["mine"])).status_code == 200
        assert client.get(self.url("detail", records["other"])).status_code == 404


class PageCreate(_Page):
    def test_create_in_scope_writes_and_logs(self, login, org):
        before = self.model.objects.count()
        response = login(org.user(self.writer)).post(self.url("create"), self.form_data(org, org.c1))
        assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
        assert self.model.objects.count() == before + 1
        created = self.model.objects.order_by("-pk").first()
        row = log_rows(created, "create").get()
        assert row.user == org.user(self.writer) and row.source == "web" and row.request_id is not None

    def test_create_out_of_scope_is_refused_and_writes_nothing(self, login, org):
        before = self.model.objects.count()
        response = login(org.user(self.writer)).post(self.url("create"), self.form_data(org, org.c2))
        assert response.status_code == 200  # the form again, with the reason
        assert response.context["form"].errors
        assert self.model.objects.count() == before

    def test_create_without_permission_is_forbidden(self, login, org):
        client = login(org.user(self.reader))
        assert client.get(self.url("create")).status_code == 403
        before = self.model.objects.count()
        assert client.post(self.url("create"), self.form_data(org, org.c1)).status_code == 403
        assert self.model.objects.count() == before


class PageEdit(_Page):
    def test_edit_in_scope_logs_before_and_after(self, login, org, records):
        obj = records["mine"]
        response = login(org.user(self.writer)).post(self.url("edit", obj), self.edit_data(org, obj))
        assert response.status_code == 302
        obj.refresh_from_db()
        assert getattr(obj, self.edit_field) == self.edit_value
        row = log_rows(obj, "update").get()
        assert row.after[self.edit_field] == self.edit_value
        assert row.before[self.edit_field] != self.edit_value

    def test_edit_cannot_move_record_out_of_scope(self, login, org, records):
        obj = records["mine"]
        data = self.edit_data(org, obj)
        data["jurisdiction"] = org.c2.pk
        response = login(org.user(self.writer)).post(self.url("edit", obj), data)
        assert response.status_code == 200 and response.context["form"].errors
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk

    def test_edit_out_of_scope_is_404_and_viewer_403(self, login, org, records):
        assert login(org.user(self.writer)).get(self.url("edit", records["other"])).status_code == 404
        assert login(org.user(self.reader)).get(self.url("edit", records["mine"])).status_code == 403


class PageDelete(_Page):
    def test_delete_in_scope_logs_and_out_of_scope_is_404(self, login, org, records):
        client = login(org.user(self.writer))
        assert client.post(self.url("delete", records["other"])).status_code == 404
        obj = records["mine"]
        assert client.post(self.url("delete", obj)).status_code == 302
        assert not self.model.objects.filter(pk=obj.pk).exists()
        row = log_rows(obj, "delete").get()
        assert row.before["id"] == obj.pk and row.after is None


class PageContract(PageList, PageDetail, PageCreate, PageEdit, PageDelete):
    """All five pages of a model."""


class _Api(_Contract):
    api_path = None  # e.g. "/api/units/"

    def payload(self, org, node) -> dict:
        raise NotImplementedError


class ApiList(_Api):
    def test_anonymous_gets_401_or_403(self, api, records):
        assert api().get(self.api_path).status_code in (401, 403)

    def test_list_is_scoped_and_paginated(self, api, org, records):
        data = api(org.user(self.writer)).get(self.api_path).json()
        ids = {row["id"] for row in data["results"]}
        assert records["mine"].pk in ids and records["other"].pk not in ids
        assert "count" in data


class ApiDetail(_Api):
    def test_detail_out_of_scope_is_404(self, api, org, records):
        client = api(org.user(self.writer))
        assert client.get(f"{self.api_path}{records['mine'].pk}/").status_code == 200
        assert client.get(f"{self.api_path}{records['other'].pk}/").status_code == 404


class ApiCreate(_Api):
    def test_create_logs_with_api_source(self, api, org):
        response = api(org.user(self.writer)).post(self.api_path, self.payload(org, org.c1), format="json")
        assert response.status_code == 201, response.json()
        obj = self.model.objects.get(pk=response.json()["id"])
        row = log_rows(obj, "create").get()
        assert row.source == "api" and row.user == org.user(self.writer)

    def test_create_out_of_scope_is_400_with_field_message(self, api, org):
        before = self.model.objects.count()
        response = api(org.user(self.writer)).post(self.api_path, self.payload(org, org.c2), format="json")
        assert response.status_code == 400
        assert "jurisdiction" in response.json()
        assert self.model.objects.count() == before

    def test_create_bad_input_is_400_per_field(self, api, org):
        payload = self.payload(org, org.c1)
        payload[self.edit_field] = ""
        response = api(org.user(self.writer)).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and self.edit_field in response.json()


class ApiEdit(_Api):
    def test_viewer_cannot_write(self, api, org, records):
        client = api(org.user(self.reader))
        assert client.post(self.api_path, self.payload(org, org.c1), format="json").status_code == 403
        assert client.patch(f"{self.api_path}{records['mine'].pk}/", {self.edit_field: "x"}, format="json").status_code == 403

    def test_update_logs_and_out_of_scope_is_404(self, api, org, records):
        client = api(org.user(self.writer))
        obj = records["mine"]
        response = client.patch(f"{self.api_path}{obj.pk}/", {self.edit_field: self.edit_value}, format="json")
        assert response.status_code == 200, response.json()
        assert log_rows(obj, "update").get().after[self.edit_field] == self.edit_value
        assert client.patch(f"{self.api_path}{records['other'].pk}/", {self.edit_field: "x"}, format="json").status_code == 404

    def test_update_cannot_move_out_of_scope(self, api, org, records):
        obj = records["mine"]
        response = api(org.user(self.writer)).patch(f"{self.api_path}{obj.pk}/", {"jurisdiction": org.c2.pk}, format="json")
        assert response.status_code == 400
        obj.refresh_from_db()
        assert obj.jurisdiction_id == org.c1.pk


class ApiDelete(_Api):
    def test_delete_logs_and_out_of_scope_is_404(self, api, org, records):
        client = api(org.user(self.writer))
        assert client.delete(f"{self.api_path}{records['other'].pk}/").status_code == 404
        obj = records["mine"]
        assert client.delete(f"{self.api_path}{obj.pk}/").status_code == 204
        assert log_rows(obj, "delete").count() == 1
        assert api(org.user(self.reader)).delete(f"{self.api_path}{records['other'].pk}/").status_code in (403, 404)


class ApiContract(ApiList, ApiDetail, ApiCreate, ApiEdit, ApiDelete):
    """The whole API of a model: list, detail, create, edit, delete."""


class EvidenceContract(ApiList, ApiDetail):
    """Append-only evidence (check-ins, sightings, movements, ratings, reports, log entries):
    scoped in list and detail, its creation in the change log, never edited nor deleted."""

    def test_creation_is_in_the_change_log(self, records):
        assert log_rows(records["mine"], "create").count() == 1

    def test_never_edited_nor_deleted(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        for method in ("patch", "put", "delete"):
            response = getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json")
            assert response.status_code in (403, 405), (method, response.status_code)
        assert self.model.objects.filter(pk=obj.pk).exists()
        assert log_rows(obj).exclude(action="create").count() == 0
