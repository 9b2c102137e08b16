"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, data in a temporary folder.

Used by the test runner, by tests that need Redis, and by the benchmarks. As root,
initdb runs as the `postgres` user (it refuses root). PostgreSQL runs with fsync,
synchronous_commit and full_page_writes off for tests; `postgres(durable=True)` keeps
PostgreSQL's durable defaults, as in production (the benchmarks use that).
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian package: postgresql)")


def _as_postgres(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres(durable=False):
    """Yield a DATABASE_URL for a fresh PostgreSQL server; stop and delete it afterwards.

    `durable=False` (tests): fsync, synchronous_commit and full_page_writes off, so a crash
    may lose data but commits cost no disk flush. `durable=True`: PostgreSQL's defaults
    (every commit flushed to disk), as a production server runs.
    """
    tmp = tempfile.mkdtemp(prefix="shouwang-pg-")
    data = os.path.join(tmp, "data")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres([_pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not durable:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        _as_postgres([_pg_bin("pg_ctl"), "-D", data, "-o", opts, "-l", os.path.join(tmp, "log"), "-w", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def redis():
    """Yield a redis:// URL for a fresh Redis server on a free port; stop it afterwards."""
    binary = shutil.which("redis-server")
    if not binary:
        raise RuntimeError("redis-server is not installed (Debian package: redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("Redis did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
