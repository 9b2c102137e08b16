"""Query-count guards of the open-hazard lists in the API (bench/inspections.py times them): the
number of queries does not grow with the number of orders, inspections or photos listed."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import inspect

NOW = "2026-12-07 10:00:00+08:00"
FAILED = {"灭火器在有效期内": "no", "消防通道畅通": "no", "油罐区可燃气体浓度（%LEL）": "40"}  # 3 orders each


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("path, per_inspection", [
    ("/api/inspections/orders/?open=true", 3),
    ("/api/inspections/orders/?open=true&severity=major", 1),
    ("/api/inspections/findings/", 3),
    ("/api/inspections/inspections/", 1),
    ("/api/inspections/photos/", 1),
])
def test_a_list_costs_the_same_queries_for_few_and_many_rows(api, org, station, template, path, per_inspection):
    client = api(org.user("office"))
    client.get(path)  # the user's roles are read once per user object
    inspect(org.user("inspector1"), station, template.current, **FAILED)
    few, rows = _count(client, path)
    assert rows == per_inspection
    for _ in range(9):
        inspect(org.user("inspector1"), station, template.current, **FAILED)
    many, rows = _count(client, path)
    assert rows == 10 * per_inspection
    assert many == few and many <= 10, (few, many)

