"""The inspections API as the phone and the office use it: the submission (201 / 200 on a replay /
400 per field / 409 for someone else's key), bad input refused with the field and the reason and
nothing half-written, the order's actions with 403 naming why, and the files in scope only."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from shouwang.inspections import rules, services
from shouwang.inspections.models import (
    Answer,
    Finding,
    Inspection,
    Photo,
    RectificationOrder,
    RectificationPlan,
    Verification,
)
from shouwang.obligations.models import Obligation

from .conftest import answers, inspect, png_data_url

NOW = "2026-12-07 10:00:00+08:00"  # a Monday
URL = "/api/inspections/inspections/"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _body(place, version, **overrides):
    return {"client_uuid": str(uuid.uuid4()), "place": place.pk, "version": version.pk,
            "finished_at": "2026-12-07T09:40:00+08:00", "started_at": "2026-12-07T09:10:00+08:00",
            "answers": answers(version, **overrides), "lat": 31.2301, "lon": 121.4702, "present_person": "钱晓东",
            "inspector_signature": png_data_url("black"), "present_signature": png_data_url("blue"),
            "remarks": "节前检查"}


def _items(version):
    return {i.text: i.pk for i in version.items.all()}


def _nothing_stored():
    return (Inspection.objects.count(), Answer.objects.count(), Photo.objects.count(), Finding.objects.count(),
            RectificationOrder.objects.count()) == (0, 0, 0, 0, 0)


# --- The submission -----------------------------------------------------------------------------

def test_a_submission_is_stored_scored_with_its_findings_and_a_replay_is_the_same_record(api, org, station,
                                                                                         template):
    version = template.current
    body = _body(station, version, **{"灭火器在有效期内": "no", "消防通道畅通": "no"})
    client = api(org.user("inspector1"))
    first = client.post(URL, body, format="json")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert (data["score"], data["max_score"], data["failed_count"]) == (3, 5, 2)
    assert data["finished_at"] == "2026-12-07T09:40:00+08:00" and data["received_at"].endswith("+08:00")
    assert data["place_name"] == "东湖加油站" and data["inspector"] == org.user("inspector1").pk
    assert len(data["answers"]) == 5 and {a["result"] for a in data["answers"]} == {"pass", "fail"}
    failed = [a for a in data["answers"] if a["result"] == "fail"]
    assert {a["result_label"] for a in failed} == {"failed"} or {a["result_label"] for a in failed} == {"不合格"}
    assert sorted(f["severity"] for f in data["findings"]) == ["general", "serious"]
    assert all(f["order_number"].startswith("ZG2026-") for f in data["findings"])
    photo_answer = next(a for a in data["answers"] if a["item"] == _items(version)["消防通道畅通"])
    assert len(photo_answer["photos"]) == 1 and photo_answer["photos"][0].startswith("http://testserver/api/")
    assert data["inspector_signature"].endswith(f"/api/inspections/inspections/{data['id']}/inspector-signature/")

    again = client.post(URL, body, format="json")
    assert again.status_code == 200 and again.json() == data
    assert Inspection.objects.count() == 1 and RectificationOrder.objects.count() == 2 and Photo.objects.count() == 1


def test_someone_elses_client_uuid_is_a_conflict_without_their_record(api, org, station, template):
    body = _body(station, template.current)
    assert api(org.user("inspector1")).post(URL, body, format="json").status_code == 201
    other = api(org.user("inspector2")).post(URL, body | {"remarks": "我的"}, format="json")
    assert other.status_code == 409
    assert other.json()["code"] == "key_taken" and set(other.json()) == {"detail", "code", "request_id"}
    assert "东湖" not in other.content.decode() and Inspection.objects.count() == 1
    grid2 = api(org.user("grid2")).post(URL, {"client_uuid": body["client_uuid"]}, format="json")
    assert grid2.status_code == 409 and str(station.pk) not in grid2.json()["detail"]


def test_bad_answers_are_400_per_item_and_nothing_is_half_written(api, org, station, template):
    version = template.current
    items = _items(version)
    body = _body(station, version, **{"油罐区可燃气体浓度（%LEL）": "很多", "值班记录": "还行"})
    body["answers"][1]["photos"] = ["data:image/png;base64,aGVsbG8="]  # "hello": not an image
    body["finished_at"] = "2026-12-07 09:40"  # no zone
    response = api(org.user("inspector1")).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors == {"finished_at": [errors["finished_at"][0]]}  # the head is checked first, the answers next
    body["finished_at"] = "2026-12-07T09:40:00+08:00"
    errors = api(org.user("inspector1")).post(URL, body, format="json").json()
    assert set(errors) == {f"answers.{items['油罐区可燃气体浓度（%LEL）']}", f"answers.{items['值班记录']}",
                           f"answers.{items['消防通道畅通']}.photos"}
    assert all(isinstance(v, list) and v and isinstance(v[0], str) for v in errors.values())
    assert "完整" in errors[f"answers.{items['值班记录']}"][0]  # the choices it takes are named
    assert _nothing_stored()


def test_a_number_past_its_limit_fails_the_item_into_a_major_finding_not_a_refusal(api, org, station, template):
    body = _body(station, template.current, **{"油罐区可燃气体浓度（%LEL）": "35"})
    response = api(org.user("inspector1")).post(URL, body, format="json")
    assert response.status_code == 201
    assert [f["severity"] for f in response.json()["findings"]] == ["major"]
    order = RectificationOrder.objects.get()
    policy = rules.rectification(station.jurisdiction)
    assert order.supervised and order.deadline == timezone.now() + rules.time_to_rectify("major", policy)


@pytest.mark.parametrize("field, value", [
    ("answers", "yes"), ("answers", [5]), ("place", "abc"), ("client_uuid", "not-a-uuid"), ("lat", "north"),
    ("inspector_signature", 7), ("plan", 99999), ("version", 99999),
])
def test_a_body_of_the_wrong_shape_is_a_400_naming_the_field(api, org, station, template, field, value):
    body = _body(station, template.current) | {field: value}
    response = api(org.user("inspector1")).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() or f"{field}" in str(response.json())
    assert _nothing_stored()


def test_a_place_of_another_community_is_refused_on_the_field(api, org, station, template):
    response = api(org.user("grid2")).post(URL, _body(station, template.current), format="json")
    assert response.status_code == 400 and list(response.json()) == ["place"]
    assert _nothing_stored()


def test_a_viewer_is_refused_before_the_body_is_read(api, org, station, template):
    response = api(org.user("viewer")).post(URL, {"answers": 5}, format="json")
    assert response.status_code == 403 and _nothing_stored()


# --- Scope of lists and files ---------------------------------------------------------------------

def test_a_community_sees_its_own_inspections_orders_and_photos_only(api, org, station, template):
    inspection, _ = inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no"})
    order = RectificationOrder.objects.get()
    photo = Photo.objects.get()
    mine, other = api(org.user("office1")), api(org.user("grid2"))
    for path in ("inspections", "orders", "findings", "answers", "photos"):
        assert mine.get(f"/api/inspections/{path}/").json()["count"] >= 1, path
        assert other.get(f"/api/inspections/{path}/").json()["count"] == 0, path
    url = mine.get(f"/api/inspections/photos/{photo.pk}/").json()["file"]
    assert url == f"http://testserver/api/inspections/photos/{photo.pk}/file/"
    downloaded = mine.get(url)
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content)[:4] == b"\x89PNG"
    assert other.get(url).status_code == 404
    assert other.get(f"/api/inspections/orders/{order.pk}/").status_code == 404
    assert other.get(f"/api/inspections/inspections/{inspection.pk}/").status_code == 404


def test_orders_filter_by_state_severity_place_number_and_openness(api, org, station, template):
    inspect(org.user("inspector1"), station, template.current,
            **{"灭火器在有效期内": "no", "消防通道畅通": "no", "油罐区可燃气体浓度（%LEL）": "50"})
    client = api(org.user("office1"))

    def numbers(query):
        response = client.get(f"/api/inspections/orders/?{query}")
        assert response.status_code == 200, response.json()
        return {row["number"] for row in response.json()["results"]}

    every = numbers("")
    assert len(every) == 3
    assert len(numbers("open=true")) == 3 and numbers("open=false") == set()
    assert len(numbers("severity=major")) == 1 and len(numbers("supervised=true")) == 1
    assert numbers(f"place={station.pk}") == every and numbers("state=ordered") == every
    assert numbers(f"responsible_unit={station.responsible_unit_id}") == every
    first = sorted(every)[0]
    assert numbers(f"number={first[-3:]}") == {first}
    row = client.get("/api/inspections/orders/?severity=major").json()["results"][0]
    assert row["severity_label"] and row["state_label"] and row["deadline"].endswith("+08:00")
    assert client.get("/api/inspections/orders/?severity=huge").status_code == 400


# --- The order's actions --------------------------------------------------------------------------

@pytest.fixture
def order(org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"消防通道畅通": "no"})
    return RectificationOrder.objects.get()


def _act(client, order, verb, body=None):
    return client.post(f"/api/inspections/orders/{order.pk}/{verb}/", body or {}, format="json")


def test_the_liaison_starts_and_reports_his_order_with_a_photo_and_a_replay_is_one_report(api, org, order):
    liaison = api(org.user("liaison1"))
    started = _act(liaison, order, "start")
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    key = str(uuid.uuid4())
    body = {"text": "已清理消防通道", "photos": [png_data_url("green")], "client_uuid": key}
    reported = _act(liaison, order, "report", body)
    assert reported.status_code == 200, reported.json()
    assert reported.json()["state"] == "reported" and len(reported.json()["photos"]) == 1
    assert reported.json()["verify_by"].endswith("+08:00")
    again = _act(liaison, order, "report", body)
    assert again.status_code == 200 and again.json() == reported.json()
    assert Photo.objects.filter(order=order).count() == 1
    theirs = _act(api(org.user("inspector2")), order, "report", body)
    assert theirs.status_code == 409 and Photo.objects.filter(order=order).count() == 1


def test_a_report_without_a_photo_or_with_a_file_that_is_not_an_image_is_400(api, org, order):
    liaison = api(org.user("liaison1"))
    response = _act(liaison, order, "report", {"text": "", "photos": ["data:image/png;base64,aGVsbG8="]})
    assert response.status_code == 400 and set(response.json()) == {"report_text", "photos"}
    no_photo = _act(liaison, order, "report", {"text": "好了"})
    assert no_photo.status_code == 400 and list(no_photo.json()) == ["photos"]
    assert no_photo.json()["photos"] != response.json()["photos"]  # "add one", not "not an image"
    order.refresh_from_db()
    assert order.state == "ordered" and not Photo.objects.filter(order=order).exists()


def test_the_fixer_may_not_verify_and_hears_why_another_inspector_may(api, org, order):
    _act(api(org.user("liaison1")), order, "report", {"text": "已清理", "photos": [png_data_url()]})
    by_fixer = _act(api(org.user("liaison1")), order, "verify", {"passed": True})
    assert by_fixer.status_code == 403
    order.refresh_from_db()
    assert by_fixer.json()["detail"] == services.verifier_refusal(order, org.user("liaison1"))
    viewer = _act(api(org.user("viewer")), order, "verify", {"passed": True})
    assert viewer.status_code == 403 and not Verification.objects.exists()
    # The inspector who ordered it may verify it: he neither fixed it nor reported it.
    passed = _act(api(org.user("inspector1")), order, "verify", {"passed": True, "note": "现场复查合格"})
    assert passed.status_code == 200 and passed.json()["state"] == "closed" and passed.json()["closed_at"]
    verification = api(org.user("office1")).get(f"/api/inspections/verifications/?order={order.pk}").json()
    assert verification["count"] == 1 and verification["results"][0]["verifier"] == org.user("inspector1").pk


def test_the_reporter_may_not_verify_what_he_reported(api, org, order):
    _act(api(org.user("inspector2")), order, "report", {"text": "督促整改完毕", "photos": [png_data_url()]})
    response = _act(api(org.user("inspector2")), order, "verify", {"passed": True})
    assert response.status_code == 403
    order.refresh_from_db()
    assert response.json()["detail"] == services.verifier_refusal(order, org.user("inspector2"))
    assert not Verification.objects.exists()


def test_a_failed_verification_needs_a_deadline_still_to_come(api, org, order):
    _act(api(org.user("liaison1")), order, "report", {"text": "已清理", "photos": [png_data_url()]})
    inspector = api(org.user("inspector1"))
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    refused = _act(inspector, order, "verify", {"passed": False, "note": "通道仍有杂物", "new_deadline": past})
    assert refused.status_code == 400 and list(refused.json()) == ["new_deadline"]
    assert not Verification.objects.exists()
    later = (timezone.now() + timedelta(days=3)).isoformat()
    failed = _act(inspector, order, "verify", {"passed": False, "note": "通道仍有杂物", "new_deadline": later})
    assert failed.status_code == 200
    assert (failed.json()["state"], failed.json()["failed_count"]) == ("ordered", 1)


def test_a_major_hazard_plan_without_its_six_elements_is_400_naming_each_missing_one(api, org, station, template):
    inspect(org.user("inspector1"), station, template.current, **{"油罐区可燃气体浓度（%LEL）": "40"})
    order = RectificationOrder.objects.get()
    liaison = api(org.user("liaison1"))
    assert list(_act(liaison, order, "start").json()) == ["plan"]  # no work before the plan
    response = _act(liaison, order, "plan", {"goal": "消除油气泄漏", "method": "更换3号罐密封件"})
    assert response.status_code == 400
    assert set(response.json()) == {"funds", "responsible", "time_limit", "safety_measures"}
    assert not RectificationPlan.objects.exists()
    past = _act(liaison, order, "plan", {"goal": "消除油气泄漏", "method": "更换密封件", "funds": "企业自筹2万元",
                                         "responsible": "东湖加油站 钱晓东", "safety_measures": "停用3号罐",
                                         "time_limit": "2026-12-01T10:00:00+08:00"})
    assert past.status_code == 400 and list(past.json()) == ["time_limit"]
    limit = "2026-12-17T10:00:00+08:00"
    stored = _act(liaison, order, "plan", {"goal": "消除油气泄漏", "method": "更换密封件", "funds": "企业自筹2万元",
                                           "responsible": "东湖加油站 钱晓东", "safety_measures": "停用3号罐",
                                           "time_limit": limit})
    assert stored.status_code == 200 and stored.json()["plan"]["time_limit"] == limit
    assert stored.json()["deadline"] == limit and stored.json()["supervised"] is True
    assert Obligation.objects.for_subject(order).pending().get().due_at.isoformat() == "2026-12-17T02:00:00+00:00"


def test_someone_elses_order_is_404_and_a_role_without_change_is_403(api, org, order):
    assert _act(api(org.user("grid2")), order, "start").status_code == 404
    response = _act(api(org.user("viewer")), order, "start")
    assert response.status_code == 403 and response.json()["detail"]
    order.refresh_from_db()
    assert order.state == "ordered"


# --- Templates through the services -----------------------------------------------------------------

def test_a_template_is_created_with_its_items_and_revised_into_a_new_version_once_used(api, org, station):
    client = api(org.user("office"))
    items = [{"section": "消防", "text": "灭火器在有效期内", "severity": "general"},
             {"section": "油罐", "text": "可燃气体浓度", "answer_type": "number", "max_value": 20, "severity": "major"}]
    created = client.post("/api/inspections/templates/", {"jurisdiction": org.street.pk, "name": "加油站检查表",
                                                          "category": "petroleum", "items": items}, format="json")
    assert created.status_code == 201, created.json()
    template = created.json()
    assert template["category_label"] and template["current_version"]
    version = client.get(f"/api/inspections/versions/{template['current_version']}/").json()
    assert [i["text"] for i in version["items"]] == ["灭火器在有效期内", "可燃气体浓度"]
    bad = client.post(f"/api/inspections/templates/{template['id']}/revise/",
                      {"items": [{"section": "油罐", "text": "浓度", "answer_type": "number"}]}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["items.1.min_value"]
    inspect(org.user("inspector1"), station, services.template_for(station).current)
    revised = client.post(f"/api/inspections/templates/{template['id']}/revise/",
                          {"items": items[:1], "note": "去掉浓度"}, format="json")
    assert revised.status_code == 200 and revised.json()["number"] == 2 and len(revised.json()["items"]) == 1
    assert client.get(f"/api/inspections/versions/{template['current_version']}/").json()["items"][1]["text"] \
        == "可燃气体浓度"  # the used version kept its items
