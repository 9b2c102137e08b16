from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("incidents", views.IncidentViewSet)
    router.register("incident-reports", views.ReportViewSet)
    router.register("incident-responders", views.ResponderViewSet)
    router.register("incident-tasks", views.TaskViewSet)
    router.register("incident-log", views.LogEntryViewSet)
    router.register("incident-alerts", views.CapMessageViewSet)
    router.register("incident-reviews", views.ReviewViewSet)
