from .views import DailyReportViewSet


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("daily-reports", DailyReportViewSet)
