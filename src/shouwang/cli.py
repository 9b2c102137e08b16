"""The `shouwang` command: demo, serve, worker, and every Django management command."""

import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
    import django

    django.setup()


def _ensure_dirs():
    from django.conf import settings

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)


def serve(port=None, workers=None):
    """Serve with gunicorn; without Redis, run the periodic jobs in a thread of this process."""
    from django.conf import settings
    from gunicorn.app.base import BaseApplication

    from shouwang.core.scheduler import SchedulerThread

    port = int(port or os.environ.get("PORT", "8000"))
    host = os.environ.get("SHOUWANG_BIND", "127.0.0.1")
    scheduler = None if settings.REDIS_URL else SchedulerThread()

    class Application(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", int(workers or os.environ.get("WEB_CONCURRENCY", "2")))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", os.environ.get("SHOUWANG_ACCESS_LOG") or None)
            if scheduler is not None:
                self.cfg.set("when_ready", lambda arbiter: scheduler.start())

        def load(self):
            from shouwang.wsgi import application

            return application

    print(f"Shouwang on http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    Application().run()


def demo(port=None):
    from django.core.management import call_command

    from shouwang.core.demo import DEMO_PASSWORD, DEMO_USERS

    _ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
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
    _setup()
    command = argv[0] if argv else "help"
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
