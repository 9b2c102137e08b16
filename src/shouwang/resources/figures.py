"""Resources as figures for the rest: the comprehensive ledger of a node (registers' registry,
read by the briefings too) and the item names the policy page shows for the reserve standard."""

from collections.abc import Mapping

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from . import queries
from .models import EquipmentIssue, EvacuationPoint, Store, SupplyItem


def _under(model, node):
    return model.objects.filter(Q(jurisdiction__path__startswith=node.path))


def stores(node):
    return _under(Store, node).count()


def shortfalls(node):
    return len(queries.shortfalls(_under(Store, node).select_related("jurisdiction")))


def equipment_overdue(node):
    return queries.overdue_issues(_under(EquipmentIssue, node)).count()


def points_available(node):
    return _under(EvacuationPoint, node).filter(check_failed=False).count()


def point_capacity(node):
    return _under(EvacuationPoint, node).filter(check_failed=False).aggregate(n=Sum("capacity"))["n"] or 0


LEDGER = [
    ("resources.stores", _("emergency stores"), stores),
    ("resources.shortfalls", _("supplies short of the reserve standard"), shortfalls),
    ("resources.equipment_overdue", _("equipment not returned in time"), equipment_overdue),
    ("resources.points_available", _("evacuation points available"), points_available),
    ("resources.point_capacity", _("people the available points hold"), point_capacity),
]


class CatalogueNames(Mapping):
    """{item code: item name}, read when the policy page asks (the catalogue is data)."""

    def _names(self):
        return dict(SupplyItem.objects.exclude(code="").order_by("-jurisdiction__depth")
                    .values_list("code", "name"))

    def __getitem__(self, code):
        return self._names()[code]

    def __iter__(self):
        return iter(self._names())

    def __len__(self):
        return len(self._names())

    def __contains__(self, code):
        return SupplyItem.objects.filter(code=code).exists()


