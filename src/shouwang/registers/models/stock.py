"""Hazardous stock at a key unit and its movements in and out."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.stock import Movement, movement_constraints

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

    @property
    def stock_unit(self):
        return self.unit_of_measure

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


KIND_LABELS = dict(MovementKind.choices)


class StockMovement(ScopedModel, Movement):
    """A movement in or out (the shared ledger of core/stock.py); loss and theft are movements out
    that also raise an incident draft. The balance is the stock's quantity."""

    permission_area = "registers"
    balance_field = "stock"
    INBOUND = frozenset({MovementKind.IN, MovementKind.OPENING})

    stock = models.ForeignKey(HazardousStock, on_delete=models.CASCADE, related_name="movements", verbose_name=_("stock"))
    kind = models.CharField(_("movement"), max_length=8, choices=MovementKind.choices)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        constraints = movement_constraints("stockmovement")

    def __str__(self):  # the label by a plain lookup: the change log names many rows at once
        return f"{self.stock} {KIND_LABELS.get(self.kind, self.kind)} {self.quantity}"

    def get_absolute_url(self):
        return self.stock.get_absolute_url()

    @staticmethod
    def new_client_id():
        return uuid.uuid4()
