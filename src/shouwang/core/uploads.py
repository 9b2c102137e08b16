"""Uploads from forms and phones: photos are checked to be real images of a known format."""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def image_upload(value):
    """A photo from an uploaded file or a data URL (as phones queue them): an image of a known
    format no larger than 5 MB, else ValidationError on `photo`. None for nothing sent."""
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
    try:
        image = Image.open(io.BytesIO(content))
        fmt = image.format
        image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError({"photo": _("The photo is not an image.")}) from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError({"photo": _("The photo is not an image.")})
    return ContentFile(content, name=f"photo.{fmt.lower().replace('jpeg', 'jpg')}")
