"""Pages: the hazard-ledger import (preview, then confirm), the Excel export of orders, and the
button that installs the shipped checklists on a node."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.documents import xlsx_response
from shouwang.core.scope import can, can_at, nodes_where

from .. import exports, importing, services
from ..filtersets import RectificationOrderFilterSet
from ..models import RectificationOrder

SESSION_KEY = "inspections_imports"
AREA = "inspections"


def _back(name, default="/"):
    try:
        return reverse(name)
    except NoReverseMatch:
        return default


class HazardImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return f


class _MayImport(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, AREA, "add"):
            raise PermissionDenied(_("You may not import hazards."))
        return super().dispatch(request, *args, **kwargs)


class HazardImportView(_MayImport, generic.FormView):
    """Upload an office's hazard ledger; the preview comes next, nothing is written yet."""

    template_name = "inspections/import_upload.html"
    form_class = HazardImportForm

    def form_valid(self, form):
        token = uuid.uuid4().hex
        upload = form.cleaned_data["file"]
        stored = default_storage.save(f"inspections/imports/{token}.xlsx", upload)
        pending = self.request.session.get(SESSION_KEY, {})
        pending[token] = {"path": stored, "name": upload.name}
        self.request.session[SESSION_KEY] = pending
        return HttpResponseRedirect(reverse("inspections:hazard_import_preview", args=[token]))


class HazardImportPreviewView(_MayImport, generic.View):
    """Each row's outcome with its reasons; confirm writes the valid rows, cancel forgets the file."""

    template_name = "inspections/import_preview.html"

    def _pending(self, token):
        entry = self.request.session.get(SESSION_KEY, {}).get(token)
        if entry is None or not default_storage.exists(entry["path"]):
            raise Http404
        return entry

    def _forget(self, token, entry):
        default_storage.delete(entry["path"])
        pending = self.request.session.get(SESSION_KEY, {})
        pending.pop(token, None)
        self.request.session[SESSION_KEY] = pending

    def _sheet(self, token, entry):
        try:
            with default_storage.open(entry["path"], "rb") as f:
                return importing.parse(f, self.request.user)
        except Exception:  # not a workbook: said in words, never the library's exception
            self._forget(token, entry)
            messages.error(self.request, _("“%(name)s” could not be read as an Excel workbook (.xlsx). Save it from "
                                           "Excel or WPS as “Excel workbook (*.xlsx)” and upload it again.")
                           % {"name": entry["name"]})
            return None

    def get(self, request, token):
        entry = self._pending(token)
        sheet = self._sheet(token, entry)
        if sheet is None:
            return HttpResponseRedirect(reverse("inspections:hazard_import"))
        return self._page(sheet, token, entry)

    def post(self, request, token):
        entry = self._pending(token)
        if "cancel" in request.POST:
            self._forget(token, entry)
            messages.success(request, _("Import cancelled; nothing was written."))
            return HttpResponseRedirect(reverse("inspections:hazard_import"))
        sheet = self._sheet(token, entry)
        if sheet is None:
            return HttpResponseRedirect(reverse("inspections:hazard_import"))
        try:
            result = importing.apply(sheet, user=request.user, only_valid=bool(request.POST.get("only_valid")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
            return self._page(sheet, token, entry)
        self._forget(token, entry)
        messages.success(request, _("Imported: %(created)s findings with their orders, %(existing)s already "
                                    "imported, %(skipped)s rows skipped.") % result)
        return HttpResponseRedirect(_back("inspections:rectificationorder_list", reverse("inspections:hazard_import")))

    def _page(self, sheet, token, entry):
        return render(self.request, self.template_name, {
            "sheet": sheet, "counts": sheet.counts(), "token": token, "file_name": entry["name"],
        })


class OrderExportView(LoginRequiredMixin, generic.View):
    """The orders the user may see, filtered like the order list, as an Excel ledger."""

    def get(self, request):
        base = RectificationOrder.objects.restrict(request.user, "view")
        filterset = RectificationOrderFilterSet(request.GET or None, queryset=base, request=request)
        orders = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        content = exports.workbook(orders.order_by("deadline", "pk"))
        return xlsx_response(content, f"隐患整改台账-{timezone.localdate():%Y%m%d}")


class InstallChecklistsView(LoginRequiredMixin, generic.View):
    """POST: install the shipped checklists on a node (`node`: its id; the user's highest node
    where he may add by default). Templates already there by name are left alone."""

    def post(self, request):
        nodes = nodes_where(request.user, AREA, "add").order_by("depth", "path")
        wanted = request.POST.get("node")
        node = nodes.filter(pk=wanted).first() if str(wanted or "").isdigit() else nodes.first()
        if node is None or not can_at(request.user, AREA, "add", node.path):
            raise PermissionDenied(_("You may not add checklists here."))
        made = services.install_standard_checklists(node, user=request.user)
        if made:
            messages.success(request, _("%(n)s standard checklists installed on %(node)s.")
                             % {"n": len(made), "node": node.name})
        else:
            messages.info(request, _("The standard checklists are already on %(node)s.") % {"node": node.name})
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(_back("inspections:checklisttemplate_list"))


urlpatterns = [
    path("hazards/import/", HazardImportView.as_view(), name="hazard_import"),
    path("hazards/import/<str:token>/", HazardImportPreviewView.as_view(), name="hazard_import_preview"),
    path("orders/export/", OrderExportView.as_view(), name="rectificationorder_export"),
    path("templates/install-standard/", InstallChecklistsView.as_view(), name="install_checklists"),
]
