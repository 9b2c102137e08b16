"""Emergency supplies: the catalogue, the stores, stock by lot and the append-only ledger."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models.org import validate_lat, validate_lon
from shouwang.core.stock import QUANTITY, Movement, movement_constraints

from ..choices import INBOUND, MovementKind, SupplyCategory
from ..querysets import LotQuerySet, SupplyItemQuerySet
from .base import ResourceModel, UsedFor

CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


def validate_code(value):
    """An item code: letters, digits, dashes (a function, so the API schema allows the empty code)."""
    if value and not CODE.match(value):
        raise ValidationError(_("Use letters, digits and dashes only."))


class SupplyItem(ResourceModel):
    """An item of the office's catalogue; the reserve standard names it by its code."""

    code = models.CharField(_("code"), max_length=40, blank=True, validators=[validate_code],
                            help_text=_("Letters, digits and dashes; the reserve standard names the item by it."))
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=16, choices=SupplyCategory.choices)
    unit = models.CharField(_("unit of measure"), max_length=16)
    specification = models.CharField(_("specification"), max_length=120, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SupplyItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("supply item")
        verbose_name_plural = _("supply catalogue")
        ordering = ["category", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="supplyitem_unique_name_per_node"),
            models.UniqueConstraint(fields=["jurisdiction", "code"], condition=~Q(code=""),
                                    name="supplyitem_unique_code_per_node"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:supplyitem_detail", args=[self.pk])


class Store(ResourceModel):
    """A store of emergency supplies: one keeper, one ledger."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    keeper = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, related_name="kept_stores",
                               verbose_name=_("keeper"))
    notes = models.TextField(_("notes"), blank=True)
    last_stocktake_on = models.DateField(_("last stock-take"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="store_unique_name_per_node")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:store_detail", args=[self.pk])

    def clean(self):
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})


class Lot(ResourceModel):
    """Stock of one item in one store by lot: the balance of the ledger (never below zero)."""

    stock_select_related = ("item", "store")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="lots", verbose_name=_("store"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="lots", verbose_name=_("supply item"))
    lot_number = models.CharField(_("lot number"), max_length=60, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), default=Decimal("0"), editable=False, **QUANTITY)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("stock by lot")
        ordering = ["item__name", "expires_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=0), name="resources_lot_quantity_non_negative")]
        indexes = [models.Index(fields=["store", "item"], name="lot_store_item_idx")]

    def __str__(self):
        parts = [self.item.name]
        if self.lot_number:
            parts.append(str(_("lot %(number)s") % {"number": self.lot_number}))
        if self.expires_on:
            parts.append(str(_("expires %(date)s") % {"date": self.expires_on.isoformat()}))
        return " · ".join(parts)

    @property
    def stock_unit(self):
        return self.item.unit

    def get_absolute_url(self):
        return reverse("resources:lot_detail", args=[self.pk])


class StockTake(ResourceModel):
    """A count of a store: its differences are movements (surplus, shortage) referring to it."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="stocktakes", verbose_name=_("store"))
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("taken by"))
    lots_counted = models.PositiveIntegerField(_("lots counted"), default=0)
    differences = models.PositiveIntegerField(_("differences"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stock-take")
        verbose_name_plural = _("stock-takes")
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return f"{self.store} {self.taken_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("resources:store_detail", args=[self.store_id])


KIND_LABELS = dict(MovementKind.choices)


class StockMovement(ResourceModel, Movement, UsedFor):
    """A row of a store's ledger (core/stock.py): in, issued, transferred, written off, or a
    stock-take's difference. Written once; the lot's quantity follows."""

    balance_field = "lot"
    INBOUND = INBOUND

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot"))
    kind = models.CharField(_("movement"), max_length=12, choices=MovementKind.choices)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="movements", verbose_name=_("store"))
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="movements",
                             verbose_name=_("supply item"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recipient = models.CharField(_("issued to"), max_length=120, blank=True)
    entry = models.UUIDField(_("entry"), null=True, blank=True, editable=False, db_index=True,
                             help_text=_("The movements written together (a transfer, an issue from several lots)."))
    stocktake = models.ForeignKey(StockTake, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="movements", verbose_name=_("stock-take"))

    class Meta:
        verbose_name = _("supply movement")
        verbose_name_plural = _("supply ledger")
        ordering = ["-at", "-pk"]
        constraints = movement_constraints("resources_stockmovement")
        indexes = [models.Index(fields=["store", "item", "at"], name="movement_store_item_at_idx")]

    def __str__(self):  # the label by a plain lookup: the change log names thousands of rows at once
        return f"{self.item} {KIND_LABELS.get(self.kind, self.kind)} {self.quantity.normalize():f}"

    def get_absolute_url(self):
        return reverse("resources:stockmovement_detail", args=[self.pk])

    @property
    def inbound(self):
        return self.kind in INBOUND

    def others_of_entry(self):
        """The other rows written with this one (a transfer's other store, an issue's other lots)."""
        if not self.entry:
            return StockMovement.objects.none()
        return StockMovement.objects.filter(entry=self.entry).exclude(pk=self.pk).select_related("store", "lot")
