import contextlib
import os
import sqlite3
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shouwang import __version__

from .. import scheduler
from ..api.errors import api_error_response, is_api
from ..home import stylesheets, tiles_for


@never_cache
def healthz(request):
    """What monitoring reads: can the database take a write now, and do the periodic jobs run?

    503 when either is stuck; the body says which. Never raises.
    """
    db = _database_check()
    started = os.environ.get("SHOUWANG_STARTED_AT")
    try:
        jobs, jobs_ok = scheduler.health(
            started_at=datetime.fromtimestamp(float(started), tz=UTC) if started else None
        )
    except Exception as exc:  # the heartbeat table unreadable: the database check says why
        jobs, jobs_ok = {"status": f"error: {exc.__class__.__name__}"}, False
    healthy = db == "ok" and jobs_ok
    response = JsonResponse(
        {"status": "ok" if healthy else "error", "database": db, "scheduler": jobs,
         "vendor": connection.vendor, "version": __version__},
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = "5"
    return response


def _database_check():
    """A write-capable check with a short timeout, rolled back: reads alone pass on a wedged file."""
    try:
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            # Its own connection with a 2 s busy timeout, so a held write lock shows as stuck.
            path = settings.DATABASES["default"]["NAME"]
            with contextlib.closing(sqlite3.connect(path, timeout=2, isolation_level=None)) as db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("ROLLBACK")
        elif connection.vendor == "sqlite":  # the test suite's in-memory database
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 2000")
                cursor.execute("SELECT txid_current()")  # fails on a read-only server
        return "ok"
    except Exception as exc:  # report, never raise
        return f"error: {exc.__class__.__name__}"


def server_error(request):
    """handler500: a 503 with Retry-After while the database is away, a 500 otherwise;
    JSON under /api/, a page elsewhere. Django calls it inside the failed request's except."""
    unavailable = isinstance(sys.exc_info()[1], DatabaseError)
    status = 503 if unavailable else 500
    if is_api(request):
        response = api_error_response(request, status)
    else:
        response = HttpResponse(loader.get_template("500.html").render({"unavailable": unavailable}), status=status)
    if unavailable:
        response["Retry-After"] = "5"
    return response


@login_required
def home(request):
    """Today at a glance: the tiles each app offers this user's roles (core.home)."""
    now = timezone.now()
    tiles = tiles_for(request, now)
    return render(request, "core/home.html", {"tiles": tiles, "now": now, "stylesheets": stylesheets(tiles)})


def locked_out(request, original_response=None, credentials=None):
    """django-axes: too many wrong passwords. 429 with when to try again; JSON under /api/."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    text = _("Too many wrong passwords: logging in is locked for %(minutes)s minutes. "
             "The office can lift the lock earlier.") % {"minutes": minutes}
    if is_api(request):
        response = JsonResponse({"detail": text, "code": "locked_out", "request_id": str(getattr(request, "id", ""))},
                                status=429)
    else:
        response = render(request, "core/login.html", {"form": None, "locked_out": text}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
