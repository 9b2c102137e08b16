"""Daily report pages (submit form, detail, the office's table) and the API."""

import re
import uuid

import time_machine
from django.urls import reverse

from shouwang.briefings import queries, services
from shouwang.briefings.models import DailyReport
from shouwang.core.models import ChangeLogEntry
from shouwang.obligations.models import Obligation

from .conftest import DAY, at, report_fields


def _form(node, slot="morning", **kw):
    data = {"jurisdiction": node.pk, "date": DAY.isoformat(), "slot": slot, "client_uuid": str(uuid.uuid4()),
            **report_fields()}
    data.update(kw)
    return data


def test_form_preselects_community_and_slot_by_time_of_day(login, org, reporting):
    client = login(org.user("grid1"))
    with time_machine.travel(at(16), tick=False):
        response = client.get(reverse("briefings:dailyreport_create"))
        form = response.context["form"]
    assert 'value="2026-11-23"' in response.content.decode()  # ISO, as <input type="date"> needs
    assert form.initial["jurisdiction"] == org.c1.pk and form.initial["slot"] == "evening"
    assert form.initial["date"] == DAY and form.initial["client_uuid"]
    assert list(form.fields["jurisdiction"].queryset) == [org.c1]  # not the grid, not C2
    with time_machine.travel(at(7), tick=False):
        form = client.get(reverse("briefings:dailyreport_create")).context["form"]
    assert form.initial["slot"] == "morning"
    office = login(org.user("office")).get(reverse("briefings:dailyreport_create")).context["form"]
    assert set(office.fields["jurisdiction"].queryset) == {org.c1, org.c2} and "jurisdiction" not in office.initial


def test_submit_page_writes_meets_logs_and_a_resend_is_one_report(login, org, reporting):
    client = login(org.user("grid1"))
    data = _form(org.c1)
    with time_machine.travel(at(8), tick=False):
        response = client.post(reverse("briefings:dailyreport_create"), data)
        assert response.status_code == 302
        report = DailyReport.objects.get()
        assert response["Location"] == report.get_absolute_url()
        again = client.post(reverse("briefings:dailyreport_create"), data)
        assert again.status_code == 302 and again["Location"] == report.get_absolute_url()
    assert DailyReport.objects.count() == 1
    assert Obligation.objects.get(key=queries.daily_key(org.c1, DAY, "morning")).met_at == at(8)
    row = ChangeLogEntry.objects.get(object_id=str(report.pk), content_type__model="dailyreport")
    assert row.user == org.user("grid1") and row.source == "web"
    with time_machine.travel(at(9), tick=False):
        page = client.get(report.get_absolute_url()).content.decode()
    assert "辖区平稳" in page and 'data-state="on_time"' in page


def test_submit_page_shows_reasons_and_writes_nothing(login, org, reporting):
    client = login(org.user("grid1"))
    with time_machine.travel(at(8), tick=False):
        bad = client.post(reverse("briefings:dailyreport_create"), _form(org.c1, police_on_duty=-2))
        assert bad.status_code == 200 and "police_on_duty" in bad.context["form"].errors
        early = client.post(reverse("briefings:dailyreport_create"), _form(org.c1, slot="evening"))
        assert early.status_code == 200 and "slot" in early.context["form"].errors
        other = client.post(reverse("briefings:dailyreport_create"), _form(org.c2))
        assert other.status_code == 200 and "jurisdiction" in other.context["form"].errors
        client.post(reverse("briefings:dailyreport_create"), _form(org.c1))
        twice = client.post(reverse("briefings:dailyreport_create"), _form(org.c1))
        assert twice.status_code == 200 and twice.context["form"].errors
    assert DailyReport.objects.count() == 1
    assert login(org.user("patrol1")).get(reverse("briefings:dailyreport_create")).status_code == 403


def test_office_table_shows_who_reported(login, org, reporting, django_assert_max_num_queries):
    with time_machine.travel(at(5), tick=False):
        services.open_upcoming_daily_obligations()  # what the periodic job does
    with time_machine.travel(at(8), tick=False):
        services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning", **report_fields())
    client = login(org.user("office"))
    with time_machine.travel(at(9, 30), tick=False):
        with django_assert_max_num_queries(25):
            response = client.get(reverse("briefings:dailyreport_table"), {"date": DAY.isoformat()})
        page = response.content.decode()
        partial = client.get(reverse("briefings:dailyreport_table"), {"date": DAY.isoformat()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    cells = dict(re.findall(r'<tr data-node="(\w+)">.*?data-slot="morning" data-state="(\w+)"', page, re.S))
    assert cells == {"C1": "on_time", "C2": "missing"}
    assert page.count('data-state="not_yet_due"') == 2
    assert 'data-count="on_time"' in page and 'hx-trigger="every 60s"' in page
    assert b"<html" not in partial.content and b'data-node="C2"' in partial.content
    # A community worker sees only their own row; another day has its own cells.
    mine = login(org.user("grid2")).get(reverse("briefings:dailyreport_table"), {"date": DAY.isoformat()}).content.decode()
    assert 'data-node="C2"' in mine and 'data-node="C1"' not in mine
    assert login(org.user("grid1")).get(reverse("briefings:dailyreport_list")).status_code == 200


def test_api_create_idempotent_list_filters_and_errors(api, org, reporting):
    client = api(org.user("grid1"))
    key = str(uuid.uuid4())
    payload = {"jurisdiction": org.c1.pk, "date": DAY.isoformat(), "slot": "morning", "client_uuid": key, **report_fields()}
    with time_machine.travel(at(9, 10), tick=False):
        first = client.post("/api/daily-reports/", payload, format="json")
        second = client.post("/api/daily-reports/", payload, format="json")
        assert first.status_code == 201, first.json()
        assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
        assert first.json()["state"] == "late" and first.json()["submitted_by"] == org.user("grid1").pk
        negative = client.post("/api/daily-reports/", {**payload, "client_uuid": str(uuid.uuid4()), "slot": "evening",
                                                       "volunteers_on_duty": -1}, format="json")
        assert negative.status_code == 400 and "volunteers_on_duty" in negative.json()
        taken = client.post("/api/daily-reports/", {**payload, "client_uuid": str(uuid.uuid4())}, format="json")
        assert taken.status_code == 400 and "slot" in taken.json()
        outside = client.post("/api/daily-reports/", {**payload, "client_uuid": str(uuid.uuid4()), "jurisdiction": org.c2.pk},
                              format="json")
        assert outside.status_code == 400 and "jurisdiction" in outside.json()
        assert api(org.user("viewer")).post("/api/daily-reports/", payload, format="json").status_code == 403
        services.submit_report(jurisdiction=org.c2, date=DAY, slot="morning", **report_fields())
    assert DailyReport.objects.count() == 2
    office = api(org.user("office"))
    rows = office.get("/api/daily-reports/", {"node": org.c2.pk, "date": DAY.isoformat(), "slot": "morning"}).json()
    assert [r["jurisdiction"] for r in rows["results"]] == [org.c2.pk]
    assert office.get("/api/daily-reports/", {"slot": "evening"}).json()["count"] == 0
    assert api(org.user("grid1")).get("/api/daily-reports/").json()["count"] == 1  # scoped
    report_id = first.json()["id"]
    assert office.patch(f"/api/daily-reports/{report_id}/", {"situation": "改"}, format="json").status_code == 405
    assert office.delete(f"/api/daily-reports/{report_id}/").status_code == 405
