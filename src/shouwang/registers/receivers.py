"""Keep the freshness and check obligations in step with the registers, however they are written."""

from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext as _

from .models import Defence, HazardousStock, KeyPlace
from .services import (
    record_opening,
    sync_defence_check,
    sync_review,
    sync_stock_check,
    waive_pending,
)


def _place_saved(sender, instance, raw=False, **kwargs):
    if not raw:

        sync_review(instance)


def _defence_saved(sender, instance, raw=False, **kwargs):
    if not raw:

        sync_defence_check(instance)


def _stock_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw:
        if created:  # registered with a quantity: the ledger starts from it, however it was created
            record_opening(instance)
        sync_stock_check(instance)


def _deleted(sender, instance, **kwargs):

    waive_pending(instance, _("The register entry was deleted."))


def connect():
    post_save.connect(_place_saved, sender=KeyPlace, dispatch_uid="registers_place_review")
    post_save.connect(_defence_saved, sender=Defence, dispatch_uid="registers_defence_check")
    post_save.connect(_stock_saved, sender=HazardousStock, dispatch_uid="registers_stock_check")
    for model in (KeyPlace, Defence, HazardousStock):
        pre_delete.connect(_deleted, sender=model, dispatch_uid=f"registers_waive_{model.__name__}")
