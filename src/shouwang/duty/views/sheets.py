"""The duty table in and out: Excel export (date rows × posts, names in cells), the month on A4
landscape for printing (Word), and the import of an office's own table with a preview."""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import generic

from shouwang.core.documents import docx_response, xlsx_response
from shouwang.core.scope import can_at

from .. import exports, importing
from ..forms import ImportForm
from ..models import Roster
from .common import subnav

SESSION_KEY = "duty_imports"


def _roster(request, pk, action="view"):
    roster = get_object_or_404(Roster.objects.restrict(request.user, "view").select_related("jurisdiction"), pk=pk)
    if action != "view" and not can_at(request.user, "duty", action, roster.scope_path):
        raise PermissionDenied(_("You may view this roster but not change it."))
    return roster


class RosterExportView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        roster = _roster(request, pk)
        return xlsx_response(exports.workbook(roster), roster.name)


class RosterPrintView(LoginRequiredMixin, generic.View):
    """The month on A4 landscape (Word), to print and sign."""

    def get(self, request, pk):
        roster = _roster(request, pk)
        return docx_response(exports.month_document(roster), roster.name)


class RosterImportView(LoginRequiredMixin, generic.FormView):
    """Upload the office's own table for a draft roster; the preview comes next, nothing is written yet."""

    template_name = "duty/import_upload.html"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.roster = _roster(request, kwargs["pk"], "change")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(roster=self.roster, columns=[h for _s, _p, h in exports.columns(self.roster)],
                   duty_nav=subnav(self.request.user))
        return ctx

    def form_valid(self, form):
        if self.roster.is_published:
            form.add_error(None, _("This roster is published: import into a draft roster."))
            return self.form_invalid(form)
        token = uuid.uuid4().hex
        upload = form.cleaned_data["file"]
        stored = default_storage.save(f"duty/imports/{token}.xlsx", upload)
        pending = self.request.session.get(SESSION_KEY, {})
        pending[token] = {"path": stored, "name": upload.name, "roster": self.roster.pk}
        self.request.session[SESSION_KEY] = pending
        return HttpResponseRedirect(reverse("duty:roster_import_preview", args=[self.roster.pk, token]))


class RosterImportPreviewView(LoginRequiredMixin, generic.View):
    """Each row's day and names with its problems; confirm writes, cancel forgets the file."""

    template_name = "duty/import_preview.html"

    def _pending(self, pk, token):
        entry = self.request.session.get(SESSION_KEY, {}).get(token)
        if entry is None or entry["roster"] != pk or not default_storage.exists(entry["path"]):
            raise Http404
        return entry

    def _forget(self, token, entry):
        default_storage.delete(entry["path"])
        pending = self.request.session.get(SESSION_KEY, {})
        pending.pop(token, None)
        self.request.session[SESSION_KEY] = pending

    def _sheet(self, roster, token, entry):
        try:
            with default_storage.open(entry["path"], "rb") as f:
                return importing.parse(f, roster, self.request.user)
        except Exception:  # not a workbook: said in words, never the library's exception
            self._forget(token, entry)
            messages.error(self.request, _("“%(name)s” could not be read as an Excel workbook (.xlsx). Save it from "
                                           "Excel or WPS as “Excel workbook (*.xlsx)” and upload it again.")
                           % {"name": entry["name"]})
            return None

    def get(self, request, pk, token):
        roster = _roster(request, pk, "change")
        entry = self._pending(pk, token)
        sheet = self._sheet(roster, token, entry)
        if sheet is None:
            return HttpResponseRedirect(reverse("duty:roster_import", args=[pk]))
        return self._page(sheet, token, entry)

    def post(self, request, pk, token):
        roster = _roster(request, pk, "change")
        entry = self._pending(pk, token)
        if "cancel" in request.POST:
            self._forget(token, entry)
            messages.success(request, _("Import cancelled; nothing was written."))
            return HttpResponseRedirect(roster.get_absolute_url())
        sheet = self._sheet(roster, token, entry)
        if sheet is None:
            return HttpResponseRedirect(reverse("duty:roster_import", args=[pk]))
        try:
            result = importing.apply(sheet, user=request.user, only_valid=bool(request.POST.get("only_valid")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
            return self._page(sheet, token, entry)
        self._forget(token, entry)
        messages.success(request, _("Imported: %(assignments)s duties on %(days)s days, %(skipped)s rows skipped.")
                         % result)
        return HttpResponseRedirect(roster.get_absolute_url() + "?view=month")

    def _page(self, sheet, token, entry):
        return render(self.request, self.template_name, {
            "sheet": sheet, "roster": sheet.roster, "counts": sheet.counts(), "token": token,
            "file_name": entry["name"], "headings": [h for _s, _p, h in sheet.columns],
            "duty_nav": subnav(self.request.user)})


urlpatterns = [
    path("rosters/<int:pk>/export/", RosterExportView.as_view(), name="roster_export"),
    path("rosters/<int:pk>/print/", RosterPrintView.as_view(), name="roster_print"),
    path("rosters/<int:pk>/import/", RosterImportView.as_view(), name="roster_import"),
    path("rosters/<int:pk>/import/<str:token>/", RosterImportPreviewView.as_view(), name="roster_import_preview"),
]
