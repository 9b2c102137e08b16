"""Keep the policy's obligations in step with the records, however they are written (a form, the
API, an import): a store's stock-take, a point's check; a deleted record's pending ones waived."""

from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext as _

from .models import EvacuationPoint, Store
from .services import sync_point_check, sync_stocktake, waive_pending


def _store_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_stocktake(instance)


def _point_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_point_check(instance)


def _deleted(sender, instance, **kwargs):
    waive_pending(instance, _("The record was deleted."))


def connect():
    post_save.connect(_store_saved, sender=Store, dispatch_uid="resources_store_stocktake")
    post_save.connect(_point_saved, sender=EvacuationPoint, dispatch_uid="resources_point_check")
    for model in (Store, EvacuationPoint):
        pre_delete.connect(_deleted, sender=model, dispatch_uid=f"resources_waive_{model.__name__}")
