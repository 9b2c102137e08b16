"""Inspections stored and scored through the service, as a ratio to raw inserts of the same rows;
and the street's open-hazard list with many orders.

    .venv/bin/python bench/inspections.py [--inspections 10000] [--answers 50] [--postgres] [--repeat 10]

Makes a throwaway database (embedded SQLite under a temporary SHOUWANG_VAR by default;
`--postgres`: a throwaway PostgreSQL with production's durable settings), migrates, seeds a
street of six communities with 300 fuel stations and one checklist of `--answers` items
(yes / no, numbers with limits, choices), then measures in the same process:
  raw      the same rows as plain SQL: per inspection one transaction, one INSERT of the
           inspection and one executemany of its answers (no scoring, no change log);
  service  services.record_inspection() per inspection, as the phone's API calls it: scope and
           answers checked, scored, answers stored (in bulk, with their change-log rows),
           every 5th inspection with one failed item (a finding and its order, an obligation,
           the office told);
  list     the street's open-hazard list as the office reads it: the page
           inspections:rectificationorder_list when it exists, else the API's
           /api/inspections/orders/?open=true (first page), with its query count.
Prints rates (inspections/s, answers/s), the ratio service / raw and the list's median time.
The query count of the list is guarded in tests/inspections/test_list_queries.py (not its time).
Not part of `make test`.
"""

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import postgres  # noqa: E402

PLACES = 300
FAIL_EVERY = 5


def items(n):
    out = []
    for i in range(n):
        kind = ("yes_no", "yes_no", "number", "choice")[i % 4]
        item = {"section": f"第{i // 10 + 1}部分", "text": f"检查项{i + 1}", "answer_type": kind,
                "severity": ("general", "serious", "general", "note")[i % 4]}
        if kind == "number":
            item |= {"max_value": 20, "unit_label": "%LEL"}
        if kind == "choice":
            item |= {"options": ["完整", "不完整", "缺失"], "failing_options": ["缺失"]}
        out.append(item)
    return out


def seed(n_items):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from shouwang.core.choices import NodeLevel, PersonKind, Role, UnitKind
    from shouwang.core.models import Person, RoleAssignment, Unit
    from shouwang.core.services import create_node
    from shouwang.inspections import services
    from shouwang.registers.models import KeyPlace

    call_command("load_presets", verbosity=0)
    district = create_node(parent=None, code="B", name="基准区", level=NodeLevel.DISTRICT)
    street = create_node(parent=district, code="B-S", name="基准街道", level=NodeLevel.STREET)
    communities = [create_node(parent=street, code=f"B-S-{i}", name=f"基准社区{i}", level=NodeLevel.COMMUNITY)
                   for i in range(6)]
    places = []
    for i in range(PLACES):
        node = communities[i % 6]
        unit = Unit.objects.create(jurisdiction=node, name=f"加油站公司{i}", kind=UnitKind.BUSINESS)
        person = Person.objects.create(jurisdiction=node, name=f"站长{i}", kind=PersonKind.CONTACT, unit=unit)
        places.append(KeyPlace.objects.create(jurisdiction=node, name=f"加油站{i}", kind="unit", category="petroleum",
                                              unit=unit, responsible_unit=unit, responsible_person=person,
                                              lat=31.2, lon=121.4))
    User = get_user_model()
    inspector = User.objects.create_user(username="bench_inspector", password="x")
    RoleAssignment.objects.create(user=inspector, role=Role.INSPECTOR, jurisdiction=street)
    template = services.create_template(node=street, name="加油站检查表", category="petroleum", items=items(n_items))
    return inspector, street, places, template.current


def office_of(street):
    """The office staff of the street (who are told of every order and read the list)."""
    from django.contrib.auth import get_user_model

    from shouwang.core.choices import Role
    from shouwang.core.models import RoleAssignment

    office = get_user_model().objects.create_user(username="bench_office", password="x")
    RoleAssignment.objects.create(user=office, role=Role.OFFICE_STAFF, jurisdiction=street)
    return office


def pages_exist():
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("inspections:rectificationorder_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def raw_rate(user, version, places, n):
    """Plain SQL of the same rows: an inspection and its answers per transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from shouwang.inspections.models import Answer, Inspection

    item_ids = list(version.items.values_list("pk", flat=True))
    user_id = user.pk
    qn = connection.ops.quote_name
    ins_cols = ["client_uuid", "place_id", "unit_id", "version_id", "inspector_id", "finished_at", "received_at",
                "score", "max_score", "failed_count", "present_person", "inspector_signature", "present_signature",
                "remarks", "jurisdiction_id", "created_at", "updated_at"]
    ans_cols = ["inspection_id", "item_id", "value", "number", "result", "note", "jurisdiction_id", "created_at",
                "updated_at"]
    ins_sql = (f"INSERT INTO {qn(Inspection._meta.db_table)} ({', '.join(ins_cols)}) "
               f"VALUES ({', '.join(['%s'] * len(ins_cols))}) RETURNING id")
    ans_sql = f"INSERT INTO {qn(Answer._meta.db_table)} ({', '.join(ans_cols)}) VALUES ({', '.join(['%s'] * len(ans_cols))})"
    uuid_value = (lambda u: u.hex) if connection.vendor == "sqlite" else (lambda u: u)
    start = time.perf_counter()
    for i in range(n):
        place = places[i % len(places)]
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(ins_sql, [uuid_value(uuid.uuid4()), place.pk, place.unit_id, version.pk, user_id, now, now,
                                     len(item_ids), len(item_ids), 0, "", "", "", "", place.jurisdiction_id, now, now])
            pk = cursor.fetchone()[0]
            cursor.executemany(ans_sql, [[pk, item, "是", None, "pass", "", place.jurisdiction_id, now, now]
                                         for item in item_ids])
    return time.perf_counter() - start


def body(version_items, place, i):
    answers = []
    for n, item in enumerate(version_items):
        value = {"yes_no": "yes", "number": "5", "choice": "完整", "text": "无"}[item.answer_type]
        if i % FAIL_EVERY == 0 and n == 1:
            value = "no"  # a serious hazard: a finding and its order
        answers.append({"item": item.pk, "value": value})
    return {"client_uuid": str(uuid.uuid4()), "place": place.pk, "finished_at": "2026-12-07T09:40:00+08:00",
            "answers": answers, "lat": 31.2, "lon": 121.4, "present_person": "站长"}


def service_rate(user, version, places, n, progress):
    from django.utils import timezone

    from shouwang.core.changelog import change_context
    from shouwang.inspections import services

    version_items = list(version.items.all())
    start = time.perf_counter()
    with time_at("2026-12-07 10:00:00+08:00"), change_context(source="api", user=user):
        for i in range(n):
            services.record_inspection(user, body(version_items, places[i % len(places)], i),
                                       received_at=timezone.now())
            if progress and (i + 1) % progress == 0:
                elapsed = time.perf_counter() - start
                print(f"  {i + 1} inspections in {elapsed:.0f} s ({(i + 1) / elapsed:.1f}/s)", flush=True)
    return time.perf_counter() - start


@contextlib.contextmanager
def time_at(moment):
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield


def list_time(office, repeat):
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    settings.ALLOWED_HOSTS = ["*"]
    try:
        path, what = reverse("inspections:rectificationorder_list") + "?open=1", "page"
    except NoReverseMatch:
        path, what = "/api/inspections/orders/?open=true", "API (the page does not exist yet)"
    client = Client()
    client.force_login(office)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # now: the log is cleared by the next request
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - t0)
    return path, what, statistics.median(times), min(times), count


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shouwang.inspections.models import Answer, Inspection, RectificationOrder

    call_command("migrate", verbosity=0)
    inspector, street, places, version = seed(args.answers)
    # The office is told of every order with a link to its page: until the order pages exist the
    # office staff are added after the run (the messages are then not part of the measure).
    told = pages_exist()
    office = office_of(street) if told else None
    n = args.inspections
    print(f"database: {connection.vendor}; {n} inspections x {args.answers} answers, {PLACES} places, "
          f"one failed item in every {FAIL_EVERY}th inspection")
    raw = raw_rate(inspector, version, places, n)
    before = Inspection.objects.count(), Answer.objects.count()
    service = service_rate(inspector, version, places, n, progress=max(n // 10, 1))
    stored = Inspection.objects.count() - before[0], Answer.objects.count() - before[1]
    assert stored == (n, n * args.answers), stored
    orders = RectificationOrder.objects.count()
    print(f"{'path':<10}{'seconds':>9}{'insp/s':>10}{'answers/s':>12}{'x raw':>8}")
    print(f"{'raw':<10}{raw:>9.1f}{n / raw:>10.1f}{n * args.answers / raw:>12.0f}{1:>8.1f}")
    print(f"{'service':<10}{service:>9.1f}{n / service:>10.1f}{n * args.answers / service:>12.0f}{service / raw:>8.1f}")
    print(f"orders made by the service: {orders} (all open); the office told of each: {'yes' if told else 'no'}")
    office = office or office_of(street)
    path, what, median, best, queries = list_time(office, args.repeat)
    print(f"open-hazard list, {what}: {path}")
    print(f"  {orders} open orders on the street: median {median * 1000:.1f} ms, best {best * 1000:.1f} ms, "
          f"{queries} queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inspections", type=int, default=10000)
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL (durable) instead of SQLite")
    args = parser.parse_args()
    os.environ["SHOUWANG_VAR"] = tempfile.mkdtemp(prefix="shouwang-bench-inspections-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    os.environ["MEDIA_ROOT"] = os.environ["SHOUWANG_VAR"]
    if not args.postgres:
        os.environ.pop("DATABASE_URL", None)
        return run(args)
    with postgres(durable=True) as url:
        os.environ["DATABASE_URL"] = url
        return run(args)


if __name__ == "__main__":
    main()
