"""The accountability audit as a page (printable) and as a Word document."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from shouwang.core.documents import docx_response
from shouwang.core.scope import can

from . import exports, queries
from .choices import Finding
from .forms import AuditFilterForm


def _report_from(request):
    if not can(request.user, "audit", "view"):
        raise PermissionDenied(_("You may not see the accountability audit."))
    data = request.GET.copy()
    if not data.get("since") and not data.get("until"):  # show the default period in the form
        since, until = queries.default_period()
        data["since"], data["until"] = since.isoformat(), until.isoformat()
    form = AuditFilterForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    report = queries.build(data["node"], data["since"], data["until"], kind=data.get("kind") or None,
                            finding=data.get("state") or None, user=request.user)
    return form, report


@login_required
def report(request):
    form, result = _report_from(request)
    query = urlencode({
        "node": result.node.pk, "since": result.since, "until": result.until,
        **{key: request.GET[key] for key in ("kind", "state") if request.GET.get(key)},
    }) if result else ""
    ctx = {
        "form": form, "report": result, "findings": list(Finding),
        "docx_url": f"{reverse('audit:report_docx')}?{query}", "json_url": f"/api/audit/?{query}",
    }
    return render(request, "audit/report.html", ctx)


@login_required
def report_docx(request):
    form, result = _report_from(request)
    if result is None:
        return render(request, "audit/report.html", {"form": form, "report": None, "findings": list(Finding)}, status=400)
    content = exports.render(result)
    return docx_response(content, f"责任倒查-{result.node.code}-{result.since:%Y%m%d}-{result.until:%Y%m%d}")
