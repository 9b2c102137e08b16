"""Notifications: the in-product inbox, e-mail and signed webhooks; every send is recorded.

`notify(...)` writes the inbox messages and one `Delivery` row per channel and target in the
caller's transaction; the e-mails and webhook POSTs go out after that transaction commits.
Each pending delivery is claimed with a conditional UPDATE (pending -> sending), so two
processes never send the same one; a delivery that failed is recorded with its error and
not retried automatically (at most once, never twice).
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import webhook_targets
from .choices import Channel, DeliveryStatus, NotificationKind
from .models import Delivery, Notification, Webhook

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT = 5  # seconds; a slow receiver must not hold up the sweep for long
SIGNATURE_HEADER = "X-Shouwang-Signature"


# A failed e-mail or webhook is tried again after these waits, MAX_ATTEMPTS times in all.
RETRY_BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]
MAX_ATTEMPTS = len(RETRY_BACKOFF) + 1


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _email_of(user):
    if user.email:
        return user.email
    person = getattr(user, "person", None)
    return getattr(person, "email", "") or ""


def webhooks_for(node):
    """Active webhooks on the node and its ancestors."""
    paths = [node.path[:i] for i in range(len(node.path), 0, -node.steplen)]
    return Webhook.objects.filter(active=True, jurisdiction__path__in=paths).order_by("pk")


def _payload(kind, title, body, obligation, recipients, token):
    data = {"event": kind, "title": title, "body": body, "recipients": [u.get_username() for u in recipients],
            "sweep_token": token, "sent_at": timezone.now()}
    if obligation is not None:
        data["obligation"] = {
            "id": obligation.pk, "kind": obligation.kind, "title": obligation.title,
            "node": obligation.jurisdiction.code, "due_at": obligation.due_at, "rule": obligation.rule,
            "responsible_person": str(obligation.responsible_person or ""),
            "responsible_unit": str(obligation.responsible_unit or ""),
        }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def notify(recipients, *, kind=NotificationKind.MESSAGE, title, body="", obligation=None, token=0, webhooks=None,
           email=True, url=""):
    """Put a message in each recipient's inbox, queue their e-mails and the webhooks; send after commit.

    `webhooks`: None means those configured for the obligation's node (none for plain messages).
    `email=False`: inbox only (the demo's welcome message).
    """
    recipients = list({u.pk: u for u in recipients if u is not None and u.is_active}.values())
    now = timezone.now()
    deliveries = []
    notes = Notification.objects.bulk_create([
        Notification(recipient=user, obligation=obligation, kind=kind, title=title[:200], body=body, sweep_token=token,
                     created_at=now, url=url[:200])
        for user in recipients
    ])
    for user, note in zip(recipients, notes, strict=True):
        common = {"notification": note, "obligation": obligation, "kind": kind, "sweep_token": token, "created_at": now}
        deliveries.append(Delivery(channel=Channel.INBOX, target=user.get_username(), status=DeliveryStatus.SENT,
                                   sent_at=now, **common))
        if not email:
            continue
        address = _email_of(user)
        deliveries.append(Delivery(
            channel=Channel.EMAIL, target=address,
            status=DeliveryStatus.PENDING if address else DeliveryStatus.SKIPPED,
            error="" if address else "no e-mail address", **common,
        ))
    if webhooks is None:
        webhooks = list(webhooks_for(obligation.jurisdiction)) if obligation is not None else []
    if webhooks and recipients:
        payload = _payload(kind, title, body, obligation, recipients, token)
        for hook in webhooks:
            deliveries.append(Delivery(channel=Channel.WEBHOOK, webhook=hook, target=hook.url, payload=payload,
                                       obligation=obligation, kind=kind, sweep_token=token, created_at=now))
    Delivery.objects.bulk_create(deliveries)  # not a tracked model: its own rows are the record
    pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: deliver(pending))
    return notes


def _claim(pks) -> list:
    """Move pending deliveries to `sending`; returns the ids this caller won (others skip them)."""
    lock = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    with transaction.atomic():
        ids = list(Delivery.objects.select_for_update(**lock).filter(pk__in=pks, status=DeliveryStatus.PENDING)
                   .values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENDING)
    return ids


def _send(delivery):
    if delivery.channel == Channel.EMAIL:
        note = delivery.notification
        send_mail(note.title, note.body or note.title, settings.DEFAULT_FROM_EMAIL, [delivery.target])
    elif delivery.channel == Channel.WEBHOOK:
        body = json.dumps({**delivery.payload, "delivery": delivery.pk}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Shouwang-Delivery": str(delivery.pk),
                   "X-Shouwang-Event": delivery.kind, SIGNATURE_HEADER: sign(delivery.webhook.secret, body)}
        refused = webhook_targets.refusal(delivery.target)
        if refused:
            raise DeliveryFailed(refused)
        try:
            response = requests.post(delivery.target, data=body, headers=headers, timeout=WEBHOOK_TIMEOUT,
                                     allow_redirects=False)
        except requests.Timeout:
            raise DeliveryFailed("timeout") from None
        except requests.RequestException:
            raise DeliveryFailed("connection failed") from None
        if 300 <= response.status_code < 400:
            raise DeliveryFailed(f"HTTP {response.status_code}: redirect not followed")
        if response.status_code >= 400:
            raise DeliveryFailed(f"HTTP {response.status_code}")


class DeliveryFailed(Exception):
    """A send that did not go: its reason as a status, never the network's own words (which
    would tell an outsider which internal ports answer)."""


def deliver(pks):
    """Send the given pending deliveries; each is claimed first, so a second caller skips it."""
    total = 0
    for chunk in [pks[i:i + 200] for i in range(0, len(pks), 200)]:
        sent = []
        claimed = _claim(chunk)
        for delivery in Delivery.objects.filter(pk__in=claimed).select_related("notification", "webhook").order_by("pk"):
            try:
                if delivery.channel == Channel.WEBHOOK and delivery.webhook is None:
                    raise RuntimeError("webhook removed")
                _send(delivery)
            except Exception as exc:  # recorded on the row; the sweep goes on and retries it later
                log.warning("delivery %s failed: %s", delivery.pk, exc)
                attempts = delivery.attempts + 1
                retry_at = timezone.now() + RETRY_BACKOFF[attempts - 1] if attempts < MAX_ATTEMPTS else None
                reason = str(exc) if isinstance(exc, DeliveryFailed) else exc.__class__.__name__
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.FAILED, error=reason[:200], attempts=attempts, next_attempt_at=retry_at)
            else:
                sent.append(delivery.pk)
        if sent:
            Delivery.objects.filter(pk__in=sent).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
        total += len(sent)
    return total


def requeue_failed(limit=500, now=None):
    """Put failed sends whose retry time has come back in the queue (each claimed by one caller)."""
    lock = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    with transaction.atomic():
        due = list(Delivery.objects.select_for_update(**lock)
                   .filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now or timezone.now())
                   .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=due).update(status=DeliveryStatus.PENDING, next_attempt_at=None)
    return due


def deliver_pending(limit=500):
    """Send deliveries left pending (e.g. the process stopped before its commit hook ran) and
    failed ones whose retry time has come."""
    requeue_failed(limit)
    pks = list(Delivery.objects.filter(Q(status=DeliveryStatus.PENDING)).order_by("pk").values_list("pk", flat=True)[:limit])
    return deliver(pks)


def unread_count(user):
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pks=None):
    """Mark the user's notifications (all, or the given ones) as read; returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())
