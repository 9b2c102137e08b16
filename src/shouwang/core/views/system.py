from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from shouwang import __version__

from ..models import Jurisdiction
from .tree import _visible_roots


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception as exc:  # report, never raise: this is what monitoring reads
        db = f"error: {exc.__class__.__name__}"
    status = 200 if db == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": db, "vendor": connection.vendor, "version": __version__},
        status=status,
    )


@login_required
def home(request):
    roots = list(Jurisdiction.objects.filter(pk__in=[n.pk for n in _visible_roots(request.user)]))
    return render(request, "core/home.html", {"roots": roots})
