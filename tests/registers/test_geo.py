"""Polygons, GCJ-02 conversion and the GeoJSON export (validated against the schema shipped here)."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from shouwang.core.geo import (
    distance_m,
    gcj02_to_wgs84,
    oriented,
    signed_area,
    validate_polygon,
    wgs84_to_gcj02,
)

SCHEMA = json.loads((Path(__file__).parent / "geojson.schema.json").read_text(encoding="utf-8"))
SQUARE = [[121.40, 31.20], [121.41, 31.20], [121.41, 31.21], [121.40, 31.21], [121.40, 31.20]]


def poly(ring):
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_closed_simple_polygon_passes():
    validate_polygon(poly(SQUARE))
    validate_polygon(poly(SQUARE[::-1]))


@pytest.mark.parametrize("ring, words", [
    (SQUARE[:-1], "not closed"),
    ([[121.40, 31.20], [121.41, 31.21], [121.41, 31.20], [121.40, 31.21], [121.40, 31.20]], "crosses itself"),
    ([[121.40, 31.20], [191.0, 31.20], [121.41, 31.21], [121.40, 31.20]], "out of range"),
    ([[121.40, 31.20], [121.41, 31.20], [121.40, 31.20]], "at least four"),
    ([[121.40, 31.20], [121.41, 31.20], [121.42, 31.20], [121.40, 31.20]], "no area"),
])
def test_bad_polygons_are_refused_with_the_reason(ring, words):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as err:
        validate_polygon(poly(ring))
    assert words in " ".join(err.value.messages)


def test_the_model_refuses_a_bad_polygon_on_its_field(org):
    from shouwang.registers.models import KeyPlace

    place = KeyPlace(jurisdiction=org.c1, name="广场", kind="area", category="square", polygon=poly(SQUARE[:-1]))
    with pytest.raises(ValidationError) as err:
        place.clean()
    assert "polygon" in err.value.message_dict


def test_orientation_follows_the_right_hand_rule():
    clockwise = SQUARE[::-1]
    assert signed_area(clockwise) < 0
    assert signed_area(oriented(poly(clockwise))["coordinates"][0]) > 0


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=18.0, max_value=53.0), st.floats(min_value=74.0, max_value=134.0))
def test_gcj02_round_trip_is_within_a_metre(lat, lon):
    glat, glon = wgs84_to_gcj02(lat, lon)
    assert distance_m(lat, lon, glat, glon) > 1  # the offset is real (hundreds of metres)
    back = gcj02_to_wgs84(glat, glon)
    assert distance_m(lat, lon, *back) < 1.0


def test_gcj02_leaves_points_outside_china_alone():
    assert wgs84_to_gcj02(48.85, 2.35) == (48.85, 2.35)
    assert gcj02_to_wgs84(48.85, 2.35) == (48.85, 2.35)


def test_exported_geojson_validates_against_the_schema(org, login, place_factory):
    from shouwang.registers import services

    place_factory(name="点位", lat=31.2, lon=121.4)
    square = place_factory(name="广场", kind="area", category="square", lat=None, lon=None, polygon=poly(SQUARE[::-1]))
    place_factory(name="无坐标", lat=None, lon=None)
    place_factory(node=org.c2, name="别处")
    services.set_colour(square, colour="orange", reason="节日活动")
    response = login(org.user("office1")).get("/registers/places.geojson?download=1")
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    jsonschema.validate(data, SCHEMA)
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert set(names) == {"点位", "广场"}  # in scope, with a location
    assert names["点位"]["geometry"]["coordinates"] == [121.4, 31.2]  # lon, lat
    ring = names["广场"]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and signed_area(ring) > 0
    assert names["广场"]["properties"]["colour"] == "orange"
    only_areas = json.loads(login(org.user("office1")).get("/registers/places.geojson?kind=area").content)
    assert [f["properties"]["name"] for f in only_areas["features"]] == ["广场"]


def test_the_schema_refuses_what_rfc_7946_forbids():
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [31.2, 191.0]}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
    open_ring = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": poly(SQUARE[:2])}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(open_ring, SCHEMA)
