from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from shouwang.core.api.base import ScopedViewSet
from shouwang.core.scope import can_at, nodes_where

from .. import services
from ..filtersets import NodePolicyFilterSet, PolicyFilterSet, PolicyVersionFilterSet
from ..models import NodePolicy, Policy, PolicyVersion
from . import serializers as s


class PolicyViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Presets and the node-owned policies in scope. Create = a node's own copy of a policy."""

    queryset = Policy.objects.all()
    serializer_class = s.PolicySerializer
    filterset_class = PolicyFilterSet

    def get_queryset(self):
        return Policy.objects.restrict(self.request.user, "view").select_related("jurisdiction")

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not can_at(self.request.user, "policies", "add", data["jurisdiction"].path):
            raise PermissionDenied()
        serializer.instance = services.copy_policy(
            data["copy_of"], node=data["jurisdiction"], code=data["code"], name=data["name"],
            user=self.request.user, description=data.get("description", ""),
        )


class PolicyVersionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Versions are never changed: POST saves the next version of a policy (validated, not in the past)."""

    queryset = PolicyVersion.objects.all()
    serializer_class = s.PolicyVersionSerializer
    filterset_class = PolicyVersionFilterSet

    def get_queryset(self):
        return PolicyVersion.objects.restrict(self.request.user, "view").select_related("policy", "created_by")

    action_rights = {"create": "change"}  # a new version changes its policy

    def perform_create(self, serializer):
        data = serializer.validated_data
        policy = data["policy"]
        if not can_at(self.request.user, "policies", "change", policy.scope_path):
            raise PermissionDenied()
        serializer.instance = services.new_version(
            policy, data["rules"], user=self.request.user, note=data.get("note", ""),
            effective_from=data.get("effective_from"),
        )


class NodePolicyViewSet(ScopedViewSet):
    queryset = NodePolicy.objects.all()
    serializer_class = s.NodePolicySerializer
    filterset_class = NodePolicyFilterSet
    select_related = ("jurisdiction", "policy")


class EffectivePolicyViewSet(viewsets.GenericViewSet):
    """`/api/effective-policies/{node_id}/`: each section, its value and the policy version it came from."""

    permission_area = "policies"
    serializer_class = s.EffectivePolicySerializer
    queryset = PolicyVersion.objects.none()  # for the schema; the lookup is a node

    def get_queryset(self):
        return nodes_where(self.request.user, "policies", "view")

    def list(self, request):
        """The nodes in scope (paginated), each with its effective policy."""
        page = self.paginate_queryset(self.get_queryset().order_by("path"))
        data = [{"node": node.pk, "sections": services.explain(node)} for node in page]
        return self.get_paginated_response(s.EffectivePolicySerializer(data, many=True).data)

    def retrieve(self, request, pk=None):
        node = self.get_object()
        data = {"node": node.pk, "sections": services.explain(node)}
        return Response(s.EffectivePolicySerializer(data).data)
