"""The product's own processes, started as users start them: for tests and benchmarks.

`Process` runs a `shouwang` command in its own session with its output in a log file;
`served()` starts `shouwang serve` (or `demo`) on a free loopback port and waits for
/healthz. Nothing here imports Django: the processes configure themselves from `env`.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from .servers import free_port

SHOUWANG = str(Path(sys.executable).parent / "shouwang")


def product_env(var_dir, database_url=None, **extra):
    """The environment of a product process: its own var/, SQLite there unless `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOUWANG_", "DATABASE_URL", "REDIS_URL"))}
    env["SHOUWANG_VAR"] = str(var_dir)
    env["SHOUWANG_SECRET_KEY"] = secrets.token_urlsafe(50)  # `serve` refuses to start without one
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(args, env, timeout=300):
    """Run `shouwang ARGS` to completion; raise with its output if it fails."""
    done = subprocess.run([SHOUWANG, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"shouwang {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Process:
    """A long-running `shouwang` process (serve, demo, worker) in its own process group."""

    def __init__(self, args, env, log_path):
        self.args = args
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen([SHOUWANG, *args], env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=15.0):
        """Send `sig` to the process (the master, which stops its workers); the exit code."""
        if self.alive():
            self.popen.send_signal(sig)
        try:
            return self.popen.wait(timeout=timeout)
        finally:
            if self.alive():  # it did not stop in time: take the whole group down
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
            self._log.close()


def wait_healthy(base_url, process=None, timeout=180.0):
    """Poll /healthz until it answers 200; raise with the process log if it never does."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise RuntimeError(f"the server exited with {process.popen.returncode}:\n{process.log()[-4000:]}")
        try:
            response = requests.get(base_url + "/healthz", timeout=5)
            if response.status_code == 200:
                return response.json()
            last = response.text
        except requests.RequestException as exc:
            last = repr(exc)
        time.sleep(0.25)  # polling another process's start-up
    raise RuntimeError(f"/healthz did not answer 200 within {timeout} s (last: {last})\n"
                       + (process.log()[-4000:] if process else ""))


@contextmanager
def served(env, command="serve", log_path=None):
    """Start `shouwang serve` (or `demo`) on a free port; yield (base_url, process); stop it."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    log_path = log_path or Path(env["SHOUWANG_VAR"]) / f"{command}.log"
    Path(env["SHOUWANG_VAR"]).mkdir(parents=True, exist_ok=True)
    process = Process([command], env, log_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base, process
    finally:
        process.stop()
