"""A community's daily reports are evidence: scoped, in the change log, never edited through the API."""

import pytest
import time_machine

from shouwang.briefings import services
from shouwang.briefings.models import DailyReport
from tests.briefings.conftest import DAY, at, report_fields
from tests.crud import EvidenceContract


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
