"""The home page answers "what do I have to do today?" for each role, from the demo street, in a
bounded number of queries; the navigation shows the role's sections first and hides what it may not open."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

DESK_TILES = {"incidents.open", "obligations.due", "briefings.today", "patrols.today", "registers.risk"}
EXPECTED = {
    # user: (tiles it must have, tiles it must not have)
    "office": (DESK_TILES | {"obligations.mine", "obligations.alerts", "core.jurisdiction"},
               {"incidents.mine", "briefings.mine", "patrols.mine", "obligations.unit"}),
    "leader": (DESK_TILES, {"incidents.mine", "patrols.mine"}),
    "viewer": (DESK_TILES - {"patrols.today"} | {"obligations.alerts"}, {"obligations.mine", "briefings.mine"}),
    "inspector": ({"obligations.due", "incidents.open", "registers.risk"}, {"briefings.mine", "patrols.mine"}),
    "grid": ({"briefings.mine", "incidents.mine", "obligations.mine"}, DESK_TILES),
    "patrol": ({"patrols.mine", "obligations.alerts"}, DESK_TILES | {"briefings.mine"}),
    "liaison": ({"obligations.unit", "briefings.mine"}, DESK_TILES),
}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return {u.username: u for u in get_user_model().objects.all()}


def tiles(html):
    return re.findall(r'data-tile="([^"]+)"', html)


def test_each_role_sees_the_tiles_of_its_work(client, demo):
    for username, (must, must_not) in EXPECTED.items():
        client.force_login(demo[username])
        response = client.get(reverse("home"))
        assert response.status_code == 200, username
        shown = set(tiles(response.content.decode()))
        assert must <= shown, (username, must - shown)
        assert not shown & must_not, (username, shown & must_not)


def test_office_home_names_things_and_draws_its_charts_from_a_vendored_file(client, demo):
    client.force_login(demo["office"])
    html = client.get(reverse("home")).content.decode()
    for raw in ("briefings.morning_report", "patrols.checkin", "registers.review"):
        assert f">{raw}<" not in html  # kinds by their labels
    assert html.count('class="chart"') >= 3
    assert "/static/shouwang/vendor/echarts/echarts.simple.min.js" in html
    assert "http://" not in html.split("<body", 1)[0] and "https://" not in html.split("<body", 1)[0]


def test_home_page_queries_stay_bounded(client, demo):
    for username in ("office", "viewer", "grid", "patrol", "liaison"):
        client.force_login(demo[username])
        client.get(reverse("home"))  # warm the caches a real server holds (content types, policies)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        # A few grouped queries per tile; one per community, incident or window would exceed this.
        # Some twenty tiles, each a fixed number of grouped queries whatever the data: the office's home
        # reads 43; a school leader's 69, of which the school's day (schools.my_school) is about 48 for
        # its one school (policy versions read per section) — to be made cheaper; a query per
        # community, incident, window or visitor would still exceed this.
        print(username, len(queries))
        assert len(queries) <= 70, (username, "\n".join(q["sql"][:160] for q in queries.captured_queries))


def test_grid_worker_files_today_report_in_two_taps_and_is_told_when_it_is_in(client, demo):
    client.force_login(demo["grid"])
    html = client.get(reverse("home")).content.decode()
    mine = re.search(r'data-tile="briefings.mine".*?</section>', html, re.S).group(0)
    links = [u.replace("&amp;", "&") for u in re.findall(r'class="btn" href="([^"]+)"', mine)]
    in_already = mine.count("已报送")
    assert links or in_already
    for url in links:  # a slot not yet in: the form opens on the right community, day and slot
        form = client.get(url)
        assert form.status_code == 200 and "already-in" not in form.content.decode()
    from shouwang.briefings.models import DailyReport
    report = DailyReport.objects.filter(jurisdiction__code="QL-WC-LA").order_by("-date", "-pk").first()
    url = reverse("briefings:dailyreport_create") + f"?jurisdiction={report.jurisdiction_id}&date={report.date}&slot={report.slot}"
    assert "already-in" in client.get(url).content.decode()  # said before typing


def test_navigation_puts_the_role_first_and_hides_what_it_may_not_open(client, demo):
    client.force_login(demo["grid"])
    html = client.get(reverse("home")).content.decode()
    order = re.findall(r'data-section="([^"]+)"', html)
    assert order[:4] == ["home", "briefings", "incidents", "patrols"]
    assert "audit" not in order  # the audit answers 403 to a grid worker: not offered
    assert client.get(reverse("audit:report")).status_code == 403
    client.force_login(demo["office"])
    order = re.findall(r'data-section="([^"]+)"', client.get(reverse("home")).content.decode())
    assert order[:3] == ["home", "org", "obligations"] and "audit" in order


def test_help_page_per_area_in_the_user_language_linked_from_the_header(client, db):
    from shouwang.core.views.help import AREAS
    from tests.conftest import make_user

    client.force_login(make_user("reader", superuser=True))
    page = client.get(reverse("registers:keyplace_list")).content.decode()
    assert 'href="/help/registers/"' in page  # the header's help is the help of the area one is in
    for area in AREAS:
        zh = client.get(reverse("help_area", args=[area]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert zh.status_code == 200 and "使用说明" in zh.content.decode()
    assert "风险墙" in client.get("/help/registers/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "risk wall" in client.get("/help/registers/").content.decode()
    assert client.get("/help/nothing/").status_code == 404
