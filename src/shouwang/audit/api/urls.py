from .views import AuditViewSet


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("audit", AuditViewSet, basename="audit")
