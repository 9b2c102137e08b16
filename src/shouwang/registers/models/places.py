"""Registers (台账) of key places."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image

from shouwang.core.geo import validate_polygon
from shouwang.core.models import ScopedModel
from shouwang.core.models.org import validate_lat, validate_lon

from ..choices import INFRASTRUCTURE, KIND_OF_CATEGORY, AttachmentKind, Category, PlaceKind


class KeyPlace(ScopedModel):
    """A key area, key unit or key site of a node's register."""

    permission_area = "registers"

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(pgettext_lazy("key place", "kind"), max_length=8, choices=PlaceKind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="key_places", verbose_name=_("unit")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    polygon = models.JSONField(_("area (GeoJSON polygon, WGS84)"), null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_places",
        verbose_name=_("responsible unit"),
    )
    responsible_person = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_places",
        verbose_name=_("responsible person"),
    )
    protective_forces = models.TextField(_("protective forces"), blank=True)
    special_precautions = models.TextField(_("special precautions"), blank=True)
    review_period_days = models.PositiveSmallIntegerField(_("review period (days)"), default=30)
    last_reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key place")
        verbose_name_plural = _("key places")
        ordering = ["jurisdiction", "kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="keyplace_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registers:keyplace_detail", args=[self.pk])

    @property
    def is_infrastructure(self) -> bool:
        return self.category in INFRASTRUCTURE

    def clean(self):
        if self.category and self.kind and KIND_OF_CATEGORY.get(self.category) != self.kind:
            raise ValidationError({"category": _("This category does not belong to the chosen kind.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})
        if self.polygon:
            try:
                validate_polygon(self.polygon)
            except ValidationError as exc:
                raise ValidationError({"polygon": exc.messages}) from exc
        if not 1 <= (self.review_period_days or 0) <= 3650:
            raise ValidationError({"review_period_days": _("A review period is between 1 and 3650 days.")})

    @property
    def review_due_at(self):

        base = self.last_reviewed_at or self.created_at
        return base + timedelta(days=self.review_period_days) if base else None


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt", "odt"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}


def _attachment_path(instance, filename):
    return f"registers/places/{instance.place_id or 'new'}/{filename}"


class Attachment(ScopedModel):
    """A plan, photo or other document of a key place (stored under MEDIA_ROOT)."""

    permission_area = "registers"
    changelog_exclude = ("file",)

    place = models.ForeignKey(KeyPlace, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("key place"))
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.PLAN)
    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["place", "kind", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.place.get_absolute_url()

    def changelog_snapshot_extra(self):
        return {"file": self.file.name if self.file else ""}

    def clean(self):
        if self.place_id and self.jurisdiction_id and self.place.jurisdiction_id != self.jurisdiction_id:
            raise ValidationError({"jurisdiction": _("An attachment sits on the node of its place.")})
        check_upload(self.file, self.kind)


def check_upload(upload, kind):
    """Size and type checks; a photo must really be an image."""
    if not upload:
        return
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(upload, "size", 0) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // 1048576}})
    allowed = IMAGE_EXTENSIONS if kind == AttachmentKind.PHOTO else DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS
    if ext not in allowed:
        raise ValidationError({"file": _("Files of type “%(ext)s” are not accepted here.") % {"ext": ext or "?"}})
    if kind == AttachmentKind.PHOTO:
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
        except Exception as exc:
            raise ValidationError({"file": _("A photo must be an image file.")}) from exc
        finally:
            upload.seek(0)
