"""The overview of resources (应急资源): readiness of a node and its subtree at a glance, with the
way into each family and the Word summary."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can

from .. import queries
from ..choices import BUCKET_LABELS
from .sheets import _node_for


@login_required
def overview(request):
    if not can(request.user, "resources", "view"):
        raise PermissionDenied(_("You may not view resources."))
    node = _node_for(request)
    if node is None:
        raise Http404
    report = queries.readiness(node, request.user)
    nodes = Jurisdiction.objects.restrict(request.user, "view").filter(level__in=["district", "street", "community"])
    return render(request, "resources/overview.html", {
        "report": report, "node": node, "nodes": nodes.order_by("path"), "bucket_labels": BUCKET_LABELS,
        "can_add": can(request.user, "resources", "add")})


urlpatterns = [path("", overview, name="overview")]
