"""Scope, rights and change log of every briefings record, pages and API: daily reports as evidence;
briefings, consultations, decisions and wall screens read in scope and written through their steps."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from shouwang.briefings import services
from shouwang.briefings.models import Briefing, Consultation, DailyReport, Decision, WallScreen
from shouwang.core.models import Unit
from tests.briefings.conftest import DAY, at, report_fields
from tests.crud import (
    ApiCreate,
    ApiDetail,
    ApiList,
    EvidenceContract,
    PageCreate,
    PageDetail,
    PageList,
    log_rows,
)


class TestDailyReportEvidence(EvidenceContract):
    model = DailyReport
    api_path = "/api/daily-reports/"

    @pytest.fixture
    def records(self, org, reporting):
        with time_machine.travel(at(8), tick=False):
            return {"mine": self.make(org, org.c1), "other": self.make(org, org.c2)}

    def make(self, org, node):
        report, _created = services.submit_report(jurisdiction=node, date=DAY, slot="morning", user=org.user("admin"),
                                                  **report_fields())
        return report


# --- briefings, consultations, decisions, wall screens ---------------------------------------

@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _yesterday():
    return timezone.localdate() - timedelta(days=1)


class TestBriefingPages(PageList, PageDetail):
    model = Briefing
    url_base = "briefings:briefing"

    def make(self, org, node):
        return services.generate_briefing(node=node, days=3, end=_yesterday(), user=org.user("admin"))

    def shown_as(self, obj):
        return obj.title

    def test_making_one_from_the_page_writes_and_logs_and_out_of_scope_is_refused(self, login, org):
        client = login(org.user("office1"))
        response = client.post("/briefings/briefings/new/", {"jurisdiction": org.c1.pk, "days": 1,
                                                              "end": _yesterday().isoformat()})
        made = Briefing.objects.get()
        assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
        assert log_rows(made, "create").get().source == "web"
        refused = client.post("/briefings/briefings/new/", {"jurisdiction": org.c2.pk, "days": 1,
                                                             "end": _yesterday().isoformat()})
        assert refused.status_code == 200 and refused.context["form"].errors and Briefing.objects.count() == 1
        assert login(org.user("viewer")).get("/briefings/briefings/new/").status_code == 403


class TestBriefingApi(ApiList, ApiDetail):
    model = Briefing
    api_path = "/api/briefings/"

    def make(self, org, node):
        return services.generate_briefing(node=node, days=1, end=_yesterday(), user=org.user("admin"))

    def test_made_reviewed_issued_and_downloaded_through_the_api(self, api, org, _media):
        client = api(org.user("office1"))
        bad = client.post(self.api_path, {"jurisdiction": org.c1.pk, "days": 2, "end": "2026-01-01"}, format="json")
        assert bad.status_code == 400 and "days" in bad.json()
        outside = client.post(self.api_path, {"jurisdiction": org.c2.pk, "days": 1, "end": _yesterday().isoformat()},
                              format="json")
        assert outside.status_code == 400 and "jurisdiction" in outside.json()
        made = client.post(self.api_path, {"jurisdiction": org.c1.pk, "days": 1, "end": _yesterday().isoformat()},
                           format="json")
        assert made.status_code == 201, made.json()
        pk = made.json()["id"]
        assert log_rows(Briefing.objects.get(pk=pk), "create").get().source == "api"
        assert client.post(f"{self.api_path}{pk}/issue/").status_code == 400  # not reviewed yet
        assert api(org.user("viewer")).post(f"{self.api_path}{pk}/review/").status_code == 403
        assert client.post(f"{self.api_path}{pk}/review/").status_code == 200
        issued = client.post(f"{self.api_path}{pk}/issue/").json()
        assert issued["state"] == "issued" and issued["number_text"].endswith("年第1期") and issued["document"]
        again = client.post(f"{self.api_path}{pk}/issue/")
        assert again.status_code == 400
        document = client.get(f"{self.api_path}{pk}/document/")
        assert document.status_code == 200 and b"".join(document.streaming_content)[:2] == b"PK"

    def test_never_written_but_through_its_steps(self, api, org, records):
        client = api(org.user("admin"))
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{records['mine'].pk}/", {}, format="json").status_code == 405


class TestConsultationPages(PageList, PageDetail, PageCreate):
    model = Consultation
    url_base = "briefings:consultation"

    def make(self, org, node):
        return services.record_consultation(node=node, date=timezone.localdate(), attendees="书记\n主任",
                                            items="昨日简报", chaired_by=f"{node.name}主持人", user=org.user("admin"))

    def shown_as(self, obj):
        return obj.chaired_by

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "date": timezone.localdate().isoformat(), "chaired_by": "主持人",
                "attendees": "书记\n主任", "items": "昨日简报", "analysis": ""}

    def test_editing_keeps_the_node_and_day_and_logs(self, login, org, records):
        obj = records["mine"]
        response = login(org.user("office1")).post(f"/briefings/consultations/{obj.pk}/edit/", {
            "chaired_by": "改过", "attendees": "甲", "items": "乙", "analysis": "丙", "jurisdiction": org.c2.pk})
        assert response.status_code == 302
        obj.refresh_from_db()
        assert (obj.chaired_by, obj.jurisdiction_id) == ("改过", org.c1.pk)
        assert log_rows(obj, "update").get().after["chaired_by"] == "改过"
        assert login(org.user("office1")).get(f"/briefings/consultations/{records['other'].pk}/edit/").status_code == 404

    def test_a_decision_added_and_done_from_the_page(self, login, org, records):
        client = login(org.user("office1"))
        obj = records["mine"]
        due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        refused = client.post(f"/briefings/consultations/{obj.pk}/decisions/", {"text": "", "due_at": due}, follow=True)
        assert Decision.objects.count() == 0 and "决定事项：" in refused.content.decode()  # the field, by its label
        refused = client.post(f"/briefings/consultations/{obj.pk}/decisions/",
                              {"text": "加派夜巡", "due_at": due, "responsible_unit": ""}, follow=True)
        assert Decision.objects.count() == 0 and "落实" in refused.content.decode()  # nobody named to carry it out
        unit = Unit.objects.create(jurisdiction=org.c1, name="一社区居委会", kind="residents_committee")
        response = client.post(f"/briefings/consultations/{obj.pk}/decisions/",
                               {"text": "加派夜巡", "due_at": due, "responsible_unit": unit.pk})
        decision = Decision.objects.get()
        assert response.status_code == 302 and decision.responsible_unit == unit
        assert client.post(f"/briefings/decisions/{decision.pk}/done/", {"done_note": "已加派"}).status_code == 302
        decision.refresh_from_db()
        assert decision.done_at and decision.done_note == "已加派"


class TestConsultationApi(ApiList, ApiDetail, ApiCreate):
    model = Consultation
    api_path = "/api/consultations/"
    edit_field = "attendees"

    def make(self, org, node):
        return TestConsultationPages().make(org, node)

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "attendees": "书记", "items": "昨日简报"}


class TestDecisionApi(ApiList, ApiDetail):
    model = Decision
    api_path = "/api/decisions/"

    def make(self, org, node):
        consultation = TestConsultationPages().make(org, node)
        unit = Unit.objects.create(jurisdiction=node, name=f"{node.name}居委会", kind="residents_committee")
        return services.add_decision(consultation, text="加派夜巡", due_at=timezone.now() + timedelta(hours=5),
                                     responsible_unit=unit, user=org.user("admin"))

    def test_done_through_the_api_once(self, api, org, records):
        client = api(org.user("office1"))
        assert client.post(f"{self.api_path}{records['other'].pk}/done/", {}, format="json").status_code == 404
        assert client.post(f"{self.api_path}{records['mine'].pk}/done/", {"done_note": "好"}, format="json").status_code == 200
        assert client.post(f"{self.api_path}{records['mine'].pk}/done/", {}, format="json").status_code == 400


class TestWallScreenPages(PageList, PageDetail):
    model = WallScreen
    url_base = "briefings:wallscreen"

    def make(self, org, node):
        return services.create_wall_screen(node=node, name=f"{node.name}大屏", user=org.user("admin"))

    def shown_as(self, obj):
        return obj.name

    def test_the_link_is_shown_to_who_manages_it_only(self, login, org, records):
        mine = records["mine"]
        assert mine.token in login(org.user("admin")).get(mine.get_absolute_url()).content.decode()
        assert mine.token not in login(org.user("viewer")).get(mine.get_absolute_url()).content.decode()


class TestWallScreenApi(ApiList, ApiDetail):
    model = WallScreen
    api_path = "/api/wall-screens/"

    def make(self, org, node):
        return TestWallScreenPages().make(org, node)

    def test_the_api_never_gives_the_link(self, api, org, records):
        row = api(org.user("admin")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert "token" not in row and records["mine"].token not in str(row)
