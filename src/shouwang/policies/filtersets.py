
from shouwang.core.filtersets import ScopedChoicesFilterSet, ScopedFilterSet

from .models import NodePolicy, Policy, PolicyVersion


class PolicyFilterSet(ScopedChoicesFilterSet):
    class Meta:
        model = Policy
        fields = ["code", "jurisdiction"]


class PolicyVersionFilterSet(ScopedChoicesFilterSet):
    class Meta:
        model = PolicyVersion
        fields = ["policy"]


class NodePolicyFilterSet(ScopedFilterSet):
    class Meta:
        model = NodePolicy
        fields = ["jurisdiction", "policy"]
