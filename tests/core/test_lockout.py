"""Password guessing is throttled per account and per address (django-axes), logged, and an
administrator can lift the lockout."""

import logging

from axes.models import AccessAttempt
from django.core.management import call_command
from rest_framework.test import APIClient


def _wrong(client, username, n, address="10.0.0.1"):
    for _ in range(n):
        client.post("/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(org, client, caplog):
    with caplog.at_level(logging.WARNING):
        _wrong(client, "grid1", 5)
    locked = client.post("/login/", {"username": "grid1", "password": "pw-grid1"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429 and "15" in locked.content.decode() and "_auth_user_id" not in client.session
    # from another address too: the account itself is locked
    other = client.post("/login/", {"username": "grid1", "password": "pw-grid1"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("login failure" in m for m in messages) and any("Locking out" in m for m in messages)
    # the administrator lifts it
    call_command("axes_reset_username", "grid1")
    ok = client.post("/login/", {"username": "grid1", "password": "pw-grid1"}, REMOTE_ADDR="10.0.0.9")
    assert ok.status_code == 302 and client.session["_auth_user_id"] == str(org.user("grid1").pk)


def test_one_address_trying_many_accounts_is_locked(org, client):
    for name in ("office1", "grid2", "patrol1", "viewer", "leader"):
        _wrong(client, name, 1, address="10.0.0.7")
    assert client.post("/login/", {"username": "office", "password": "pw-office"},
                       REMOTE_ADDR="10.0.0.7").status_code == 429
    assert AccessAttempt.objects.filter(ip_address="10.0.0.7").exists()


def test_the_api_token_endpoint_is_throttled_with_json(org):
    api = APIClient()
    for n in range(5):  # the fifth wrong password is the one that locks
        assert api.post("/api/token/", {"username": "grid2", "password": "x"}, format="json",
                        REMOTE_ADDR="10.0.0.2").status_code == (400 if n < 4 else 429)
    locked = api.post("/api/token/", {"username": "grid2", "password": "pw-grid2"}, format="json",
                      REMOTE_ADDR="10.0.0.2")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out" and "Retry-After" in locked
