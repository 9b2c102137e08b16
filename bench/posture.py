"""Switching a street to the enhanced posture: the 30 days of required against rostered recomputed
(and the shortfalls told), against the issue's limit of 60 s, with ratios to a baseline.

    .venv/bin/python bench/posture.py [--patrol 200] [--volunteers 300] [--police 80] [--property 60]

Makes a throwaway SQLite database under a temporary SHOUWANG_VAR, migrates and loads the demo
(one street, six communities, preset C), then adds a large street's forces: a full-time patrol
team on three shifts published for 31 days (a third of it on each shift), volunteers on day patrol
in every community, police and property guards with four weeks of past duty (the auxiliary
forces' daily average). Then, in the same process and database:
  baseline  one query reading every assignment of the month (the rows the panel must see);
  switch    services.set_posture(enhanced, 3 days): the posture saved, 30 days recomputed for the
            street, the office and leaders told of the shifts that lack people;
  panel     queries.staffing_panel(street, 30 days) as the panel page reads it.
Prints seconds, queries and the ratio to the baseline. Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def timed(fn, repeat=3):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fn()
    count = len(queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def build(sizes):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shouwang.core.choices import PersonKind, TeamKind
    from shouwang.core.models import Jurisdiction, Person, Team
    from shouwang.duty import layouts, services
    from shouwang.duty.choices import Layout, Post

    office = get_user_model().objects.get(username="office")
    street = Jurisdiction.objects.get(code="QL-WC")
    communities = list(Jurisdiction.objects.filter(path__startswith=street.path, depth=street.depth + 1))
    today = timezone.localdate()

    def force(node, name, kind, n):
        people = Person.objects.bulk_create([Person(jurisdiction=node, name=f"{name}{i:03d}", kind=PersonKind.STAFF)
                                             for i in range(n)])
        team = Team.objects.create(jurisdiction=node, name=name, kind=kind)
        team.members.set(people)
        return team, people

    def roster(node, team, people, layout, per_shift, start, days, pick):
        shifts, demand = layouts.build(layout, post=Post.PATROL, per_shift=per_shift)
        r = services.create_roster(node=node, name=f"{team.name}值班", starts_on=start, days=days, shifts=shifts,
                                   demand=demand, rules={"max_shifts_per_7_days": 7, "min_rest_hours": 0}, team=team,
                                   members=people, user=office)
        dates = [start + timedelta(days=d) for d in range(days)]
        rows = [(p, day, s["id"], Post.PATROL) for d, day in enumerate(dates) for k, s in enumerate(shifts)
                for p in pick(d, k)]
        services.replace_days(r, days=dates, columns={(s["id"], Post.PATROL) for s in shifts}, rows=rows, user=office)
        services.publish(r, user=office)

    n = sizes["patrol"]
    team, people = force(street, "大街道专职巡防队", TeamKind.FULL_TIME, n)
    third = n // 3
    roster(street, team, people, Layout.THREE_SHIFTS, third, today, 31,
           lambda d, k: people[((k + d) % 3) * third:((k + d) % 3 + 1) * third])
    per = sizes["volunteers"] // len(communities)
    for c in communities:
        team, people = force(c, f"{c.name}志愿者", TeamKind.VOLUNTEERS, per)
        day_share = max(1, round(per * 0.3))
        roster(c, team, people, Layout.OFFICE_DAY, day_share, today, 31,
               lambda d, k, people=people, day_share=day_share: [people[(d * day_share + i) % len(people)]
                                                                  for i in range(day_share)])
    for name, kind, size in (("派出所警力", TeamKind.POLICE, sizes["police"]),
                             ("物业保安", TeamKind.PROPERTY, sizes["property"])):
        team, people = force(street, name, kind, size)
        half = size // 2
        roster(street, team, people, Layout.OFFICE_DAY, half, today - timedelta(days=28), 28,
               lambda d, k, people=people, half=half: people[(d % 2) * half:(d % 2 + 1) * half])


def main(sizes):
    os.environ["SHOUWANG_VAR"] = tempfile.mkdtemp(prefix="shouwang-bench-posture-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from shouwang.core.models import Jurisdiction
    from shouwang.duty import queries, services
    from shouwang.duty.models import Assignment

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from shouwang.duty.models import Posture

    Posture.objects.all().delete()  # the street at its normal level: the rosters below are made for it
    started = time.perf_counter()
    build(sizes)
    street = Jurisdiction.objects.get(code="QL-WC")
    leader = get_user_model().objects.get(username="leader")
    rows = Assignment.objects.count()
    print(f"database: {settings.DATABASES['default']['ENGINE']}; forces built in {time.perf_counter() - started:.0f} s: "
          f"{sizes}, {rows} assignments")
    today = timezone.localdate()
    base, base_q = timed(lambda: list(Assignment.objects.filter(day__gte=today).values_list("roster", "day", "shift",
                                                                                             "person")))
    now = timezone.localtime()

    def switch():
        services.set_posture(node=street, level="enhanced", starts_at=now, ends_at=now + timedelta(days=3),
                             reason="压力测试", user=leader)

    switched, switch_q = timed(switch, repeat=3)
    panel, panel_q = timed(lambda: queries.staffing_panel(street, today, 30))
    short = sum(1 for d in queries.staffing_panel(street, today, 30) if d.short)
    print(f"{'what':<40}{'seconds':>9}{'queries':>9}{'x baseline':>12}")
    print(f"{'baseline: read the month of assignments':<40}{base:>9.3f}{base_q:>9}{1:>12.1f}")
    print(f"{'switch the street to enhanced (30 days)':<40}{switched:>9.3f}{switch_q:>9}{switched / base:>12.1f}")
    print(f"{'posture panel, 30 days':<40}{panel:>9.3f}{panel_q:>9}{panel / base:>12.1f}")
    print(f"days with a shortfall: {short}; limit for the switch: 60 s ({'met' if switched < 60 else 'NOT met'})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patrol", type=int, default=200)
    parser.add_argument("--volunteers", type=int, default=300)
    parser.add_argument("--police", type=int, default=80)
    parser.add_argument("--property", type=int, default=60)
    args = parser.parse_args()
    main({"patrol": args.patrol, "volunteers": args.volunteers, "police": args.police, "property": args.property})
