from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("policies", views.PolicyViewSet)
    router.register("policy-versions", views.PolicyVersionViewSet)
    router.register("node-policies", views.NodePolicyViewSet)
    router.register("effective-policies", views.EffectivePolicyViewSet, basename="effective-policy")
