from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import GroupKind, PersonKind, Position, UnitKind, WorkingKind
from ..validators import validate_phone
from .base import ScopedModel


def validate_lat(value):
    if value is not None and not -90 <= value <= 90:
        raise ValidationError(_("Latitude must be between -90 and 90."))


def validate_lon(value):
    if value is not None and not -180 <= value <= 180:
        raise ValidationError(_("Longitude must be between -180 and 180."))


class Person(ScopedModel):
    """Staff, volunteers and contact persons. Names and how to reach them — nothing more."""

    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PersonKind.choices, default=PersonKind.STAFF)
    title = models.CharField(_("job title"), max_length=60, blank=True)
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person", verbose_name=_("user account"),
    )
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:person_detail", args=[self.pk])


class Unit(ScopedModel):
    """An organisation on a node: department, police station, school, business..."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    responsible_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="responsible_for",
        verbose_name=_("first responsible person"),
    )
    liaison = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="liaison_for",
        verbose_name=_("liaison"),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_unique_name_per_node"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:unit_detail", args=[self.pk])

    def clean(self):
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})


class Group(ScopedModel):
    """Leading group, its office, and the special working groups."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    working_kind = models.CharField(
        _("working group kind"), max_length=32, choices=WorkingKind.choices, blank=True
    )
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["kind", "name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:group_detail", args=[self.pk])

    def clean(self):
        if self.kind == GroupKind.WORKING and not self.working_kind:
            raise ValidationError({"working_kind": _("A working group needs its kind.")})
        if self.kind != GroupKind.WORKING and self.working_kind:
            raise ValidationError({"working_kind": _("Only working groups have a working kind.")})


class Membership(ScopedModel):
    """A person's seat in a group, with position and written duties."""

    scope_path_lookup = "jurisdiction__path"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    position = models.CharField(_("position"), max_length=16, choices=Position.choices, default=Position.MEMBER)
    duties = models.TextField(_("duties"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="membership_unique_person"),
        ]

    def __str__(self):
        return f"{self.group} · {self.person}"

    def save(self, *args, **kwargs):
        # A seat lives where its group lives.
        self.jurisdiction_id = self.group.jurisdiction_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.group.get_absolute_url()


class Contact(ScopedModel):
    """An entry of a node's contact directory (通讯录): who to call, in what order."""

    label = models.CharField(_("role or desk"), max_length=60)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, validators=[validate_phone])
    call_order = models.PositiveSmallIntegerField(_("call order"), default=1)
    hours = models.CharField(_("hours"), max_length=60, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["call_order", "pk"]

    def __str__(self):
        return f"{self.label} {self.display_name}".strip()

    @property
    def display_name(self):
        return self.name or (self.person.name if self.person else "")

    def get_absolute_url(self):
        return reverse("core:directory", args=[self.jurisdiction_id])
