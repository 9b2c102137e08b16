"""The whole suite: ruff, migrations check, then pytest on SQLite and on PostgreSQL.

PostgreSQL runs as a throwaway server started here (and stopped afterwards); the SQLite
and PostgreSQL runs go side by side, each on one core. Extra arguments go to pytest.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shouwang.testing.servers import postgres  # noqa: E402

BIN = Path(sys.executable).parent


def run(cmd, env=None):
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def main(args):
    base_env = {**os.environ, "SHOUWANG_VAR": str(ROOT / "var" / "test")}
    base_env.pop("DATABASE_URL", None)
    base_env.pop("REDIS_URL", None)
    run([str(BIN / "ruff"), "check", "src", "tests", "bench", "scripts"])
    run([str(BIN / "python"), "manage.py", "makemigrations", "--check", "--dry-run"], env=base_env)
    # The two databases run side by side, so one xdist worker each keeps both cores busy.
    workers = os.environ.get("SHOUWANG_TEST_WORKERS", "1")
    pytest = [str(BIN / "python"), "-m", "pytest", "-n", workers, "-q", *args]
    with postgres() as url:
        sqlite = subprocess.Popen([*pytest], cwd=ROOT, env={**base_env, "SHOUWANG_TEST_DB": "sqlite"},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        pg_env = {**base_env, "DATABASE_URL": url, "SHOUWANG_TEST_DB": "postgresql"}
        pg = subprocess.run([*pytest], cwd=ROOT, env=pg_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sqlite_out, _ = sqlite.communicate()
    print("=" * 30, "SQLite", "=" * 30)
    print(sqlite_out)
    print("=" * 30, "PostgreSQL", "=" * 30)
    print(pg.stdout)
    failed = [name for name, code in (("SQLite", sqlite.returncode), ("PostgreSQL", pg.returncode)) if code != 0]
    if failed:
        print("FAILED on:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
