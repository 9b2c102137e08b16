"""Signed checkpoint codes (the QR on the printed sheet): made and verified, nothing stored."""

import binascii
import json

from django.core import signing
from django.utils.translation import gettext as _

QR_SALT = "shouwang.patrols.checkpoint"


def make_token(checkpoint) -> str:
    signed = signing.dumps({"c": checkpoint.pk, "v": checkpoint.token_version}, key=checkpoint.secret, salt=QR_SALT)
    return f"{checkpoint.pk}.{signed}"


def token_checkpoint_id(token):
    head, _sep, _rest = str(token or "").strip().partition(".")
    return int(head) if head.isdigit() else None


def verify_token(token, checkpoint) -> str | None:
    """None when the token is this checkpoint's current code, else the reason (for a phone screen)."""
    token = str(token or "").strip()
    head, _sep, signed = token.partition(".")
    if not head.isdigit() or not signed:
        return _("This is not a Shouwang checkpoint code.")
    if int(head) != checkpoint.pk:
        return _("This code belongs to another checkpoint.")
    try:
        data = signing.loads(signed, key=checkpoint.secret, salt=QR_SALT)
    except signing.BadSignature:
        try:  # an old code, replaced by a rotation, names an older version
            payload = json.loads(signing.b64_decode(signed.split(":")[0].encode()))
            if isinstance(payload, dict) and payload.get("c") == checkpoint.pk and int(payload.get("v", 0)) < checkpoint.token_version:
                return _("This code has expired (it was replaced). Ask for the new sheet.")
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            pass
        return _("This code is forged or damaged. It was not accepted.")
    if data.get("c") != checkpoint.pk or data.get("v") != checkpoint.token_version:
        return _("This code has expired (it was replaced). Ask for the new sheet.")
    return None


