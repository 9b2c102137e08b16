"""Celery app: workers on Redis when REDIS_URL is set; tasks run in-process otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwang.settings")
app = Celery("shouwang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
