"""Incident numbers stay unique when intakes race (each thread its own connection and transaction)."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from shouwang.incidents.models import Incident

from .conftest import make_incident

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_intakes_get_distinct_consecutive_numbers(org):
    errors, barrier = [], threading.Barrier(4)

    def worker(i):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    make_incident(org, title=f"并发事件{i}")
                    break
                except OperationalError as exc:
                    # SQLite's in-memory test database locks whole tables instead of waiting: try again.
                    # PostgreSQL waits on the counter's row lock, so this never triggers there.
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = sorted(Incident.objects.values_list("number", flat=True))
    assert numbers == [f"S-{n.split('-')[1]}-{i:04d}" for i, n in enumerate(numbers, 1)]
    assert len(set(numbers)) == 4
