"""Dashboards and briefings at a district's scale, on PostgreSQL, as ratios to a plain COUNT(*).

    .venv/bin/python bench/dashboard.py [--checkins 10000000] [--obligations 1000000]
                                        [--incidents 100000] [--days 730] [--repeat 5]

Starts a throwaway PostgreSQL (fsync off: the load is not what is measured), migrates, makes a
district of 10 streets and 60 communities with 10 checkpoints each, then generates with COPY (the
tables' secondary indexes and constraints dropped during the load and made again after it):
  - `--incidents` incidents, `--obligations` obligations (daily reports twice a day per community,
    patrol check-in windows, rectification deadlines; most met, some late, some missed) and
    `--checkins` check-ins, spread over `--days` days ending today;
then rolls the history up once (the periodic job's first run) and measures, in the same process:
  count     SELECT COUNT(*) FROM the check-in table (the baseline, 1.0);
  dash 7    the 7-day dashboard of a street (dashboard.build: today, trends, its six communities);
  trend 90  a 90-day trend of a street (the daily counts the dashboard's charts read);
  dash 90   the whole 90-day dashboard, for information;
  briefing  a 7-day briefing of a street made from the data and its Word document (seconds);
and prints the EXPLAIN (ANALYZE, BUFFERS) of the 7-day dashboard's heaviest query.
The issue's bounds: dash 7 at most 3x count, trend 90 at most 1x count, briefing under 10 s.
Not part of `make test`.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import postgres  # noqa: E402

STREETS, COMMUNITIES, CHECKPOINTS = 10, 6, 10
CATEGORIES = ["fire", "traffic", "dispute", "gas_leak", "social_safety", "public_order_criminal", "rainstorm",
              "work_safety", "crowd_crush", "food_poisoning"]
LEVELS = ["IV"] * 70 + ["III"] * 22 + ["II"] * 7 + ["I"]


def timed(fn, repeat):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


# --- the load ---------------------------------------------------------------------------------

def _defaults(model, given):
    """SQL defaults for the NOT NULL columns a COPY leaves out (as Django would fill them)."""
    from django.db import models

    out = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given or f.null:
            continue
        if isinstance(f, models.DateTimeField):
            out[f.column] = "now()"
        elif isinstance(f, models.UUIDField):
            out[f.column] = "gen_random_uuid()"
        elif isinstance(f, models.JSONField):
            out[f.column] = "'[]'::jsonb" if f.default is list else "'{}'::jsonb"
        elif isinstance(f, models.BooleanField):
            out[f.column] = "true" if f.default is True else "false"
        elif isinstance(f, models.IntegerField | models.FloatField):
            out[f.column] = str(f.default if isinstance(f.default, int | float) else 0)
        elif isinstance(f, models.CharField | models.TextField):
            out[f.column] = f"'{f.default}'" if isinstance(f.default, str) else "''"
    return out


@contextmanager
def bare(model, given):
    """The table without its secondary indexes and its unique and foreign-key constraints, and with
    defaults for the columns the COPY leaves out; all made again afterwards (foreign keys NOT VALID:
    the generated rows point at rows that exist)."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as c:
        c.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                  "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", [table])
        constraints = c.fetchall()
        c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                  "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
                  [table, table])
        indexes = c.fetchall()
        for name, _kind, _def in constraints:
            c.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _def in indexes:
            c.execute(f'DROP INDEX "{name}"')
        defaults = _defaults(model, given)
        for column, value in defaults.items():
            c.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {value}')
    try:
        yield
    finally:
        with connection.cursor() as c:
            for column in defaults:
                c.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
            for _name, definition in indexes:
                c.execute(definition)
            for name, kind, definition in constraints:
                c.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
                          + (" NOT VALID" if kind == "f" else ""))
            c.execute(f'ANALYZE "{table}"')


def copy(model, columns, lines):
    """COPY tab-separated lines (an iterable of str) into the model's table, in chunks."""
    from django.db import connection

    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in columns)
    with bare(model, columns), connection.cursor() as c, c.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
        chunk = io.StringIO()
        for n, line in enumerate(lines, 1):
            chunk.write(line)
            if n % 200_000 == 0:
                cp.write(chunk.getvalue())
                chunk = io.StringIO()
        cp.write(chunk.getvalue())


class Clock:
    """Timestamps as text, fast: a day's date string and a second of the day (+08)."""

    def __init__(self, first_day, days):
        self.days = [(first_day + timedelta(days=i)).isoformat() for i in range(days)]
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    def at(self, day, second):
        if second >= 86400:
            day, second = day + 1, second - 86400
        return f"{self.days[min(day, len(self.days) - 1)]} {self.hms[second]}+08"


def seed_tree():
    from shouwang.core.choices import NodeLevel
    from shouwang.core.services import create_node
    from shouwang.patrols.models import Checkpoint, Route

    district = create_node(parent=None, code="B", name="基准区", level=NodeLevel.DISTRICT)
    streets, communities, checkpoints = [], [], []
    for s in range(STREETS):
        street = create_node(parent=district, code=f"B-{s:02d}", name=f"基准街道{s}", level=NodeLevel.STREET)
        streets.append(street)
        for c in range(COMMUNITIES):
            node = create_node(parent=street, code=f"B-{s:02d}-{c}", name=f"基准社区{s}-{c}",
                               level=NodeLevel.COMMUNITY)
            communities.append(node)
            route = Route.objects.create(jurisdiction=node, name="主路线")
            checkpoints += [(node.pk, Checkpoint.objects.create(route=route, jurisdiction=node, order=i, name=f"点位{i}",
                                                                lat=31.2, lon=121.4).pk) for i in range(CHECKPOINTS)]
    return district, streets, communities, checkpoints


def generate(args, communities, checkpoints, clock):
    from django.contrib.contenttypes.models import ContentType

    from shouwang.incidents.choices import CATEGORY_MAP
    from shouwang.incidents.models import Incident
    from shouwang.obligations.models import Obligation
    from shouwang.patrols.models import CheckIn, Checkpoint

    rng = random.Random(17)
    days = len(clock.days)
    ids = [n.pk for n in communities]
    t0 = time.perf_counter()

    def incidents():
        for i in range(args.incidents):
            category = rng.choice(CATEGORIES)
            day, second = rng.randrange(days), rng.randrange(86400)
            yield (f"{rng.choice(ids)}\tB-{i:07d}\t基准事件{i}\t{category}\t{CATEGORY_MAP[category][0]}\t"
                   f"{rng.choice(LEVELS)}\t{'closed' if day < days - 3 else 'open'}\tphone\t基准路{i}号\t"
                   f"{clock.at(day, second)}\tinitial\n")

    copy(Incident, ["jurisdiction_id", "number", "title", "category", "incident_class", "level", "status", "channel",
                    "address", "received_at", "phase"], incidents())
    print(f"  {args.incidents:,} incidents in {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    checkpoint_ct = ContentType.objects.get_for_model(Checkpoint).pk
    per_day = args.obligations / days
    reports = 2 * len(ids)
    windows = max(int(per_day) - reports - 14, 0)

    def obligations():
        n = 0
        for day in range(days):
            rows = []
            for node in ids:  # the morning and evening reports
                rows += [("briefings.morning_report", node, 6 * 3600, 9 * 3600), ("briefings.evening_report", node,
                                                                                  15 * 3600, 18 * 3600)]
            for _ in range(windows):  # patrol check-in windows at checkpoints
                node, point = rng.choice(checkpoints)
                start = rng.randrange(0, 86400 - 1800)
                rows.append(("patrols.checkin", node, start, start + 1800, point))
            for _ in range(14):
                start = rng.randrange(86400)
                rows.append(("inspections.rectify", rng.choice(ids), start, start + 600))
            for row in rows:
                kind, node, opens, due = row[:4]
                roll = rng.random()
                if day == days - 1 and due > 12 * 3600:
                    met = "\\N"  # today's not due yet
                elif roll < 0.90:
                    met = clock.at(day, max(opens, due - rng.randrange(1, 1800)))
                elif roll < 0.95:
                    met = clock.at(day, due + rng.randrange(60, 7200))
                else:
                    met = "\\N"
                subject = (str(checkpoint_ct), str(row[4])) if len(row) > 4 else ("\\N", "")
                yield (f"{kind}\t基准任务\t{node}\t{clock.at(day, opens)}\t{clock.at(day, due)}\t{met}\t"
                       f"{subject[0]}\t{subject[1]}\n")
                n += 1

    copy(Obligation, ["kind", "title", "jurisdiction_id", "opens_at", "due_at", "met_at", "subject_type_id",
                      "subject_id"], obligations())
    made = Obligation.objects.count()
    print(f"  {made:,} obligations in {time.perf_counter() - t0:.0f} s")

    t0 = time.perf_counter()
    per_day_checkins = args.checkins // days
    rest = args.checkins - per_day_checkins * days

    def checkins():
        for day in range(days):
            for _ in range(per_day_checkins + (1 if day < rest else 0)):
                node, point = rng.choice(checkpoints)
                at = clock.at(day, rng.randrange(86400) if day < days - 1 else rng.randrange(12 * 3600))
                flagged = rng.random() < 0.01
                yield f"{node}\t{point}\tqr\t{at}\t{at}\t{'flagged' if flagged else 'ok'}\n"

    copy(CheckIn, ["jurisdiction_id", "checkpoint_id", "method", "at", "received_at", "status"], checkins())
    print(f"  {CheckIn.objects.count():,} check-ins in {time.perf_counter() - t0:.0f} s")


def run(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from shouwang.briefings import dashboard, rollups, services
    from shouwang.briefings.document import briefing_docx
    from shouwang.briefings.period import Period

    call_command("migrate", verbosity=0)
    call_command("load_presets", verbosity=0)
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        version = c.fetchone()[0]
    now = timezone.now()
    today = timezone.localdate(now)
    clock = Clock(today - timedelta(days=args.days - 1), args.days)
    print(f"PostgreSQL {version}; {STREETS} streets x {COMMUNITIES} communities, {args.days} days ending {today}")
    t0 = time.perf_counter()
    _district, streets, communities, checkpoints = seed_tree()
    generate(args, communities, checkpoints, clock)
    print(f"generated in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    done = rollups.refresh()
    print(f"rollups, first run: {done.rows:,} daily counts for {done.rolled_up[0]}..{done.rolled_up[1]} in "
          f"{time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    again = rollups.refresh()
    print(f"rollups, next run (nothing changed): {again.rows} rows rewritten in {time.perf_counter() - t0:.2f} s")

    street = streets[3]
    r = args.repeat

    def count():
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM patrols_checkin")
            return c.fetchone()[0]

    def trend_90():
        return Period(street, today - timedelta(days=89), today, as_of=now).per_day(*dashboard.PREFIXES)

    count()  # warm the cache as the others are
    dashboard.build(street, 7)
    base, base_best, total = timed(count, r)
    dash7, dash7_best, board = timed(lambda: dashboard.build(street, 7), r)
    trend, trend_best, series = timed(trend_90, r)
    dash90, dash90_best, _b = timed(lambda: dashboard.build(street, 90), r)
    print(f"\n{'measure':<12}{'median ms':>11}{'best ms':>10}{'x count':>9}   bound")
    print(f"{'count':<12}{base * 1000:>11.1f}{base_best * 1000:>10.1f}{1:>9.2f}   ({total:,} check-ins)")
    print(f"{'dash 7':<12}{dash7 * 1000:>11.1f}{dash7_best * 1000:>10.1f}{dash7 / base:>9.2f}   <= 3 "
          f"{'ok' if dash7 / base <= 3 else 'OVER'}")
    print(f"{'trend 90':<12}{trend * 1000:>11.1f}{trend_best * 1000:>10.1f}{trend / base:>9.2f}   <= 1 "
          f"{'ok' if trend / base <= 1 else 'OVER'}")
    print(f"{'dash 90':<12}{dash90 * 1000:>11.1f}{dash90_best * 1000:>10.1f}{dash90 / base:>9.2f}")
    assert len(board.children) == COMMUNITIES and sum(sum(v) for v in series.values()) > 0

    t0 = time.perf_counter()
    briefing = services.generate_briefing(node=street, days=7, end=today - timedelta(days=1))
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    document = briefing_docx(briefing)
    drawn = time.perf_counter() - t0
    charts = sum(len(s["charts"]) for s in briefing.sections)
    print(f"{'briefing 7':<12}{(made + drawn) * 1000:>11.1f}{'':>10}{'':>9}   < 10 s "
          f"{'ok' if made + drawn < 10 else 'OVER'} (figures {made:.2f} s, Word with {charts} charts {drawn:.2f} s, "
          f"{len(document) // 1024} KB)")
    print("  " + " ".join(briefing.sections[1]["text"][:1]))

    with CaptureQueriesContext(connection) as queries:
        dashboard.build(street, 7)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    print(f"\nthe 7-day dashboard: {len(queries.captured_queries)} queries; the heaviest ({float(slowest['time']) * 1000:.1f} ms):")
    print(slowest["sql"][:1500])
    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        print("\n".join(row[0] for row in c.fetchall()))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkins", type=int, default=10_000_000)
    parser.add_argument("--obligations", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["SHOUWANG_VAR"] = tempfile.mkdtemp(prefix="shouwang-bench-dashboard-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    os.environ["MEDIA_ROOT"] = os.environ["SHOUWANG_VAR"]
    with postgres(durable=False) as url:
        os.environ["DATABASE_URL"] = url
        run(args)


if __name__ == "__main__":
    main()
