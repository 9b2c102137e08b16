from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("key-places", views.KeyPlaceViewSet)
    router.register("defences", views.DefenceViewSet)
    router.register("hazardous-stock", views.HazardousStockViewSet)
    router.register("stock-movements", views.StockMovementViewSet)
    router.register("risk-ratings", views.RiskRatingViewSet)
    router.register("attachments", views.AttachmentViewSet)
