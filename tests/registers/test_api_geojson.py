"""GeoJSON of key places for GIS clients: the API with a token, the same FeatureCollection as the
map's download, scoped to the user, with the same filters."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shouwang.registers import services

URL = "/api/key-places/geojson/"
SCHEMA = json.loads((Path(__file__).parent / "geojson.schema.json").read_text())
SQUARE = [[121.40, 31.20], [121.41, 31.20], [121.41, 31.21], [121.40, 31.21], [121.40, 31.20]]


def with_token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def places(org, place_factory):
    square = place_factory(name="广场", kind="area", category="square", lat=None, lon=None,
                           polygon={"type": "Polygon", "coordinates": [SQUARE]})
    services.set_colour(square, colour="orange", reason="节日活动")
    return {"point": place_factory(name="点位", lat=31.2, lon=121.4), "square": square,
            "nowhere": place_factory(name="无坐标", lat=None, lon=None),
            "other": place_factory(node=org.c2, name="别处")}


def test_a_token_gets_the_places_in_scope_as_geojson(org, places, login):
    response = with_token(org.user("office1")).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA)
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert set(names) == {"点位", "广场"}  # in scope and with a location; 别处 is in another community
    assert names["点位"]["geometry"] == {"type": "Point", "coordinates": [121.4, 31.2]}
    assert names["广场"]["properties"]["colour"] == "orange"
    # the same collection as the map's download for the same person
    page = json.loads(login(org.user("office1")).get("/registers/places.geojson").content)
    assert data == page


def test_the_filters_of_the_map_apply(org, places):
    client = with_token(org.user("office"))  # the street's office sees both communities
    everything = client.get(URL).json()
    assert {f["properties"]["name"] for f in everything["features"]} == {"点位", "广场", "别处"}
    only_areas = client.get(URL, {"kind": "area"}).json()
    assert [f["properties"]["name"] for f in only_areas["features"]] == ["广场"]
    orange = client.get(URL, {"colour": "orange"}).json()
    assert [f["properties"]["name"] for f in orange["features"]] == ["广场"]
    bad = client.get(URL, {"kind": "spaceship"})
    assert bad.status_code == 400 and "kind" in bad.json()


def test_a_gis_client_asking_for_geojson_gets_it(org, places):
    response = with_token(org.user("office1")).get(URL, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/geo+json")
    refused = APIClient().get(URL, HTTP_ACCEPT="application/geo+json")  # an error is JSON, never a 406
    assert refused.status_code == 401 and refused["Content-Type"].startswith("application/json")


def test_no_token_or_a_bad_one_is_401_in_json(places):
    anonymous = APIClient().get(URL)
    assert anonymous.status_code == 401 and "detail" in anonymous.json()
    assert anonymous["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = bad.get(URL)
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert "detail" in response.json() and "features" not in response.json()


def test_a_token_without_a_role_is_403_in_json(db):
    nobody = get_user_model().objects.create_user(username="nobody", password="pw-nobody")
    response = with_token(nobody).get(URL)
    assert response.status_code == 403 and "detail" in response.json()


def test_the_schema_documents_it():
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    operation = spec["paths"][URL]["get"]
    assert "application/geo+json" in operation["responses"]["200"]["content"]
    assert {"kind", "category", "colour"} <= {p["name"] for p in operation["parameters"]}
    assert {"401", "403"} <= set(operation["responses"])
