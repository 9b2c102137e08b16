"""Check-in throughput through the real API, as a ratio of raw PostgreSQL single-row inserts.

    .venv/bin/python bench/checkins.py [--clients 4] [--seconds 10] [--batch 100]

Starts a throwaway PostgreSQL configured as in production (durable defaults: fsync on,
synchronous_commit on, full_page_writes on; `--fast-db` for the test settings instead),
migrates and seeds it, runs the app under gunicorn (2 workers) on 127.0.0.1, then measures
in the same run, against the same server:
  raw     single-row autocommit INSERTs (pgbench, or a psycopg loop) at the same concurrency;
  bare    a bare Django ORM insert view (bench/bare_django.py, no middleware or auth) under
          gunicorn with 2 workers: what Django itself costs on this machine;
  single  POST /api/patrols/checkins/ (token auth, validation, tamper checks, window matching);
  batch   POST /api/patrols/sync/ with `--batch` check-ins per request (rows/s).
Prints the database configuration, the rates and the ratios. Not part of `make test`.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import free_port, postgres  # noqa: E402

BIN = Path(sys.executable).parent


def seed(clients):
    """A node, a route with one checkpoint, a window open all day, one patrol member per client."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from shouwang.core.choices import NodeLevel, PersonKind, Role
    from shouwang.core.models import Person, RoleAssignment, Team
    from shouwang.core.services import create_node
    from shouwang.patrols import services
    from shouwang.patrols.models import Checkpoint, Route, Schedule

    district = create_node(parent=None, code="B", name="基准区", level=NodeLevel.DISTRICT)
    node = create_node(parent=district, code="B-S", name="基准街道", level=NodeLevel.STREET)
    team = Team.objects.create(jurisdiction=node, name="基准巡防队", kind="full_time")
    route = Route.objects.create(jurisdiction=node, name="基准路线")
    point = Checkpoint.objects.create(route=route, name="基准点", lat=31.23, lon=121.47, radius_m=100, must_visit=True)
    Schedule.objects.create(jurisdiction=node, name="全天", team=team, route=route, windows=[{"start": "00:00", "end": "23:59"}])
    services.open_patrol_windows()
    tokens = []
    User = get_user_model()
    for i in range(clients):
        user = User.objects.create_user(username=f"bench{i}", password="x")
        RoleAssignment.objects.create(user=user, role=Role.PATROL_MEMBER, jurisdiction=node)
        person = Person.objects.create(jurisdiction=node, name=f"队员{i}", kind=PersonKind.PATROL, user=user)
        team.members.add(person)
        tokens.append(Token.objects.create(user=user).key)
    return tokens, services.make_token(point), (point.lat, point.lon)


def raw_rate(url, clients, seconds):
    """Single-row autocommit INSERTs per second at `clients` concurrency (pgbench if installed)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, client_uuid uuid UNIQUE, at timestamptz, note text)")
    pgbench = shutil.which("pgbench") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)
    if pgbench:
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write("INSERT INTO bench_raw (client_uuid, at, note) VALUES (gen_random_uuid(), now(), 'x');\n")
        out = subprocess.run([str(pgbench), "-n", "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(seconds),
                              "-f", f.name, url], capture_output=True, text=True, check=True).stdout
        os.unlink(f.name)
        return float(re.search(r"tps = ([\d.]+)", out).group(1)), "pgbench"
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def loop(i):
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < stop:
                conn.execute("INSERT INTO bench_raw (client_uuid, at, note) VALUES (%s, now(), 'x')", [uuid.uuid4()])
                counts[i] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds, "psycopg loop"


def drive(port, tokens, seconds, make_body, path, method="POST"):
    """Each client thread posts over its own keep-alive connection until time is up."""
    latencies, rows, errors = [], [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(token):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept-Language": "en"}
        mine, done = [], 0
        while time.monotonic() < stop:
            body, n = make_body()
            t0 = time.perf_counter()
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            mine.append(time.perf_counter() - t0)
            if response.status not in (200, 201):
                with lock:
                    errors[0] += 1
                    if errors[0] == 1:
                        print("error:", response.status, payload[:300])
            else:
                done += n
        with lock:
            latencies.extend(mine)
            rows[0] += done

    t0 = time.monotonic()
    threads = [threading.Thread(target=loop, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    return {"requests": len(latencies), "rows": rows[0], "errors": errors[0], "elapsed": elapsed,
            "p50_ms": statistics.median(latencies) * 1000, "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000}


def wait_for(port, path="/healthz", method="GET", timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request(method, path, body=b"{}" if method == "POST" else None)
            if conn.getresponse().status < 300:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@contextlib.contextmanager
def gunicorn(app, env, cwd, check_path="/healthz", check_method="GET"):
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--keep-alive", "30"], cwd=cwd, env=env,
    )
    try:
        wait_for(port, check_path, check_method)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


SETTINGS = ("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers")


def db_settings(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in SETTINGS}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--fast-db", action="store_true",
                        help="PostgreSQL with fsync, synchronous_commit and full_page_writes off (test settings)")
    args = parser.parse_args()
    with postgres(durable=not args.fast_db) as url, tempfile.TemporaryDirectory(prefix="shouwang-bench-") as var:
        config = db_settings(url)
        env = {**os.environ, "DATABASE_URL": url, "SHOUWANG_VAR": var, "SHOUWANG_CONN_MAX_AGE": "600",
               "DJANGO_SETTINGS_MODULE": "shouwang.settings", "PYTHONPATH": str(ROOT / "src")}
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SHOUWANG_VAR", "DJANGO_SETTINGS_MODULE")})
        subprocess.run([str(BIN / "python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        tokens, qr_token, (lat, lon) = seed(args.clients)
        from django.db import connections

        connections.close_all()

        raw, raw_how = raw_rate(url, args.clients, max(int(args.seconds), 1))

        def plain():
            return {"client_uuid": str(uuid.uuid4())}, 1

        bare_env = {**env, "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT / 'src'}"}
        with gunicorn("bare_django:application", bare_env, ROOT / "bench", "/", "POST") as port:
            drive(port, tokens, 1.5, plain, "/")  # warm-up
            bare = drive(port, tokens, args.seconds, plain, "/")

        def single():
            return {"client_uuid": str(uuid.uuid4()), "token": qr_token, "lat": lat, "lon": lon}, 1

        def batch():
            items = [{"type": "checkin", "client_uuid": str(uuid.uuid4()),
                      "data": {"token": qr_token, "lat": lat, "lon": lon}} for _ in range(args.batch)]
            return {"items": items}, args.batch

        with gunicorn("shouwang.wsgi:application", env, ROOT) as port:
            drive(port, tokens, 1.5, single, "/api/patrols/checkins/")  # warm-up
            health = drive(port, tokens, min(args.seconds, 3), lambda: (None, 1), "/healthz", method="GET")
            one = drive(port, tokens, args.seconds, single, "/api/patrols/checkins/")
            many = drive(port, tokens, args.seconds, batch, "/api/patrols/sync/")

    bare_rate = bare["rows"] / bare["elapsed"]
    single_rate = one["rows"] / one["elapsed"]
    batch_rate = many["rows"] / many["elapsed"]
    print(f"PostgreSQL {config['server_version']} ({'fast test settings' if args.fast_db else 'durable defaults, as in production'}): "
          + ", ".join(f"{k}={config[k]}" for k in SETTINGS[1:]))
    print(f"concurrency: {args.clients} clients, gunicorn 2 workers, {args.seconds:g} s per phase, {os.cpu_count()} CPUs")
    print(f"reference GET /healthz (one SELECT): {health['rows'] / health['elapsed']:,.0f} /s  p50 {health['p50_ms']:.1f} ms")
    print(f"raw PostgreSQL single-row INSERT ({raw_how}): {raw:,.0f} rows/s")
    print(f"reference bare Django ORM insert view: {bare_rate:,.0f} /s  p50 {bare['p50_ms']:.1f} ms  "
          f"p99 {bare['p99_ms']:.1f} ms  errors {bare['errors']}  -> ratio {bare_rate / raw:.3f}")
    print(f"single check-ins: {single_rate:,.0f} /s  p50 {one['p50_ms']:.1f} ms  p99 {one['p99_ms']:.1f} ms  "
          f"errors {one['errors']}  -> ratio {single_rate / raw:.3f} (aim >= 0.10, p99 <= 50 ms; "
          f"{single_rate / bare_rate:.2f} x bare Django)")
    print(f"batch sync ({args.batch}/request): {batch_rate:,.0f} rows/s  p50 {many['p50_ms']:.1f} ms  "
          f"p99 {many['p99_ms']:.1f} ms  errors {many['errors']}  -> ratio {batch_rate / raw:.2f} (aim >= 2)")


if __name__ == "__main__":
    main()
