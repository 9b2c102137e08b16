"""Two sweeps at once never send anything twice.

On PostgreSQL two threads (two connections) sweep the same due rows at the same moment; the
rows are claimed with FOR UPDATE SKIP LOCKED and the step advances in the claiming
transaction. SQLite has no row locks (transactions begin IMMEDIATE, so writers queue): there
the same data is swept twice in a row, which is what the embedded single-process mode does.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.obligations import escalation, services
from shouwang.obligations.choices import DeliveryStatus, NotificationKind
from shouwang.obligations.models import Delivery, Notification, Obligation
from shouwang.obligations.notify import deliver

from .conftest import DUE, T0

pytestmark = pytest.mark.django_db(transaction=True)
N = 40


@pytest.fixture
def many(org, people, policy_d):
    for i in range(N):
        person = Person.objects.create(jurisdiction=org.c1, name=f"网格员{i}", kind=PersonKind.GRID_WORKER,
                                       user=_user(f"g{i}"), email=f"g{i}@example.org")
        services.open_obligation(kind="test.concurrent", title=f"晨报{i}", jurisdiction=org.c1, opens_at=T0,
                                 due_at=DUE + timedelta(seconds=i), responsible_person=person, key=f"k{i}")
    return N


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=name)


def _in_threads(func, n=2):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(func())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def _assert_each_sent_once(expected_missed):
    per = Counter(Notification.objects.filter(kind=NotificationKind.MISSED).values_list("obligation_id", "recipient_id"))
    assert len(per) == expected_missed and set(per.values()) == {1}
    emails = Counter(Delivery.objects.filter(channel="email", status=DeliveryStatus.SENT).values_list("target", flat=True))
    assert set(emails.values()) == {1}


def test_two_sweeps_at_once_send_each_message_once(many, mailoutbox):
    now = DUE + timedelta(minutes=5)
    if connection.vendor == "postgresql":
        results = _in_threads(lambda: escalation.sweep(now=now, batch=5))
        # Both really ran; between them they escalated every obligation once.
        assert sum(r["escalated"] for r in results) == N
    else:
        results = [escalation.sweep(now=now, batch=5), escalation.sweep(now=now, batch=5)]
        assert [r["escalated"] for r in results] == [N, 0]
    # Each obligation: its person + office1 (supervisor on C1).
    _assert_each_sent_once(expected_missed=N * 2)
    assert Obligation.objects.filter(escalation_step=2, sweep_token=1).count() == N
    assert len(mailoutbox) == N  # office1 has no address; each grid worker one e-mail


def test_a_row_locked_by_another_transaction_is_skipped_not_waited_for(many):
    now = DUE + timedelta(minutes=5)
    first = Obligation.objects.order_by("due_at").first()
    if connection.vendor == "postgresql":
        locked, release = threading.Event(), threading.Event()

        def hold():
            with transaction.atomic():
                Obligation.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
            connections.close_all()

        holder = threading.Thread(target=hold)
        holder.start()
        assert locked.wait(timeout=10)
        stats = escalation.sweep(now=now)
        release.set()
        holder.join(timeout=30)
        assert stats["escalated"] == N - 1
        assert not Notification.objects.filter(obligation=first).exists()
    else:
        # No row locks on SQLite: the step advanced by the first pass is what stops the second.
        assert escalation.sweep(now=now)["escalated"] == N
        assert Obligation.objects.get(pk=first.pk).escalation_step == 2
    # The next pass picks up only what was skipped (on SQLite: nothing).
    assert escalation.sweep(now=now)["escalated"] == (1 if connection.vendor == "postgresql" else 0)
    assert Notification.objects.filter(obligation=first, kind=NotificationKind.MISSED).count() == 2


def test_two_senders_of_the_same_deliveries_send_each_once(many, mailoutbox):
    escalation.sweep(now=DUE + timedelta(minutes=5))
    # As if the process had stopped between the commit and the sends: the e-mails are pending again.
    Delivery.objects.filter(channel="email", status=DeliveryStatus.SENT).update(status=DeliveryStatus.PENDING)
    mailoutbox.clear()
    pending = list(Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    assert len(pending) == N
    if connection.vendor == "postgresql":
        sent = _in_threads(lambda: deliver(pending))
    else:
        sent = [deliver(pending), deliver(pending)]
    assert sum(sent) == N and len(mailoutbox) == N
