"""Node outlines from a GeoJSON file: upload or paste, preview what each feature does, apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import outlines
from ..forms import OutlineImportForm
from ..scope import can, nodes_where
from ..services import set_outlines


def _preview_features(rows):
    """The outlines about to be set or already so, to see them on a map before applying."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": r.polygon, "properties": {"name": r.node.name, "level": r.node.level}}
        for r in rows if r.polygon is not None]}


@login_required
def outline_import(request):
    if not can(request.user, "org", "change"):
        raise PermissionDenied(_("You may not change nodes."))
    form = OutlineImportForm(request.POST or None, request.FILES or None)
    ctx = {"form": form}
    if request.method == "POST" and form.is_valid():
        rows = outlines.plan(form.cleaned_data["collection"], nodes_where(request.user, "org", "change"),
                             gcj02=form.cleaned_data["gcj02"])
        if "apply" in request.POST:
            to_set = [(r.node, r.polygon) for r in rows if r.outcome == outlines.SET]
            changed, unchanged = set_outlines(request.user, to_set)
            unchanged += sum(1 for r in rows if r.outcome == outlines.UNCHANGED)
            skipped = len(rows) - changed - unchanged
            messages.success(request, _("%(set)s outlines set, %(same)s already so, %(skipped)s features skipped.")
                             % {"set": changed, "same": unchanged, "skipped": skipped})
            return redirect("core:outline_import")
        ctx.update({"rows": rows, "counts": outlines.counts(rows), "source": form.cleaned_data["source"],
                    "gcj02": form.cleaned_data["gcj02"], "preview_json": _preview_features(rows)})
    return render(request, "core/outline_import.html", ctx)
