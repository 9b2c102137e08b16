"""The `shouwang` command: demo, serve, worker, and every Django management command."""

import os
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()


def _ensure_dirs():
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


def _demo_secret_key():
    """The demo's own random key, made once under var/ (before Django reads its settings)."""
    import secrets
    from pathlib import Path

    var = Path(os.environ.get("SHOUWANG_VAR", Path(os.environ.get("SHOUWANG_HOME", Path.cwd())) / "var"))
    path = var / "secret_key"
    if not os.environ.get("SHOUWANG_SECRET_KEY") and not path.is_file():
        var.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)


def _refuse_without_key():
    if not os.environ.get("SHOUWANG_SECRET_KEY"):
        sys.stderr.write("shouwang serve: set SHOUWANG_SECRET_KEY to a long random value first "
                         "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))').\n"
                         "Without it sessions and tokens could be forged. `shouwang demo` makes its own.\n")
        sys.exit(2)


def serve(port=None, workers=None):
    """Serve with gunicorn. Without Redis, one elected worker runs the periodic jobs.

    Nothing in gunicorn's master touches the database once it starts forking: every
    connection is closed first, and the scheduler thread starts in the workers after the
    fork, so no worker inherits an SQLite connection or lock (see docs/deploy.md).
    """
    from django.conf import settings
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from shouwang.core.scheduler import SchedulerThread

    port = int(port or os.environ.get("PORT", "8000"))
    host = os.environ.get("SHOUWANG_BIND", "127.0.0.1")
    embedded = not settings.REDIS_URL
    # What /healthz expects to see running, and since when (inherited by the workers).
    os.environ["SHOUWANG_SCHEDULER"] = "embedded" if embedded else "celery"
    os.environ["SHOUWANG_STARTED_AT"] = str(time.time())
    lock_path = str(settings.VAR_DIR / "scheduler.lock")
    control_socket = str(settings.VAR_DIR / "gunicorn.ctl")
    connections.close_all()

    def pre_fork(server, worker):
        connections.close_all()

    def post_worker_init(worker):
        if embedded:
            worker.shouwang_scheduler = SchedulerThread(lock_path=lock_path)
            worker.shouwang_scheduler.start()

    def worker_exit(server, worker):
        scheduler = getattr(worker, "shouwang_scheduler", None)
        if scheduler is not None:
            scheduler.stop()

    class Application(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            # Two processes of four threads: SQLite takes one writer at a time (IMMEDIATE
            # transactions queue on its busy timeout), the second process keeps pages served
            # while one is busy writing; PostgreSQL deployments raise WEB_CONCURRENCY.
            self.cfg.set("workers", int(workers or os.environ.get("WEB_CONCURRENCY", "2")))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", int(os.environ.get("SHOUWANG_THREADS", "4")))
            self.cfg.set("graceful_timeout", 5)
            # An idle connection is kept longer than gunicorn's 2 s: a client that paused a little
            # longer sent its next request into a socket the server was closing, and a POST is
            # not retried by the client (seen as a dropped write under load).
            self.cfg.set("keepalive", 30)
            self.cfg.set("accesslog", os.environ.get("SHOUWANG_ACCESS_LOG") or None)
            if len(control_socket.encode()) < 100:  # the limit of a Unix socket's path
                self.cfg.set("control_socket", control_socket)
            else:
                self.cfg.set("control_socket_disable", True)
            self.cfg.set("pre_fork", pre_fork)
            self.cfg.set("post_worker_init", post_worker_init)
            self.cfg.set("worker_exit", worker_exit)

        def load(self):
            from shouwang.wsgi import application

            return application

    print(f"Shouwang on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    Application().run()


def demo(port=None):
    from django.core.management import call_command
    from django.db import connections

    from shouwang.core.demo import DEMO_PASSWORD, DEMO_USERS

    _ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    connections.close_all()  # the master serves nothing itself: no connection to inherit
    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    print("  admin       superuser")
    for username, role, code, display in DEMO_USERS:
        print(f"  {username:<11} {role.label} @ {code} ({display})")
    print()
    serve(port)


def worker():
    """A Celery worker with the beat scheduler, on REDIS_URL."""
    from shouwang.celery import app

    app.worker_main(["worker", "--beat", "--loglevel=INFO", "--concurrency=2"])


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "solve-roster":  # plain data in and out: no settings, no database
        from shouwang.duty.command import run

        sys.exit(run(argv[1:]))
    if command == "demo":
        _demo_secret_key()
    elif command == "serve":
        _refuse_without_key()
    _setup()
    if command == "demo":
        demo(_port(argv))
    elif command == "serve":
        _ensure_dirs()
        serve(_port(argv))
    elif command == "worker":
        worker()
    else:
        from django.core.management import execute_from_command_line

        from shouwang.core.changelog import change_context
        from shouwang.core.choices import ChangeSource

        _ensure_dirs()
        with change_context(source=ChangeSource.COMMAND):
            execute_from_command_line(["shouwang", *argv])


def _port(argv):
    for i, arg in enumerate(argv):
        if arg.startswith("--port="):
            return arg.split("=", 1)[1]
        if arg == "--port" and i + 1 < len(argv):
            return argv[i + 1]
    return None


if __name__ == "__main__":
    main()
