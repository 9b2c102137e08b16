"""Excel export of the registers; import with a preview and nothing written until confirmed."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.documents import xlsx_response

from .. import importing
from ..exports import workbook
from ..filtersets import KeyPlaceFilterSet
from ..forms import ImportForm
from ..models import KeyPlace
from ..models.words import may_import

SESSION_KEY = "registers_imports"


@login_required
def export(request):
    base = KeyPlace.objects.restrict(request.user, "view")
    filterset = KeyPlaceFilterSet(request.GET or None, queryset=base, request=request)
    places = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return xlsx_response(workbook(request.user, places), f"registers-{timezone.localdate():%Y%m%d}")


def _may_import(user):
    if not may_import(user):
        raise PermissionDenied(_("You may not import registers."))


@login_required
def import_upload(request):
    _may_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = uuid.uuid4().hex
        path = default_storage.save(f"registers/imports/{token}.xlsx", form.cleaned_data["file"])
        pending = request.session.get(SESSION_KEY, {})
        target = form.cleaned_data["node"]
        pending[token] = {"path": path, "gcj02": form.cleaned_data["gcj02"], "name": form.cleaned_data["file"].name,
                          "node": target.pk if target else None}
        request.session[SESSION_KEY] = pending
        return HttpResponseRedirect(reverse("registers:import_preview", args=[token]))
    return render(request, "registers/import.html", {"form": form})


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
    try:
        with default_storage.open(entry["path"], "rb") as f:
            sheet = importing.parse(f, request.user, gcj02=entry["gcj02"], target=entry.get("node"))
    except Exception:  # not a readable workbook: say so in words, never the library's exception
        _forget(request, token, entry)
        messages.error(request, _("“%(name)s” could not be read as an Excel workbook (.xlsx). Save it from Excel or "
                                  "WPS as “Excel workbook (*.xlsx)” and upload it again.") % {"name": entry["name"]})
        return HttpResponseRedirect(reverse("registers:import"))
    if request.method == "POST":
        if "cancel" in request.POST:
            _forget(request, token, entry)
            messages.success(request, _("Import cancelled; nothing was written."))
            return HttpResponseRedirect(reverse("registers:import"))
        try:
            result = importing.apply(sheet, only_valid=bool(request.POST.get("only_valid")))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _forget(request, token, entry)
            messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                                        "%(skipped)s rows skipped.") % result)
            return HttpResponseRedirect(reverse("registers:keyplace_list"))
    return render(request, "registers/import_preview.html", {
        "sheet": sheet, "counts": sheet.counts(), "token": token, "file_name": entry["name"],
        "columns": sorted(sheet.columns, key=sheet.columns.get),
    })
