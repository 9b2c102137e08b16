"""Hazardous stock at a key unit and its movements in and out."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel

from ..choices import HazardClass, MovementKind, PlaceKind
from .places import KeyPlace


class HazardousStock(ScopedModel):
    permission_area = "registers"

    place = models.ForeignKey(KeyPlace, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("key place"))
    substance = models.CharField(_("substance"), max_length=120)
    hazard_class = models.CharField(_("hazard class"), max_length=2, choices=HazardClass.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, default=Decimal("0"),
                                   validators=[MinValueValidator(Decimal("0"))])
    unit_of_measure = models.CharField(_("unit of measure"), max_length=16, default="kg")
    storage_place = models.CharField(_("storage place"), max_length=120, blank=True)
    keeper = models.ForeignKey("core.Person", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="kept_stocks", verbose_name=_("keeper"))
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("hazardous stock")
        verbose_name_plural = _("hazardous stocks")
        ordering = ["place", "substance", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=0), name="hazardousstock_quantity_non_negative")]

    def __str__(self):
        return self.substance

    def get_absolute_url(self):
        return reverse("registers:hazardousstock_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = _("A quantity cannot be negative.")
        if self.place_id and self.jurisdiction_id and self.place.jurisdiction_id != self.jurisdiction_id:
            errors["place"] = _("The key place must be on the same node as the stock.")
        elif self.place_id and self.place.kind != PlaceKind.UNIT:
            errors["place"] = _("Hazardous stock is registered at a key unit.")
        if errors:
            raise ValidationError(errors)


class StockMovement(ScopedModel):
    """A movement in or out; loss and theft are movements out that also raise an incident draft."""
    idempotency_owner = "recorded_by"  # who sent it: a retry with its client key is only theirs

    permission_area = "registers"

    stock = models.ForeignKey(HazardousStock, on_delete=models.CASCADE, related_name="movements", verbose_name=_("stock"))
    kind = models.CharField(_("movement"), max_length=8, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3,
                                   validators=[MinValueValidator(Decimal("0"))])
    at = models.DateTimeField(_("time"))
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=3)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, default=None)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="stockmovement_quantity_positive"),
            models.CheckConstraint(condition=models.Q(balance_after__gte=0), name="stockmovement_balance_non_negative"),
        ]

    def __str__(self):
        return f"{self.stock} {self.get_kind_display()} {self.quantity}"

    def get_absolute_url(self):
        return self.stock.get_absolute_url()

    @staticmethod
    def new_client_id():
        return uuid.uuid4()
