"""The home page per role on the demo data (embedded SQLite), as ratios to the login page.

    .venv/bin/python bench/home.py [--repeat 20]

Makes a throwaway SQLite database under a temporary SHOUWANG_VAR, migrates and loads the
demo (one street, six communities), then renders through Django's test client, in the same
process and against the same database:
  baseline  GET /login/ (the whole middleware stack, a template, no data);
  home      GET / logged in as each demo role (tiles, counts, charts' data).
Prints the median and best times, the queries per page and the ratio to the baseline. The
issue's target is a home page under 300 ms for a street of six communities; the query
counts are guarded in tests (tests/core/test_home.py). Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def measure(client, path, repeat):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    reset_queries()  # a bounded deque, full after loading the demo
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries)  # now: captured_queries is read from the log, which later requests clear
    assert response.status_code == 200, (path, response.status_code)
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), count


def main(repeat):
    os.environ["SHOUWANG_VAR"] = tempfile.mkdtemp(prefix="shouwang-bench-home-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from shouwang.core.demo import DEMO_USERS

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    anonymous = Client()
    base_median, base_best, base_queries = measure(anonymous, "/login/", repeat)
    print(f"database: {settings.DATABASES['default']['ENGINE']} (demo data), {repeat} runs each")
    print(f"{'page':<22}{'median ms':>10}{'best ms':>10}{'queries':>9}{'x login':>9}")
    print(f"{'login (baseline)':<22}{base_median * 1000:>10.1f}{base_best * 1000:>10.1f}{base_queries:>9}{1:>9.1f}")
    from django.contrib.auth import get_user_model

    for username, *_ in DEMO_USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))  # django-axes needs a request to log in
        median, best, queries = measure(client, "/", repeat)
        print(f"{'home as ' + username:<22}{median * 1000:>10.1f}{best * 1000:>10.1f}{queries:>9}"
              f"{median / base_median:>9.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    main(parser.parse_args().repeat)
