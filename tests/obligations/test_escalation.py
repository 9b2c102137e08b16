"""Escalation with a moved clock: a reminder, then missed, then the office — each exactly once."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine

from shouwang.core.choices import Role
from shouwang.core.models import RoleAssignment
from shouwang.obligations import escalation, services
from shouwang.obligations.choices import DeliveryStatus, NotificationKind, Step
from shouwang.obligations.models import Delivery, Notification, Obligation, Webhook
from shouwang.obligations.notify import deliver_pending
from shouwang.policies.services import new_version
from tests.crud import log_rows

from .conftest import DUE


def inbox(kind=None):
    qs = Notification.objects.order_by("recipient__username")
    if kind:
        qs = qs.filter(kind=kind)
    return [n.recipient.username for n in qs]


def sweep_at(when):
    with time_machine.travel(when, tick=False):
        return escalation.sweep()


def test_reminder_then_missed_then_office_each_exactly_once(org, people, policy_d, make_obligation, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    ob = make_obligation()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_at(DUE - timedelta(minutes=31))["notifications"] == 0  # too early for the reminder
        assert sweep_at(DUE - timedelta(minutes=29))["notifications"] == 1
        assert sweep_at(DUE - timedelta(minutes=20))["notifications"] == 0  # swept again: nothing new
    assert inbox(NotificationKind.REMINDER) == ["grid1"]
    assert [m.to for m in mailoutbox] == [["grid1@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_at(DUE + timedelta(minutes=1))["notifications"] == 2
        assert sweep_at(DUE + timedelta(minutes=2))["notifications"] == 0
    # responsible person + supervisor (office staff on C1, the obligation's own node)
    assert inbox(NotificationKind.MISSED) == ["grid1", "office1"]

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_at(DUE + timedelta(minutes=59))["notifications"] == 0
        assert sweep_at(DUE + timedelta(minutes=60))["notifications"] == 2
        assert sweep_at(DUE + timedelta(hours=5))["notifications"] == 0
    # the leading-group office on the street: its member (via Person.user) + office staff there
    assert inbox(NotificationKind.ESCALATED) == ["leader", "office"]
    ob.refresh_from_db()
    assert ob.escalation_step == Step.OFFICE and ob.sweep_token == 3
    assert not escalation.candidates(DUE + timedelta(hours=6)).filter(pk=ob.pk).exists()
    steps = [row.after["escalation_step"] for row in log_rows(ob, "update").order_by("time", "pk")]
    assert steps == [Step.REMINDED, Step.MISSED, Step.OFFICE]  # each step in the change log


def test_met_in_time_sends_nothing_more(org, people, policy_d, make_obligation):
    ob = make_obligation()
    sweep_at(DUE - timedelta(minutes=10))
    with time_machine.travel(DUE - timedelta(minutes=5), tick=False):
        services.meet(ob, by=org.user("grid1"), evidence="晨报已报")
    sweep_at(DUE + timedelta(hours=2))
    assert inbox() == ["grid1"]  # the reminder only


def test_a_late_sweep_skips_the_stale_reminder_and_sends_missed_and_office(org, people, policy_d, make_obligation):
    make_obligation()
    stats = sweep_at(DUE + timedelta(hours=2))  # the sweep was down all morning
    assert stats["escalated"] == 1
    assert inbox(NotificationKind.REMINDER) == []
    assert inbox(NotificationKind.MISSED) == ["grid1", "office1"]
    assert inbox(NotificationKind.ESCALATED) == ["leader", "office"]


def test_reopen_starts_escalation_again(org, people, policy_d, make_obligation):
    ob = make_obligation()
    sweep_at(DUE + timedelta(minutes=5))
    with time_machine.travel(DUE + timedelta(minutes=10), tick=False):
        services.meet(ob, by=org.user("grid1"), evidence="补报")
        services.reopen(ob, by=org.user("office1"), due_at=DUE + timedelta(hours=1))
    sweep_at(DUE + timedelta(hours=1, minutes=1))
    assert inbox(NotificationKind.MISSED) == ["grid1", "grid1", "office1", "office1"]


def test_frozen_policy_version_escalation_wins_over_the_node(org, people, policy_d, make_obligation):
    version = new_version(policy_d, {**policy_d.current_version().rules,
                                     "escalation": {"remind_before_minutes": 120, "notify_supervisor": False,
                                                    "office_after_minutes": 10}})
    make_obligation(policy_version=version)
    sweep_at(DUE - timedelta(minutes=100))
    assert inbox(NotificationKind.REMINDER) == ["grid1"]
    sweep_at(DUE + timedelta(minutes=1))
    assert inbox(NotificationKind.MISSED) == ["grid1"]  # notify_supervisor: false
    sweep_at(DUE + timedelta(minutes=11))
    assert inbox(NotificationKind.ESCALATED) == ["leader", "office"]


def test_supervisor_is_on_the_nearest_node_that_has_one(org, people, policy_d, make_obligation):
    # C2 has no leader or office staff: its supervisors are the street's.
    make_obligation(key="c2", node=org.c2, person=None)
    sweep_at(DUE + timedelta(minutes=1))
    assert inbox(NotificationKind.MISSED) == ["leader", "office"]
    RoleAssignment.objects.create(user=org.user("grid2"), role=Role.LEADER, jurisdiction=org.c2)
    assert [u.username for u in escalation.supervisors(org.c2)] == ["grid2"]


def test_office_without_a_group_falls_back_to_office_staff(org):
    assert [u.username for u in escalation.office(org.grid)] == ["office1"]
    assert [u.username for u in escalation.office(org.c2)] == ["office"]


def test_no_escalation_section_uses_the_default(org, people, make_obligation):
    make_obligation()  # no policy assigned anywhere
    sweep_at(DUE - timedelta(minutes=29))
    assert inbox(NotificationKind.REMINDER) == ["grid1"]
    assert escalation.rules_for(Obligation.objects.get()) == escalation.DEFAULT_ESCALATION


class Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received, Receiver.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhooks_are_signed_sent_once_and_recorded(org, people, policy_d, make_obligation, receiver,
                                                    django_capture_on_commit_callbacks):
    url = f"http://127.0.0.1:{receiver.server_port}/hook"
    secret = "s3cret-for-the-test-only"
    hook = Webhook.objects.create(jurisdiction=org.street, name="值班平台", url=url, secret=secret)
    make_obligation()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(DUE + timedelta(minutes=1))
        sweep_at(DUE + timedelta(minutes=2))
    assert deliver_pending() == 0  # nothing left over to send
    assert len(Receiver.received) == 1
    headers, body = Receiver.received[0]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Shouwang-Signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "missed" and payload["obligation"]["node"] == "C1"
    assert sorted(payload["recipients"]) == ["grid1", "office1"]
    row = Delivery.objects.get(channel="webhook")
    assert row.webhook == hook and row.status == DeliveryStatus.SENT and row.sent_at is not None


def test_a_failing_webhook_is_recorded_with_its_error(org, people, policy_d, make_obligation, receiver,
                                                      django_capture_on_commit_callbacks):
    Receiver.status = 500
    Webhook.objects.create(jurisdiction=org.c1, name="坏的", url=f"http://127.0.0.1:{receiver.server_port}/",
                           secret="another-secret-1234")
    make_obligation()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(DUE + timedelta(minutes=1))
    row = Delivery.objects.get(channel="webhook")
    assert row.status == DeliveryStatus.FAILED and "500" in row.error
    assert Notification.objects.count() == 2  # the inbox got its messages all the same
    assert row.attempts == 1 and row.next_attempt_at is not None


def test_a_failed_webhook_is_retried_with_backoff_until_it_goes_through(
        org, people, policy_d, make_obligation, receiver, django_capture_on_commit_callbacks):
    import time_machine

    from shouwang.obligations.notify import MAX_ATTEMPTS, RETRY_BACKOFF

    Receiver.status = 503
    Webhook.objects.create(jurisdiction=org.c1, name="时好时坏", url=f"http://127.0.0.1:{receiver.server_port}/",
                           secret="flaky-secret-1234")
    make_obligation()
    failed_at = DUE + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(failed_at)
    row = Delivery.objects.get(channel="webhook")
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 1)
    with time_machine.travel(failed_at + RETRY_BACKOFF[0] / 2, tick=False):
        assert deliver_pending() == 0  # not yet time to try again
    assert len(Receiver.received) == 1
    Receiver.status = 200
    with time_machine.travel(failed_at + RETRY_BACKOFF[0] + timedelta(seconds=5), tick=False):
        assert deliver_pending() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, len(Receiver.received)) == (DeliveryStatus.SENT, 1, 2)
    # A receiver that never recovers is given up after MAX_ATTEMPTS tries, each one recorded.
    row.status, row.attempts = DeliveryStatus.PENDING, 0
    row.save()
    Receiver.status = 500
    when = failed_at
    for _ in range(MAX_ATTEMPTS):
        with time_machine.travel(when, tick=False):
            deliver_pending()
        when += timedelta(hours=2)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.FAILED, MAX_ATTEMPTS, None)


def test_every_send_is_recorded_per_channel(org, people, policy_d, make_obligation, django_capture_on_commit_callbacks):
    make_obligation()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(DUE + timedelta(minutes=1))
    rows = sorted(Delivery.objects.values_list("channel", "target", "status"))
    assert rows == [
        ("email", "", "skipped"),  # office1 has no e-mail address
        ("email", "grid1@example.org", "sent"),
        ("inbox", "grid1", "sent"),
        ("inbox", "office1", "sent"),
    ]


def test_webhooks_reach_only_allowed_targets_follow_no_redirects_and_store_a_status(
        org, people, policy_d, make_obligation, receiver, settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOW = []
    for url in ("http://127.0.0.1:9/", "http://10.0.0.5/hook", "http://[::1]/", "http://169.254.169.254/latest"):
        with pytest.raises(ValidationError) as refused:
            Webhook(jurisdiction=org.c1, name="内部", url=url, secret="s" * 20).full_clean()
        assert "url" in refused.value.message_dict
    settings.WEBHOOK_ALLOW = ["127.0.0.0/8"]
    Webhook(jurisdiction=org.c1, name="允许的", url=f"http://127.0.0.1:{receiver.server_port}/", secret="s" * 20).full_clean()
    # a redirect is not followed, a closed port is "connection failed", never the network's words
    Receiver.status = 302
    hook = Webhook.objects.create(jurisdiction=org.c1, name="跳转", url=f"http://127.0.0.1:{receiver.server_port}/",
                                  secret="s" * 20)
    Webhook.objects.create(jurisdiction=org.c1, name="关闭的端口", url="http://127.0.0.1:9/", secret="s" * 20)
    make_obligation()
    sweep_at(DUE + timedelta(minutes=1))
    errors = dict(Delivery.objects.filter(channel="webhook").values_list("webhook__name", "error"))
    assert errors["跳转"] == "HTTP 302: redirect not followed" and errors["关闭的端口"] == "connection failed"
    # a target that became internal after it was saved is refused at send time
    settings.WEBHOOK_ALLOW = []
    Receiver.status = 200
    Delivery.objects.filter(webhook=hook).update(status="pending", next_attempt_at=None)
    from shouwang.obligations.notify import deliver

    deliver(list(Delivery.objects.filter(webhook=hook).values_list("pk", flat=True)))
    assert Delivery.objects.get(webhook=hook).error == "internal address not allowed"


def test_who_was_notified_is_shown_by_name_and_webhooks_only_to_who_sets_them_up(
        org, people, policy_d, make_obligation, receiver, api, login):
    Webhook.objects.create(jurisdiction=org.street, name="街道指挥平台",
                           url=f"http://127.0.0.1:{receiver.server_port}/hook?token=SECRET-IN-URL", secret="s" * 20)
    ob = make_obligation()
    sweep_at(DUE + timedelta(hours=2))
    grid = login(org.user("grid1"))
    page = grid.get(f"/obligations/{ob.pk}/").content.decode()
    assert "街道指挥平台" in page and "SECRET-IN-URL" not in page and "@" not in page.split('id="deliveries"')[1]
    rows = api(org.user("grid1")).get(f"/api/obligations/{ob.pk}/deliveries/").json()
    assert rows and all("target" not in r and "SECRET" not in r["to"] for r in rows)
    listed = api(org.user("viewer")).get("/api/webhooks/").json()["results"]  # sees it, may not set it up
    assert listed and all("url" not in w and "secret" not in w for w in listed)
    assert "SECRET-IN-URL" not in login(org.user("viewer")).get(f"/obligations/webhooks/{listed[0]['id']}/").content.decode()
    assert "SECRET-IN-URL" not in login(org.user("viewer")).get("/obligations/webhooks/").content.decode()
    assert "SECRET-IN-URL" in api(org.user("office")).get("/api/webhooks/").json()["results"][0]["url"]
