"""Node outlines: drawn or pasted on the node's edit page, imported from GeoJSON, shown on maps."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from shouwang.core.choices import NodeLevel
from shouwang.core.models import ChangeLogEntry, Jurisdiction
from shouwang.core.services import create_node

# A small square near 31.23 N 121.47 E, counter-clockwise, closed.
SQUARE = [[121.47, 31.23], [121.48, 31.23], [121.48, 31.24], [121.47, 31.24], [121.47, 31.23]]


def polygon(ring=SQUARE):
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def node_form(node, **changes):
    data = {"code": node.code, "name": node.name, "level": node.level, "area_km2": "", "resident_population": "",
            "actual_population": "", "lat": "", "lon": "", "boundary": ""}
    data.update(changes)
    return data


def updates_of(node):
    return ChangeLogEntry.objects.filter(object_id=str(node.pk), action="update")


# --- the node's edit page -----------------------------------------------------------------

def test_edit_page_has_the_outline_editor(login, org):
    client = login(org.user("office"))
    response = client.get(reverse("core:jurisdiction_edit", args=[org.c1.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "data-outline" in body and 'name="boundary"' in body and "shouwang/outline.js" in body
    # The parent and the sibling are drawn around it to orient on; not the node itself.
    context = response.context["outline_context"]
    names = {f["properties"]["name"] for f in context["features"]}
    assert "一社区" not in names


def test_edit_saves_a_pasted_polygon_oriented_and_logged(login, org):
    client = login(org.user("office"))
    clockwise = list(reversed(SQUARE))
    response = client.post(reverse("core:jurisdiction_edit", args=[org.c1.pk]),
                           node_form(org.c1, boundary=json.dumps(feature(polygon(clockwise), name="一社区"))))
    assert response.status_code == 302, response.context["form"].errors
    org.c1.refresh_from_db()
    assert org.c1.boundary["type"] == "Polygon"
    assert org.c1.boundary["coordinates"][0][1] == [121.48, 31.23]  # turned counter-clockwise (RFC 7946)
    entry = updates_of(org.c1).latest("pk")
    assert entry.user == org.user("office") and "boundary" in entry.after


def test_edit_clears_the_outline(login, org):
    org.c1.boundary = polygon()
    org.c1.save()
    client = login(org.user("office"))
    response = client.post(reverse("core:jurisdiction_edit", args=[org.c1.pk]), node_form(org.c1, boundary=""))
    assert response.status_code == 302
    org.c1.refresh_from_db()
    assert org.c1.boundary is None


@pytest.mark.parametrize(("text", "words"), [
    (json.dumps(polygon(SQUARE[:-1] + [[121.471, 31.23]])), "未闭合"),
    (json.dumps(polygon([[200, 31.23], [121.48, 31.23], [121.48, 31.24], [200, 31.23]])), "超出范围"),
    (json.dumps({"type": "Point", "coordinates": [121.47, 31.23]}), "Point"),
    ('{"type": "Polygon", "coordinates": [[', "GeoJSON"),
])
def test_edit_refuses_a_bad_outline_in_chinese_and_keeps_the_text(login, org, text, words):
    client = login(org.user("office"))
    response = client.post(reverse("core:jurisdiction_edit", args=[org.c1.pk]), node_form(org.c1, boundary=text))
    assert response.status_code == 200
    errors = response.context["form"].errors["boundary"]
    assert any(words in e for e in errors), errors
    body = response.content.decode()
    assert 'data-field="boundary"' in body
    org.c1.refresh_from_db()
    assert org.c1.boundary is None and not updates_of(org.c1).exists()


def test_edit_page_shows_the_saved_outline_to_edit(login, org):
    org.c1.boundary = polygon()
    org.c1.save()
    response = login(org.user("office")).get(reverse("core:jurisdiction_edit", args=[org.c1.pk]))
    assert "121.48" in response.content.decode()  # the textarea holds the GeoJSON the map draws


# --- the import -----------------------------------------------------------------------------

def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def other_street():
    s2 = create_node(parent=Jurisdiction.objects.get(code="D"), code="S2", name="别的街道", level=NodeLevel.STREET)
    return create_node(parent=s2, code="C9", name="别处社区", level=NodeLevel.COMMUNITY)


def import_text(client, text, **extra):
    return client.post(reverse("core:outline_import"), {"text": text, **extra})


def test_import_preview_says_what_each_feature_does(login, org):
    outside = other_street()  # not in the office's street: reads as not found
    shifted = [[x + 0.02, y] for x, y in SQUARE]
    text = collection(
        feature(polygon(), code="C1"),
        feature(polygon(shifted), name="二社区"),
        feature(polygon(), name="无此社区"),
        feature(polygon(SQUARE[:-1]), code="C1-G1"),  # not closed
        feature({"type": "Point", "coordinates": [121.47, 31.23]}, code="S"),
        feature(polygon(), code="C9"),
        feature(polygon(), foo="bar"),
    )
    client = login(org.user("office"))
    response = import_text(client, text)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.outcome for r in rows] == ["set", "set", "unmatched", "invalid", "invalid", "unmatched", "unmatched"]
    assert rows[0].node == org.c1 and rows[1].node == org.c2
    assert "未闭合" in rows[3].reason and "Point" in rows[4].reason
    assert "别处社区" not in response.content.decode()  # a node outside the scope is not named
    assert response.context["counts"] == {"set": 2, "unchanged": 0, "unmatched": 3, "invalid": 2}
    # Nothing written by the preview.
    assert not Jurisdiction.objects.exclude(boundary=None).exists()
    assert outside.boundary is None


def test_import_apply_sets_matched_outlines_once_and_logs(login, org):
    other_street()
    text = collection(feature(polygon(), code="C1"), feature(polygon(), code="C9"), feature(polygon(), name="无此社区"))
    client = login(org.user("office"))
    response = import_text(client, text, apply="1")
    assert response.status_code == 302
    org.c1.refresh_from_db()
    assert org.c1.boundary == {"type": "Polygon", "coordinates": [SQUARE]}
    assert Jurisdiction.objects.get(code="C9").boundary is None  # out of scope: untouched
    entry = updates_of(org.c1).get()
    assert entry.user == org.user("office") and entry.source == "web"
    message = [str(m) for m in response.wsgi_request._messages][0]
    assert "1" in message
    # A retried apply (the same file again) changes nothing and logs nothing more.
    response = import_text(client, text, apply="1")
    assert response.status_code == 302
    assert updates_of(org.c1).count() == 1
    preview = import_text(client, text)
    assert [r.outcome for r in preview.context["rows"]][0] == "unchanged"


def test_import_two_features_for_one_node_sets_the_first(login, org):
    shifted = [[x + 0.02, y] for x, y in SQUARE]
    text = collection(feature(polygon(), code="C1"), feature(polygon(shifted), name="一社区"))
    rows = import_text(login(org.user("office")), text).context["rows"]
    assert [r.outcome for r in rows] == ["set", "invalid"]
    assert "1" in rows[1].reason


def test_import_converts_gcj02(login, org):
    response = import_text(login(org.user("office")), collection(feature(polygon(), code="C1")), gcj02="on", apply="1")
    assert response.status_code == 302
    org.c1.refresh_from_db()
    lon, lat = org.c1.boundary["coordinates"][0][0]
    assert 121.46 < lon < 121.468 and 31.23 < lat < 31.235  # in Shanghai GCJ-02 sits ~450 m east of WGS84


@pytest.mark.parametrize(("text", "words"), [
    ("not json at all", "GeoJSON"),
    (json.dumps({"type": "Polygon", "coordinates": [SQUARE]}), "FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": []}), "没有"),
])
def test_import_errors_stand_next_to_the_field_and_keep_the_text(login, org, text, words):
    response = import_text(login(org.user("office")), text)
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert any(words in e for e in errors), errors
    assert "rows" not in response.context
    assert text.replace('"', "&quot;")[:20] in response.content.decode()


def test_import_an_uploaded_file(login, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("outlines.geojson", collection(feature(polygon(), code="C2")).encode("utf-8"),
                                content_type="application/geo+json")
    response = login(org.user("office")).post(reverse("core:outline_import"), {"file": upload})
    assert [r.outcome for r in response.context["rows"]] == ["set"]
    assert response.context["rows"][0].node == org.c2


def test_import_needs_the_right_to_change_nodes(login, org):
    assert login(org.user("patrol1")).get(reverse("core:outline_import")).status_code == 403
    response = login(org.user("office")).get(reverse("core:jurisdiction_tree"))
    assert reverse("core:outline_import") in response.content.decode()


def test_a_community_office_matches_only_its_own_nodes(login, org):
    text = collection(feature(polygon(), code="C1"), feature(polygon(), code="C2"))
    rows = import_text(login(org.user("office1")), text).context["rows"]
    assert [r.outcome for r in rows] == ["set", "unmatched"]


# --- maps ------------------------------------------------------------------------------------

def test_maps_have_no_tiles_by_default(login, org):
    body = login(org.user("office")).get(reverse("registers:map")).content.decode()
    assert "shouwang-map-config" not in body


@override_settings(SHOUWANG_MAP_TILES="http://tiles.office.local/{z}/{x}/{y}.png", SHOUWANG_MAP_ATTRIBUTION="区测绘院")
def test_an_office_tile_server_reaches_the_map_script(login, org):
    body = login(org.user("office")).get(reverse("registers:map")).content.decode()
    assert "shouwang-map-config" in body and "tiles.office.local" in body
    assert json.dumps("区测绘院")[1:-1] in body


def test_coverage_draws_the_nodes(login, org):
    org.c1.boundary = polygon()
    org.c1.save()
    response = login(org.user("office")).get(reverse("patrols:coverage") + f"?node={org.street.pk}")
    assert response.status_code == 200
    names = {f["properties"]["name"] for f in response.context["nodes_json"]["features"]}
    assert "一社区" in names
    assert 'id="coverage-nodes"' in response.content.decode()
