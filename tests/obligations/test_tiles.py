"""The home page's obligation tiles: counts that link to lists showing exactly those rows."""

import re

from django.urls import reverse

from .test_pages import board, clock  # noqa: F401 - fixtures


def tile(html, key):
    match = re.search(rf'data-tile="{re.escape(key)}".*?</section>', html, re.S)
    assert match, f"no tile {key}"
    return match.group(0)


def figure_link(html, count):
    href = re.search(rf'href="([^"]+)" data-count="{count}"><b>(\d+)</b>', html)
    return href.group(1).replace("&amp;", "&"), int(href.group(2))


def board_total(client, url):
    return client.get(url).context["page_obj"].paginator.count


def test_office_counts_overdue_and_due_today_and_each_links_to_those_rows(login, org, units, board, clock):  # noqa: F811
    client = login(org.user("office"))
    html = tile(client.get(reverse("home")).content.decode(), "obligations.due")
    overdue_url, overdue = figure_link(html, "overdue")
    today_url, today = figure_link(html, "today")
    # 08:45: the school's review (due 07:00) is overdue; it, C1's report and C2's are due today, not done.
    assert (overdue, today) == (1, 3)
    assert board_total(client, overdue_url) == 1
    assert board_total(client, today_url) == 3
    unit_url = reverse("obligations:board") + f"?state=missed&unit={units['c1'].pk}"
    assert unit_url.replace("&", "&amp;") in html  # the overdue-by-unit figure links to the unit's list
    assert board_total(client, unit_url) == 1
    assert "台账复核" in html  # kinds by their label, never the raw key
    assert "<td>registers.review" not in html


def test_a_community_sees_only_its_own_counts(login, org, board, clock):  # noqa: F811
    html = tile(login(org.user("office1")).get(reverse("home")).content.decode(), "obligations.due")
    assert (figure_link(html, "overdue")[1], figure_link(html, "today")[1]) == (1, 2)


def test_my_duties_tile_lists_mine_most_urgent_first(login, org, board, clock):  # noqa: F811
    html = tile(login(org.user("grid1")).get(reverse("home")).content.decode(), "obligations.mine")
    assert html.index("state-missed") < html.index("state-due_soon")  # overdue before due soon
    assert "obligations.due" not in login(org.user("grid1")).get(reverse("home")).content.decode()


def test_board_lists_missed_first_then_the_nearest_deadline_then_the_done(login, org, board, clock):  # noqa: F811
    page = login(org.user("office")).get(reverse("obligations:board"))
    keys = [ob.key for ob in page.context["object_list"]]
    assert keys[0] == "missed" and keys[-1] == "late"
    assert set(keys[1:3]) == {"a", "other"}
