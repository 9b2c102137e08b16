"""Evidence contracts of an incident's records: reports, log entries, tasks, responders,
reviews and public alerts are scoped like their incident and never edited through the API."""

from datetime import timedelta

from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.incidents import services
from shouwang.incidents.models import CapMessage, LogEntry, Report, Review, Task
from tests.crud import EvidenceContract
from tests.incidents.conftest import make_incident, report_fields


class TestReportEvidence(EvidenceContract):
    model = Report
    api_path = "/api/incident-reports/"

    def make(self, org, node):
        incident = make_incident(org, node=node, user="admin", title=f"{node.name}火情", category="fire", level="IV")
        report, _created = services.submit_report(incident, user=org.user("admin"), kind="first", means="phone",
                                                  reported_by="值班员", reported_to="街道办", **report_fields())
        return report


class TestLogEntryEvidence(EvidenceContract):
    model = LogEntry
    api_path = "/api/incident-log/"

    def make(self, org, node):
        incident = make_incident(org, node=node, user="admin", title=f"{node.name}火情", category="fire", level="IV")
        return services.add_log(incident, user=org.user("admin"), kind="message", text=f"{node.name}现场已处置")


class TestTaskEvidence(EvidenceContract):
    model = Task
    api_path = "/api/incident-tasks/"

    def make(self, org, node):
        incident = make_incident(org, node=node, user="admin", title=f"{node.name}火情", category="fire", level="IV")
        person = Person.objects.create(jurisdiction=node, name=f"{node.name}队员", kind=PersonKind.PATROL)
        return services.add_task(incident, user=org.user("admin"), title="疏散群众", due_at=timezone.now() + timedelta(hours=1),
                                 person=person)


class TestReviewEvidence(EvidenceContract):
    model = Review
    api_path = "/api/incident-reviews/"

    def make(self, org, node):
        incident = make_incident(org, node=node, user="admin", title=f"{node.name}火情", category="fire", level="IV")
        services.submit_report(incident, user=org.user("admin"), kind="final", means="written", reported_by="值班员",
                               reported_to="街道办", **report_fields())
        services.close(incident, user=org.user("admin"))
        services.review(incident, user=org.user("admin"), what_happened="起火", what_worked="到场快",
                        what_did_not="通道堵塞",
                        actions=[{"text": "清理通道", "person": None, "due_at": timezone.now() + timedelta(days=7)}])
        return incident.review

    def test_actions_come_with_the_review(self, api, org, records):
        row = api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert [a["text"] for a in row["actions"]] == ["清理通道"]


class TestAlertEvidence(EvidenceContract):
    model = CapMessage
    api_path = "/api/incident-alerts/"

    def make(self, org, node):
        incident = make_incident(org, node=node, user="admin", title=f"{node.name}火情", category="fire", level="IV")
        return services.issue_alert(incident, user=org.user("admin"), headline=f"{node.name}临时管控")
