import django_filters

from shouwang.core.filtersets import ScopedFilterSet

from .models import NodePolicy, Policy, PolicyVersion


class PolicyFilterSet(django_filters.FilterSet):
    class Meta:
        model = Policy
        fields = ["code", "jurisdiction"]


class PolicyVersionFilterSet(django_filters.FilterSet):
    class Meta:
        model = PolicyVersion
        fields = ["policy"]


class NodePolicyFilterSet(ScopedFilterSet):
    class Meta:
        model = NodePolicy
        fields = ["jurisdiction", "policy"]
