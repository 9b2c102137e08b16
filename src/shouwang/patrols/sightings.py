"""Sightings: a hazard or incident seen on patrol, with a photo, from the phone (idempotent by client UUID)."""

import base64
import binascii
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.models import Person
from shouwang.core.scope import scope_paths

from .models import Checkpoint, Sighting
from .services import _number, _time_field
from .signals import sighting_reported

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}



def _photo(value):
    """Photo from an uploaded file or a data URL: an image no larger than 5 MB, else ValidationError."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        head, _sep, body = value.partition(",")
        if not head.startswith("data:") or ";base64" not in head:
            raise ValidationError({"photo": _("The photo is not an image.")})
        if len(body) > MAX_PHOTO_BYTES * 4 // 3 + 8:
            raise ValidationError({"photo": _("The photo is larger than 5 MB. Take it again at a lower size.")})
        try:
            content = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"photo": _("The photo is not an image.")}) from None
    else:
        if value.size > MAX_PHOTO_BYTES:
            raise ValidationError({"photo": _("The photo is larger than 5 MB. Take it again at a lower size.")})
        content = value.read()
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 5 MB. Take it again at a lower size.")})
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(content))
        fmt = image.format
        image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError({"photo": _("The photo is not an image.")}) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"photo": _("The photo is not an image.")})
    return ContentFile(content, name=f"photo.{fmt.lower().replace('jpeg', 'jpg')}")


def report_sighting(user, data, received_at=None):
    """A hazard or incident seen on patrol; the same client UUID twice is one record.

    Returns (sighting, created). The lead will connect sightings to incidents and inspections.
    """
    received = received_at or timezone.now()
    errors: dict = {}
    try:
        client_uuid = uuid.UUID(str(data.get("client_uuid")))
    except (ValueError, TypeError):
        raise ValidationError({"client_uuid": [_("Every action needs a client id (UUID).")]}) from None
    existing = Sighting.objects.filter(client_uuid=client_uuid).first()
    if existing:
        return existing, False
    from .choices import SightingKind

    kind = data.get("kind") or SightingKind.HAZARD
    if kind not in SightingKind.values:
        errors["kind"] = [_("Say whether it is a hazard or an incident.")]
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Say in a few words what you saw.")]
    lat = _number(data.get("lat"), "lat", errors)
    lon = _number(data.get("lon"), "lon", errors)
    if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180 or (lat is None) != (lon is None):
        errors["lat"] = [_("The position sent by your phone is not possible. Turn location on and try again.")]
    device_time = _time_field(data.get("device_time"), "device_time", errors)
    point = None
    node = None
    if data.get("checkpoint") not in (None, ""):
        point = Checkpoint.objects.restrict(user, "view").filter(pk=data.get("checkpoint")).select_related("jurisdiction").first()
        if point is None:
            errors["checkpoint"] = [_("This checkpoint is not one of yours (or does not exist).")]
        node = point.jurisdiction if point else None
    if node is None and data.get("jurisdiction") not in (None, ""):
        from shouwang.core.scope import nodes_where

        node = nodes_where(user, "patrols", "add").filter(pk=data.get("jurisdiction")).first()
        if node is None:
            errors["jurisdiction"] = [_("This place is outside your area.")]
    if node is None and not errors:
        person = Person.objects.filter(user_id=user.pk).select_related("jurisdiction").first()
        node = person.jurisdiction if person else None
        if node is None:
            from shouwang.core.scope import nodes_where

            node = nodes_where(user, "patrols", "add").order_by("depth", "path").first()
        if node is None:
            errors["jurisdiction"] = [_("This place is outside your area.")]
    try:
        photo = _photo(data.get("photo"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        photo = None
    if errors:
        raise ValidationError(errors)
    if not user.is_superuser and not any(node.path.startswith(p) for p in scope_paths(user, "patrols", "add")):
        raise ValidationError({"jurisdiction": [_("This place is outside your area.")]})
    sighting = Sighting(jurisdiction=node, kind=kind, text=text, lat=lat, lon=lon, checkpoint=point, reported_by=user,
                        device_time=device_time, received_at=received, client_uuid=client_uuid)
    try:
        with transaction.atomic():
            if photo is not None:
                sighting.photo.save(photo.name, photo, save=False)
            sighting.save()
    except IntegrityError:
        return Sighting.objects.get(client_uuid=client_uuid), False
    transaction.on_commit(lambda: sighting_reported.send(sender=Sighting, sighting=sighting))
    return sighting, True
