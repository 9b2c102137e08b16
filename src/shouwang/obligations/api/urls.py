from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("obligations", views.ObligationViewSet)
    router.register("notifications", views.NotificationViewSet)
    router.register("webhooks", views.WebhookViewSet)
