"""Excel and Word: the ledger and an item's stock card out, an office's supplies ledger in (with a
preview, nothing written until confirmed), the readiness summary of a node."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.documents import docx_response, xlsx_response
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can

from .. import exports, importing, queries
from ..filtersets import StockMovementFilterSet
from ..forms import ImportForm
from ..models import StockMovement, Store, SupplyItem

SESSION_KEY = "resources_imports"


@login_required
def ledger_export(request):
    base = StockMovement.objects.restrict(request.user, "view")
    filterset = StockMovementFilterSet(request.GET or None, queryset=base, request=request)
    movements = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return xlsx_response(exports.ledger_workbook(movements), f"出入库台账-{timezone.localdate():%Y%m%d}")


@login_required
def stock_card_export(request, pk):
    item = get_object_or_404(SupplyItem.objects.restrict(request.user, "view"), pk=pk)
    store = get_object_or_404(Store.objects.restrict(request.user, "view"), pk=_int(request.GET.get("store")))
    opening, rows = queries.stock_card(item, store)
    return xlsx_response(exports.stock_card_workbook(item, store, opening, rows),
                         f"物资卡-{item.name}-{store.name}-{timezone.localdate():%Y%m%d}")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _may_import(user):
    if not can(user, "resources", "add"):
        raise PermissionDenied(_("You may not import supplies."))


@login_required
def import_upload(request):
    _may_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        saved = default_storage.save(f"resources/imports/{token}.xlsx", form.cleaned_data["file"])
        pending = request.session.get(SESSION_KEY, {})
        store = form.cleaned_data["store"]
        pending[token] = {"path": saved, "name": form.cleaned_data["file"].name, "store": store.pk if store else None}
        request.session[SESSION_KEY] = pending
        return HttpResponseRedirect(reverse("resources:import_preview", args=[token]))
    return render(request, "resources/import.html", {"form": form})


def _pending(request, token):
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not default_storage.exists(entry["path"]):
        raise Http404
    return entry


def _forget(request, token, entry):
    default_storage.delete(entry["path"])
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


@login_required
def import_preview(request, token):
    _may_import(request.user)
    entry = _pending(request, token)
    store = Store.objects.restrict(request.user, "change").filter(pk=entry.get("store")).first()
    try:
        with default_storage.open(entry["path"], "rb") as f:
            sheet = importing.parse(f, request.user, store=store)
    except Exception:  # not a readable workbook: say so in words, never the library's exception
        _forget(request, token, entry)
        messages.error(request, _("“%(name)s” could not be read as an Excel workbook (.xlsx). Save it from Excel or "
                                  "WPS as “Excel workbook (*.xlsx)” and upload it again.") % {"name": entry["name"]})
        return HttpResponseRedirect(reverse("resources:import"))
    if request.method == "POST":
        if "cancel" in request.POST:
            _forget(request, token, entry)
            messages.success(request, _("Import cancelled; nothing was written."))
            return HttpResponseRedirect(reverse("resources:import"))
        try:
            result = importing.apply(sheet, request.user, only_valid=bool(request.POST.get("only_valid")))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _forget(request, token, entry)
            messages.success(request, _("Imported: %(received)s rows received, %(imported)s already imported before, "
                                        "%(items)s items added to the catalogue, %(skipped)s rows skipped.") % result)
            return HttpResponseRedirect(reverse("resources:stockmovement_list"))
    columns = sorted(sheet.columns, key=sheet.columns.get)
    return render(request, "resources/import_preview.html", {
        "sheet": sheet, "counts": sheet.counts(), "token": token, "file_name": entry["name"], "store": store,
        "columns": [(c, importing.COLUMNS[c][0]) for c in columns]})


def _node_for(request):
    """The node asked for (?node=), else the user's highest node in view."""
    nodes = Jurisdiction.objects.restrict(request.user, "view")
    node = nodes.filter(pk=_int(request.GET.get("node"))).first()
    return node or nodes.order_by("depth", "path").first()


@login_required
def readiness_docx(request):
    if not can(request.user, "resources", "view"):
        raise PermissionDenied(_("You may not view resources."))
    node = _node_for(request)
    if node is None:
        raise Http404
    report = queries.readiness(node, request.user)
    return docx_response(exports.readiness_docx(report), f"应急资源准备情况-{node.name}-{timezone.localdate():%Y%m%d}")


urlpatterns = [
    path("ledger/export/", ledger_export, name="ledger_export"),
    path("items/<int:pk>/card/export/", stock_card_export, name="stock_card_export"),
    path("import/", import_upload, name="import"),
    path("import/<str:token>/", import_preview, name="import_preview"),
    path("readiness.docx", readiness_docx, name="readiness_docx"),
]
