"""The inspector's phone page: its shell, its data (key places in scope with the checklist each is
inspected with, read through template_for even when the checklist lives above the user's scope),
the service worker and manifest, and anonymous users sent to log in."""

import json

import pytest

from shouwang.core.choices import Role
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user

from .conftest import ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def c2_place(org):
    return KeyPlace.objects.create(jurisdiction=org.c2, name="二社区加油站", kind="unit", category="petroleum",
                                   lat=31.25, lon=121.50)


def test_the_page_is_the_phone_shell_with_its_words_and_where_to_send(org, station, template, login):
    client = login(org.user("inspector1"))
    resp = client.get(f"/inspections/m/?place={station.pk}")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "inspections/phone.js" in body and "shouwang/outbox.js" in body
    assert 'accept="image/*"' not in body  # the camera inputs are made per item by the script
    config = resp.context["config"]
    assert config["submit"] == "/api/inspections/inspections/"
    assert config["place"] == station.pk and config["user"] == org.user("inspector1").pk
    strings = resp.context["strings"]
    assert strings["synced"] == "已发送" and strings["waiting"] == "等待网络" and strings["refused"] == "被退回"
    assert strings["yes"] == "是" and strings["no"] == "否" and strings["na"] == "不适用"
    assert "提交检查" in body  # the submit button, in Chinese by default


def test_data_gives_the_inspector_the_stations_checklist(org, station, template, login):
    client = login(org.user("inspector1"))
    data = client.get("/inspections/m/data.json").json()
    place = next(p for p in data["places"] if p["id"] == station.pk)
    assert place["name"] == "东湖加油站" and place["lat"] == 31.23 and place["lon"] == 121.47
    assert place["version"] == template.current.pk
    checklist = data["checklists"][str(place["version"])]
    assert [i["text"] for i in checklist["items"]] == [i["text"] for i in ITEMS]
    gas = next(i for i in checklist["items"] if i["type"] == "number")
    assert gas["max"] == 20 and gas["unit"] == "%LEL" and gas["severity"] == "major"
    duty = next(i for i in checklist["items"] if i["type"] == "choice")
    assert duty["options"] == ["完整", "不完整", "缺失"] and duty["failing"] == ["缺失"]
    assert next(i for i in checklist["items"] if i["text"] == "消防通道畅通")["photo"] is True


def test_a_community_user_gets_the_street_checklist_but_only_his_places(org, station, template, c2_place, login):
    user = make_user("inspc2", Role.GRID_WORKER, org.c2)
    data = login(user).get("/inspections/m/data.json").json()
    ids = [p["id"] for p in data["places"]]
    assert c2_place.pk in ids and station.pk not in ids  # C1's station is not his
    place = next(p for p in data["places"] if p["id"] == c2_place.pk)
    # the checklist lives on the street, above his scope, and still comes with his place
    assert place["version"] == template.current.pk
    assert len(data["checklists"][str(template.current.pk)]["items"]) == len(ITEMS)


def test_a_place_without_a_checklist_says_so(org, station, login):
    data = login(org.user("inspector1")).get("/inspections/m/data.json").json()
    place = next(p for p in data["places"] if p["id"] == station.pk)
    assert place["version"] is None and data["checklists"] == {}


def test_anonymous_users_are_sent_to_log_in(client):
    for url in ("/inspections/m/", "/inspections/m/data.json"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_the_service_worker_caches_the_shell_and_the_manifest_names_the_app(client, org, login):
    sw = client.get("/inspections/m/sw.js")
    assert sw["Content-Type"] == "application/javascript"
    assert sw["Service-Worker-Allowed"] == "/inspections/m/"
    text = sw.content.decode()
    assert "/inspections/m/data.json" in text and "inspections/phone.js" in text and "shouwang/outbox.js" in text
    manifest = json.loads(client.get("/inspections/m/manifest.webmanifest").content)
    assert manifest["start_url"] == "/inspections/m/" and manifest["name"] == "守望检查"
