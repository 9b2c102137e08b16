"""The demo registers: places by colour on the wall and the map; stale entries' obligations are missed."""

import pytest

from shouwang.core import demo as core_demo
from shouwang.obligations.models import Obligation
from shouwang.policies import demo as policies_demo
from shouwang.registers import demo
from shouwang.registers.models import Defence, HazardousStock, KeyPlace, RiskRating


@pytest.fixture
def demo_loaded(db):
    core_demo.load(out=lambda *a: None)
    policies_demo.load(out=lambda *a: None)
    demo.load(out=lambda *a: None)


def test_demo_loads_once_with_places_defences_stock_and_a_week_of_colours(demo_loaded):
    counts = (KeyPlace.objects.count(), Defence.objects.count(), HazardousStock.objects.count(), RiskRating.objects.count())
    assert counts[0] >= 20 and counts[1] >= 20 and counts[2] == 3
    assert RiskRating.objects.values("date").distinct().count() == 7
    categories = set(KeyPlace.objects.values_list("category", flat=True))
    assert {"school", "hospital", "railway_station", "petroleum", "power", "market", "bridge", "square"} <= categories
    assert HazardousStock.objects.get(substance="92号汽油").quantity == 25
    demo.load(out=lambda *a: None)
    assert (KeyPlace.objects.count(), Defence.objects.count(), HazardousStock.objects.count(),
            RiskRating.objects.count()) == counts


def test_stale_demo_entries_have_missed_review_and_defence_check_obligations(demo_loaded):
    missed = Obligation.objects.in_state("missed")
    stale_review = {o.subject.name for o in missed.filter(kind="registers.review")}
    assert {"柳岸小学", "枫林110千伏变电站", "桂香大酒店", "明湖地下通道"} <= stale_review
    assert "望川中学" not in stale_review
    stale_checks = {o.subject.name for o in missed.filter(kind="registers.defence_check")}
    assert {"校园视频监控", "周界电子围栏", "大堂视频监控"} <= stale_checks
    assert "校门视频监控" not in stale_checks
    row = missed.filter(kind="registers.review").first()
    assert row.responsible_unit is not None and row.policy_version is not None
    # The accountability audit of the street lists them, over the period their due dates fall in.
    from django.utils import timezone

    from shouwang.audit import queries as audit
    from shouwang.core.models import Jurisdiction

    due = [o.due_at for o in missed.filter(kind__in=["registers.review", "registers.defence_check"])]
    report = audit.build(Jurisdiction.objects.get(code="QL-WC"), timezone.localdate(min(due)), timezone.localdate())
    listed = {(r.kind, r.obligation.subject.name) for r in report.rows if r.kind.startswith("registers.")}
    assert {("registers.review", name) for name in stale_review} <= listed
    assert {("registers.defence_check", name) for name in stale_checks} <= listed


def column(page, colour):
    return page.split(f'wall-col wall-{colour}"')[1].split("</section>")[0]


def test_wall_and_map_show_demo_places_by_colour(demo_loaded, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="office"))
    page = client.get("/registers/wall/").content.decode()
    orange, red = column(page, "orange"), column(page, "red")
    assert "清泉加油站" in orange and "地铁明湖站" in orange and "望川会展中心" not in orange
    assert "望川会展中心" in red and "↑" in red.split("望川会展中心", 1)[1].split("</li>")[0]  # orange yesterday
    assert "明湖广场" in orange  # blue yesterday, orange today
    assert "↓" in page or "↑" in page
    response = client.get("/registers/map/")
    assert response.status_code == 200
    data = response.context["places_json"]
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert names["望川会展中心"]["properties"]["colour"] == "red"
    assert names["明湖广场"]["geometry"]["type"] == "Polygon"
    assert len(names) == KeyPlace.objects.count()


def test_the_example_sheet_in_docs_previews_against_the_demo(demo_loaded, tmp_path):
    import sys
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from shouwang.core.geo import distance_m
    from shouwang.registers import importing

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "scripts"))
    try:
        import make_example_register
    finally:
        sys.path.pop(0)
    fresh = make_example_register.build(tmp_path / "example.xlsx")
    from openpyxl import load_workbook

    def content(path):
        ws = load_workbook(path).active
        return [list(r) for r in ws.iter_rows(values_only=True)], sorted(str(m) for m in ws.merged_cells.ranges)

    assert content(fresh) == content(root / "docs" / "registers-example.xlsx")  # the committed file is current
    office = get_user_model().objects.get(username="office")
    sheet = importing.parse(fresh.open("rb"), office)
    outcomes = {r.values["name"]: r.outcome for r in sheet.rows}
    assert outcomes == {
        "望川中学": "update", "柳岸小学": "update", "望川医院": "update", "清泉加油站": "update",
        "明湖夜市": "create", "枫林公交枢纽": "create", "云杉旧仓库": "error", "云杉河堤": "error", "云杉地下车库": "error",
    }
    station = next(r for r in sheet.rows if r.values["name"] == "清泉加油站")
    assert distance_m(31.22415, 121.47851, station.data["lat"], station.data["lon"]) > 100  # GCJ-02 converted
    result = importing.apply(sheet, only_valid=True)
    assert result == {"created": 2, "updated": 4, "unchanged": 0, "skipped": 3}
