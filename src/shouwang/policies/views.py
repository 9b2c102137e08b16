"""Policy pages: the list, a policy with its versions, editing (= a new version), a node's own
copy of a preset, a node's effective policy, and assigning policies to nodes."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.filtersets import ScopedChoicesFilterSet
from shouwang.core.scope import can, can_at, nodes_where
from shouwang.core.views.base import ObjectCreateView, ObjectDeleteView, ObjectListView, history_of

from . import labels, services
from .forms import NodePolicyForm, PolicyCreateForm, PolicyVersionForm
from .models import NodePolicy, Policy, PolicyVersion


class PolicyFilterSet(ScopedChoicesFilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("search"))
    preset = django_filters.BooleanFilter(field_name="jurisdiction", lookup_expr="isnull", label=gettext_lazy("preset"))

    class Meta:
        model = Policy
        fields = ["q", "preset"]

    def search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PolicyListView(ObjectListView):
    model = Policy
    url_base = "policies:policy"
    filterset_class = PolicyFilterSet
    columns = ["name", "code", "jurisdiction"]
    select_related = ["jurisdiction"]


def _policy(request, pk, action="view"):
    policy = get_object_or_404(Policy.objects.restrict(request.user, "view").select_related("jurisdiction"), pk=pk)
    if action != "view" and not can_at(request.user, "policies", action, policy.scope_path):
        if policy.is_preset:
            raise PermissionDenied(_("Presets ship with Shouwang; copy one to make your node's own policy."))
        raise PermissionDenied(_("You may view this policy but not change it."))
    return policy


@login_required
def policy_detail(request, pk):
    policy = _policy(request, pk)
    now = timezone.now()
    current = policy.current_version(now)
    versions = list(policy.versions.select_related("created_by").annotate(used=Count("obligations")).order_by("-number"))
    ctx = {
        "object": policy, "current": current, "versions": versions, "now": now,
        "rules_yaml": services.as_yaml(current.rules) if current else "",
        "assignments": NodePolicy.objects.restrict(request.user, "view").filter(policy=policy).select_related("jurisdiction"),
        "can_change": can_at(request.user, "policies", "change", policy.scope_path),
        "can_copy": can(request.user, "policies", "add"),
        "history": history_of(policy, request.user),
    }
    return render(request, "policies/policy_detail.html", ctx)


@login_required
def version_detail(request, pk):
    version = get_object_or_404(
        PolicyVersion.objects.restrict(request.user, "view").select_related("policy", "created_by"), pk=pk
    )
    ctx = {"object": version, "policy": version.policy, "rules_yaml": services.as_yaml(version.rules),
           "sections": [(labels.section_label(k), labels.table(k, v)) for k, v in (version.rules or {}).items()],
           "obligations": version.obligations.count()}
    return render(request, "policies/policyversion_detail.html", ctx)


@login_required
def policy_edit(request, pk):
    """Editing saves a new version; the old ones stay as they were for the clocks that use them."""
    policy = _policy(request, pk, "change")
    latest = policy.versions.order_by("-number").first()
    if request.method == "POST":
        form = PolicyVersionForm(request.POST)
        if form.is_valid():
            try:
                services.new_version(policy, form.cleaned_data["rules"], user=request.user,
                                     note=form.cleaned_data["note"], effective_from=form.cleaned_data["effective_from"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved as a new version."))
                return redirect(policy)
    else:
        form = PolicyVersionForm(initial={"rules": services.as_yaml(latest.rules) if latest else "",
                                          "effective_from": timezone.localtime().replace(second=0, microsecond=0)})
    return render(request, "policies/policy_edit.html", {"object": policy, "form": form, "latest": latest})


@login_required
def policy_create(request):
    if not can(request.user, "policies", "add"):
        raise PermissionDenied(_("You may not add records here."))
    form = PolicyCreateForm(request.POST or None, user=request.user, initial={"source": request.GET.get("source")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.copy_policy(data["source"], node=data["jurisdiction"], code=data["code"],
                                          name=data["name"], user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect(policy)
    return render(request, "policies/policy_create.html", {"form": form})


@login_required
def effective(request, node_pk):
    """The rules a node uses, section by section: value, policy version, own or inherited."""
    node = get_object_or_404(nodes_where(request.user, "policies", "view"), pk=node_pk)
    rows = services.explain(node)
    for row in rows:
        row.yaml = services.as_yaml({row.section: row.value})
        row.label, row.table = labels.section_label(row.section), labels.table(row.section, row.value)
    own = NodePolicy.objects.filter(jurisdiction=node).select_related("policy")
    inherited = (NodePolicy.objects.filter(jurisdiction__in=node.ancestors()).select_related("policy", "jurisdiction")
                 .order_by("jurisdiction__depth", "priority"))
    ctx = {
        "node": node, "rows": rows, "own": own, "inherited": inherited,
        "can_assign": can_at(request.user, "policies", "add", node.path),
        "can_unassign": can_at(request.user, "policies", "delete", node.path),
        "ancestors": [a for a in node.ancestors() if can_at(request.user, "policies", "view", a.path)],
        "children": nodes_where(request.user, "policies", "view").filter(
            path__startswith=node.path, depth=node.depth + 1),
    }
    return render(request, "policies/effective.html", ctx)


@login_required
def effective_home(request):
    """The effective policy of the top node the user may see."""
    node = nodes_where(request.user, "policies", "view").order_by("depth", "path").first()
    if node is None:
        raise PermissionDenied(_("You may not view policies."))
    return redirect("policies:effective", node.pk)


class NodePolicyCreateView(ObjectCreateView):
    model = NodePolicy
    form_class = NodePolicyForm
    url_base = "policies:nodepolicy"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form_title"] = _("Assign a policy to a node")
        ctx["list_url"] = reverse("policies:policy_list")
        return ctx


class NodePolicyDeleteView(ObjectDeleteView):
    model = NodePolicy
    url_base = "policies:nodepolicy"

    def form_valid(self, form):
        node_pk = self.object.jurisdiction_id
        services.unassign(self.object)
        messages.success(self.request, _("The policy no longer applies to this node."))
        return HttpResponseRedirect(reverse("policies:effective", args=[node_pk]))
