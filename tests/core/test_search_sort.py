"""Lists sort by their columns (an unknown column is ignored); the header's search finds places,
units, people and incidents by number in the user's scope only."""

import re

from django.urls import reverse

from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.models import Person, Unit
from tests.incidents.conftest import make_incident, preset_b  # noqa: F401 - fixture


def names(response):
    return [row["cells"][0] for row in response.context["rows"]]


def test_unit_list_sorts_both_ways_and_ignores_an_unknown_column(login, org):
    for name in ("乙单位", "甲单位", "丙单位"):
        Unit.objects.create(jurisdiction=org.c1, name=name, kind=UnitKind.SCHOOL)
    client = login(org.user("office"))
    url = reverse("core:unit_list")
    ascending = names(client.get(url + "?sort=name"))
    descending = names(client.get(url + "?sort=-name"))
    assert ascending == sorted(ascending) and descending == ascending[::-1] and len(ascending) == 3
    page = client.get(url + "?sort=name").content.decode()
    assert 'data-sort="name"' in page and "▲" in page and "sort=-name" in page  # next click turns it round
    assert client.get(url + "?sort=password").status_code == 200  # not a column: the default order
    assert client.get(url + "?sort=jurisdiction").status_code == 200  # a related record sorts by its name


def test_people_list_searches_name_and_phone(login, org):
    Person.objects.create(jurisdiction=org.c1, name="张三", phone="13800001111", kind=PersonKind.STAFF)
    Person.objects.create(jurisdiction=org.c1, name="李四", phone="13900002222", kind=PersonKind.STAFF)
    client = login(org.user("office"))
    assert names(client.get(reverse("core:person_list") + "?q=0000111")) == ["张三"]
    assert names(client.get(reverse("core:person_list") + "?q=李")) == ["李四"]


def test_global_search_finds_an_incident_by_number_in_scope_only(login, org, preset_b):  # noqa: F811
    mine = make_incident(org, node=org.c1)
    other = make_incident(org, node=org.c2, title="二社区火情")
    tail = mine.number.rsplit("-", 1)[1]
    html = login(org.user("office1")).get(reverse("search") + f"?q={mine.number}").content.decode()
    assert mine.get_absolute_url() in html
    html = login(org.user("office1")).get(reverse("search") + "?q=" + other.number).content.decode()
    assert other.get_absolute_url() not in html and "没有找到" in html  # C2's incident is not office1's
    assert mine.get_absolute_url() in login(org.user("office")).get(reverse("search") + f"?q={tail}").content.decode()
    blank = login(org.user("office")).get(reverse("search") + "?q=+")
    assert blank.status_code == 200 and "请输入" in blank.content.decode()
    header = login(org.user("office")).get(reverse("home")).content.decode()
    assert re.search(r'<form method="get" action="/search/"', header)
