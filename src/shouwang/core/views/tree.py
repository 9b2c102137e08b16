"""The jurisdiction tree: browser, node page with rolled-up counts, moves, directory, changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..filtersets import ChangeLogFilterSet, JurisdictionFilterSet
from ..forms import JurisdictionForm, MoveForm
from ..geo import node_features
from ..models import ChangeLogEntry, Contact, Group, Jurisdiction, Membership, Person, Unit
from ..registry import on_duty_now
from ..scope import can, can_at
from ..services import move_node, rolled_up_counts
from .base import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)


def _visible_roots(user):
    """The top nodes of the user's scope (their own nodes, not their ancestors)."""
    nodes = list(Jurisdiction.objects.restrict(user, "view").only("pk", "path", "depth"))
    tops = []
    for node in nodes:  # ordered by path, so ancestors come first
        if not any(node.path.startswith(top.path) for top in tops):
            tops.append(node)
    return tops


def _counts(user, nodes):
    return rolled_up_counts(
        nodes,
        {
            "units": Unit.objects.restrict(user, "view"),
            "people": Person.objects.restrict(user, "view"),
        },
    )


@login_required
def tree(request):
    """Tree browser: the user's top nodes; children load on demand (HTMX)."""
    roots = list(Jurisdiction.objects.filter(pk__in=[n.pk for n in _visible_roots(request.user)]))
    return render(
        request,
        "core/tree.html",
        {"nodes": roots, "counts": _counts(request.user, roots), "can_add": can(request.user, "org", "add"),
         "can_import_outlines": can(request.user, "org", "change")},
    )


@login_required
def tree_children(request, pk):
    node = get_object_or_404(Jurisdiction.objects.restrict(request.user, "view"), pk=pk)
    children = list(node.children())
    return render(request, "core/_tree_nodes.html", {"nodes": children, "counts": _counts(request.user, children)})


class JurisdictionListView(ObjectListView):
    model = Jurisdiction
    url_base = "core:jurisdiction"
    filterset_class = JurisdictionFilterSet
    columns = ["code", "name", "level", "resident_population"]


class JurisdictionDetailView(ObjectDetailView):
    model = Jurisdiction
    url_base = "core:jurisdiction"
    template_name = "core/jurisdiction_detail.html"
    fields = ["code", "name", "level", "area_km2", "resident_population", "actual_population", "lat", "lon"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        node, user = self.object, self.request.user
        children = list(node.children())
        ctx["ancestors"] = [a for a in node.ancestors() if can_at(user, "org", "view", a.path)]
        ctx["children"] = children
        ctx["counts"] = _counts(user, [node, *children])
        ctx["groups"] = Group.objects.restrict(user).filter(jurisdiction=node)
        ctx["recent_changes"] = (ChangeLogEntry.objects.restrict(user, "view")
                                 .filter(jurisdiction__path__startswith=node.path).select_related("content_type", "user__person")[:20]
                                 if can_at(user, "audit", "view", node.path) else None)
        ctx["can_move"] = ctx["can_change"] and node.depth > 1
        return ctx


def _outline_context(user, parent, node=None):
    """The nodes drawn around an outline being edited: the parent, its other children and the
    node's own children, as far as the user may see them."""
    if parent is None and node is None:
        return node_features([])
    visible = Jurisdiction.objects.restrict(user, "view")
    q = Q(pk=parent.pk) | Q(path__startswith=parent.path, depth=parent.depth + 1) if parent else Q(pk__in=[])
    if node is not None:
        q |= Q(path__startswith=node.path, depth=node.depth + 1)
    nodes = visible.filter(q)
    if node is not None:
        nodes = nodes.exclude(pk=node.pk)
    return node_features(nodes)


class JurisdictionCreateView(ObjectCreateView):
    model = Jurisdiction
    url_base = "core:jurisdiction"
    form_class = JurisdictionForm
    template_name = "core/jurisdiction_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if "parent" in self.request.GET:
            initial["parent"] = self.request.GET["parent"]
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pk = self.request.POST.get("parent") or self.request.GET.get("parent") or ""
        parent = Jurisdiction.objects.restrict(self.request.user, "view").filter(pk=pk).first() if pk.isdigit() else None
        ctx["outline_context"] = _outline_context(self.request.user, parent)
        return ctx


class JurisdictionUpdateView(ObjectUpdateView):
    model = Jurisdiction
    url_base = "core:jurisdiction"
    form_class = JurisdictionForm
    template_name = "core/jurisdiction_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["outline_context"] = _outline_context(self.request.user, self.object.parent_node(), self.object)
        return ctx


class JurisdictionDeleteView(ObjectDeleteView):
    model = Jurisdiction
    url_base = "core:jurisdiction"


@login_required
def move(request, pk):
    node = get_object_or_404(Jurisdiction.objects.restrict(request.user, "view"), pk=pk)
    if not can_at(request.user, "org", "change", node.path):
        raise PermissionDenied(_("You may not move this node."))
    form = MoveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            node = move_node(node, form.cleaned_data["parent"])
        except ValidationError as exc:
            for msg in exc.message_dict.get("parent", []) + exc.message_dict.get("level", []):
                form.add_error("parent", msg)
        else:
            messages.success(request, _("Moved."))
            return redirect(node.get_absolute_url())
    return render(request, "core/jurisdiction_move.html", {"object": node, "form": form})


@login_required
def directory(request, pk):
    """Who to call for a node, in order: its contact list, its groups, its units' contacts."""
    node = get_object_or_404(Jurisdiction.objects.restrict(request.user, "view"), pk=pk)
    contacts = Contact.objects.restrict(request.user).filter(jurisdiction=node).select_related("person")
    members = (
        Membership.objects.restrict(request.user)
        .filter(group__jurisdiction=node)
        .select_related("group", "person")
        .order_by("group__kind", "group__name", "order", "pk")
    )
    units = (
        Unit.objects.restrict(request.user)
        .filter(jurisdiction__path__startswith=node.path)
        .select_related("responsible_person", "liaison", "jurisdiction")
    )
    ancestors = [a for a in node.ancestors() if can_at(request.user, "org", "view", a.path)]
    upward = Contact.objects.restrict(request.user).filter(jurisdiction__in=ancestors).select_related("person", "jurisdiction")
    return render(
        request,
        "core/directory.html",
        {"node": node, "contacts": contacts, "members": members, "units": units, "upward": upward,
         "on_duty": on_duty_now(node, timezone.now())},
    )


class ChangeLogListView(ObjectListView):
    """The change log, read-only: a node's recent changes with `?node=`."""

    model = ChangeLogEntry
    url_base = "core:changelog"
    filterset_class = ChangeLogFilterSet
    template_name = "core/changelog_list.html"
    partial_template_name = "core/_changelog_table.html"
    select_related = ["user__person", "content_type"]
    columns = []
