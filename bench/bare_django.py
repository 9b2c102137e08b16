"""A bare Django ORM insert view, the reference the check-in figures are read against.

No middleware, no auth, no validation: `POST /` parses a JSON body and inserts one row into
the benchmark's `bench_raw` table through the ORM (autocommit), answering with its id.
Served by gunicorn from `bench/checkins.py` (`bare_django:application`, DATABASE_URL set).
"""

import json
import os
import uuid

import dj_database_url
import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


class Raw(models.Model):
    client_uuid = models.UUIDField(unique=True)
    at = models.DateTimeField()
    note = models.TextField()

    class Meta:
        app_label = "bench"
        db_table = "bench_raw"
        managed = False

    def __str__(self):
        return str(self.client_uuid)


@csrf_exempt
def insert(request):
    body = json.loads(request.body or b"{}")
    row = Raw.objects.create(client_uuid=body.get("client_uuid") or uuid.uuid4(), at=timezone.now(), note="x")
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [path("", insert)]
application = get_wsgi_application()
