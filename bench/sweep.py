"""The escalation sweep's cost over 100 000 open obligations, as ratios to raw SQL in the same run.

    .venv/bin/python bench/sweep.py [--rows 100000] [--due 1000]

Starts a throwaway PostgreSQL, migrates, inserts `--rows` open obligations spread over the
next 30 days (`--due` of them missed a few minutes ago), then measures:

- a no-op sweep (nothing due) against the same candidate SELECT in raw SQL;
- the sweep that finds, claims and escalates the due ones (inbox rows, deliveries, change
  log) against a raw claim: SELECT ... FOR UPDATE SKIP LOCKED + UPDATE of the step, per batch;
- the sweep run again at once (everything already claimed);
and prints EXPLAIN for the sweep's, the board's and "my obligations"' queries.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import postgres  # noqa: E402


def timed(func, repeat=1):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main(rows, due):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from shouwang.core.choices import NodeLevel, PersonKind, Role
    from shouwang.core.models import Person, RoleAssignment
    from shouwang.core.services import create_node
    from shouwang.obligations import escalation
    from shouwang.obligations.filtersets import mine_condition
    from shouwang.obligations.models import Notification, Obligation

    call_command("migrate", verbosity=0)
    call_command("load_presets", verbosity=0)
    district = create_node(parent=None, code="D", name="区", level=NodeLevel.DISTRICT)
    street = create_node(parent=district, code="S", name="街道", level=NodeLevel.STREET)
    communities = [create_node(parent=street, code=f"C{i}", name=f"社区{i}", level=NodeLevel.COMMUNITY) for i in range(20)]
    User = get_user_model()
    people = []
    for i, node in enumerate(communities):
        user = User.objects.create_user(username=f"grid{i}")
        people.append(Person.objects.create(jurisdiction=node, name=f"网格员{i}", kind=PersonKind.GRID_WORKER, user=user))
        office = User.objects.create_user(username=f"office{i}")
        RoleAssignment.objects.create(user=office, role=Role.OFFICE_STAFF, jurisdiction=node)

    now = timezone.now()
    span = timedelta(days=30).total_seconds()
    kinds = ("briefing.daily_report", "registers.review", "patrols.checkin")

    def make(i):
        node_i = i % len(communities)
        if i < due:
            due_at = now - timedelta(minutes=5, seconds=i % 60)
        else:
            due_at = now + timedelta(hours=2, seconds=(i * 7919) % span)
        return Obligation(kind=kinds[i % 3], title=f"事项{i}", jurisdiction=communities[node_i],
                          responsible_person=people[node_i], opens_at=due_at - timedelta(hours=3), due_at=due_at)

    def insert():
        for start in range(0, rows, 20_000):  # in chunks, so a million rows fit in memory
            Obligation.objects.bulk_create([make(i) for i in range(start, min(rows, start + 20_000))], batch_size=5000)

    insert_s, _ = timed(insert)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE obligations_obligation")
    print(f"rows: {rows:,} open obligations ({due:,} missed 5 minutes ago); bulk insert {rows / insert_s:,.0f} rows/s")

    horizon = escalation._horizon()
    raw_select = (
        "SELECT id FROM obligations_obligation WHERE met_at IS NULL AND waived_at IS NULL "
        "AND escalation_step < 3 AND due_at <= %s ORDER BY due_at, id"
    )

    def raw_find(at):
        with connection.cursor() as c:
            c.execute(raw_select, [at + horizon])
            return len(c.fetchall())

    # 1. Nothing due: an hour ago nothing was within the reminder horizon.
    quiet = now - timedelta(hours=1)
    raw_noop_s, found = timed(lambda: raw_find(quiet), repeat=5)
    assert found == 0
    sweep_noop_s, stats = timed(lambda: escalation.sweep(now=quiet), repeat=5)
    assert stats["examined"] == 0
    print(f"no-op sweep: {sweep_noop_s * 1000:.2f} ms  vs raw candidate SELECT {raw_noop_s * 1000:.2f} ms"
          f"  -> ratio {sweep_noop_s / raw_noop_s:.1f}x")

    # 2. The due ones: raw claim (lock + step update, batches of 200) inside a rolled-back transaction.
    raw_find_s, found = timed(lambda: raw_find(now), repeat=3)

    def raw_claim():
        claimed = 0
        with transaction.atomic():
            with connection.cursor() as c:
                last = (now - timedelta(days=365), 0)
                while True:
                    c.execute(
                        "SELECT id, due_at FROM obligations_obligation WHERE met_at IS NULL AND waived_at IS NULL "
                        "AND escalation_step < 3 AND due_at <= %s AND (due_at, id) > (%s, %s) ORDER BY due_at, id "
                        "LIMIT 200 FOR UPDATE SKIP LOCKED", [now + horizon, last[0], last[1]])
                    batch = c.fetchall()
                    if not batch:
                        break
                    c.executemany("UPDATE obligations_obligation SET escalation_step = 2, sweep_token = sweep_token + 1 "
                                  "WHERE id = %s", [(r[0],) for r in batch])
                    claimed += len(batch)
                    last = (batch[-1][1], batch[-1][0])
            transaction.set_rollback(True)
        return claimed

    raw_claim_s, claimed = timed(raw_claim, repeat=3)
    assert claimed == found == due, (claimed, found, due)
    sweep_s, stats = timed(lambda: escalation.sweep(now=now))
    assert stats["escalated"] == due, stats
    notes = Notification.objects.count()
    again_s, again = timed(lambda: escalation.sweep(now=now))
    assert again["escalated"] == 0 and Notification.objects.count() == notes
    print(f"find due: raw SELECT {raw_find_s * 1000:.1f} ms for {found:,} rows")
    print(f"sweep escalating {due:,}: {sweep_s:.2f} s ({sweep_s / due * 1000:.2f} ms each, {notes:,} notifications)"
          f"  vs raw lock+update claim {raw_claim_s:.3f} s -> ratio {sweep_s / raw_claim_s:.0f}x")
    print(f"sweep again at once (all claimed, {again['examined']:,} re-examined, nothing sent): {again_s * 1000:.1f} ms"
          f"  -> ratio {again_s / raw_find_s:.1f}x the raw find")

    def explain(label, qs):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as c:
            c.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [r[0] for r in c.fetchall()]
        print(f"\nEXPLAIN {label}:")
        for line in plan:
            print("   ", line)

    explain("sweep candidates (nothing due)", escalation.candidates(quiet).order_by("due_at", "pk")[:200])
    day = now + timedelta(days=3)
    explain("board: one community, one day",
            Obligation.objects.filter(jurisdiction=communities[3], due_at__gte=day, due_at__lt=day + timedelta(days=1))
            .order_by("due_at", "pk")[:50])
    me = people[5].user
    explain("my obligations: overdue",
            Obligation.objects.filter(mine_condition(me), met_at__isnull=True, waived_at__isnull=True, due_at__lt=now)
            .order_by("-due_at", "-pk")[:100])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    with postgres() as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
        os.environ["SHOUWANG_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        os.environ.setdefault("SHOUWANG_VAR", str(ROOT / "var" / "bench"))
        main(args.rows, args.due)
