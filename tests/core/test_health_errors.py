"""/healthz tells the truth about the scheduler; every API error answers JSON with a request id."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path
from django.utils import timezone

from shouwang.celery import JobTask, app
from shouwang.core import scheduler
from shouwang.core.models import JobHeartbeat
from shouwang.urls import urlpatterns as real_urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise ValueError("a bug")


def _db_away(request):
    raise OperationalError("database is locked")


urlpatterns = [path("api/boom/", _boom), path("api/db-away/", _db_away), path("page/db-away/", _db_away), *real_urls]
handler500 = "shouwang.core.views.system.server_error"


@pytest.fixture
def embedded(monkeypatch):
    monkeypatch.setenv("SHOUWANG_SCHEDULER", "embedded")


def _beat(name, started, finished=None, failures=0):
    JobHeartbeat.objects.create(name=scheduler.JOBS[name].task_name, started_at=started, finished_at=finished,
                                failures=failures)


def _all_ran(now, except_=()):
    for name in scheduler.JOBS:
        if name not in except_:
            _beat(name, now - timedelta(seconds=5), now - timedelta(seconds=4))


def test_healthz_reports_each_job_and_a_late_one_is_503(client, embedded):
    now = timezone.now()
    _all_ran(now, except_=("sweep",))
    _beat("sweep", now - timedelta(minutes=5), now - timedelta(minutes=5))  # every 30 s: late after 2 min
    response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"]
    data = response.json()
    assert data["database"] == "ok" and data["scheduler"]["jobs"]["sweep"]["status"] == "late"
    assert data["scheduler"]["jobs"]["open_daily_reports"]["status"] == "ok"
    assert data["scheduler"]["last_run"].endswith("+08:00")
    JobHeartbeat.objects.filter(name=scheduler.JOBS["sweep"].task_name).update(
        started_at=now - timedelta(seconds=10), finished_at=now - timedelta(seconds=9))
    assert client.get("/healthz").status_code == 200


def test_a_stuck_or_failing_job_is_503(client, embedded):
    now = timezone.now()
    _all_ran(now, except_=("sweep",))
    _beat("sweep", now - timedelta(minutes=11), now - timedelta(minutes=12))  # started, never finished
    assert client.get("/healthz").json()["scheduler"]["jobs"]["sweep"]["status"] == "stuck"
    JobHeartbeat.objects.filter(name=scheduler.JOBS["sweep"].task_name).update(
        started_at=now - timedelta(seconds=3), finished_at=now - timedelta(seconds=2), failures=3)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["scheduler"]["jobs"]["sweep"]["status"] == "failing"


def test_a_fresh_start_is_not_late_but_a_scheduler_that_never_ran_is(client, embedded, monkeypatch):
    monkeypatch.setenv("SHOUWANG_STARTED_AT", str(timezone.now().timestamp() - 10))
    assert client.get("/healthz").status_code == 200
    monkeypatch.setenv("SHOUWANG_STARTED_AT", str(timezone.now().timestamp() - 3 * 3600))
    data = client.get("/healthz").json()
    assert data["status"] == "error" and {j["status"] for j in data["scheduler"]["jobs"].values()} == {"late"}


def test_without_a_scheduler_nothing_is_expected(client, monkeypatch):
    monkeypatch.delenv("SHOUWANG_SCHEDULER", raising=False)
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["scheduler"]["mode"] == "off"


def test_every_run_leaves_a_heartbeat_even_a_failing_one():
    scheduler.run_job("sweep")
    beat = JobHeartbeat.objects.get(name="shouwang.obligations.tasks.sweep")
    assert beat.runs == 1 and beat.failures == 0 and beat.finished_at >= beat.started_at

    @app.task(name="shouwang.tests.failing_job")
    def failing():
        raise RuntimeError("boom")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            failing()
    assert JobHeartbeat.objects.get(name="shouwang.tests.failing_job").failures == 2


def test_every_scheduled_job_is_a_registered_celery_job_task():
    assert {"sweep", "open_daily_reports", "open_patrol_windows", "registers.rate_today"} <= set(scheduler.JOBS)
    for name, job in scheduler.JOBS.items():
        assert isinstance(job.task, JobTask), name
        assert isinstance(app.tasks[job.task_name], JobTask), name  # registered under its name
        assert job.task_name.startswith("shouwang.") and ".tasks." in job.task_name
        assert app.conf.beat_schedule[name] == {"task": job.task_name, "schedule": job.interval}


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_api_errors_are_json_with_a_request_id(client, org):
    client.raise_request_exception = False
    response = client.get("/api/boom/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["request_id"] == response["X-Request-ID"] and response.json()["detail"]
    response = client.get("/api/db-away/")
    assert response.status_code == 503 and response["Retry-After"] == "5" and response.json()["detail"]
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404 and response.json()["request_id"]
    response = client.get("/page/db-away/")  # a page, not the API: an HTML page that says so
    assert response.status_code == 503 and "暂时无法服务" in response.content.decode()


def test_drf_errors_carry_the_request_id(api, org):
    response = api().get("/api/units/")
    assert response.status_code in (401, 403) and response.json()["request_id"] == response["X-Request-ID"]
    response = api(org.user("grid1")).get("/api/units/999999/")
    assert response.status_code == 404 and response.json()["request_id"]
