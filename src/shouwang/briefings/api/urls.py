from .views import (
    BriefingViewSet,
    ConsultationViewSet,
    DailyReportViewSet,
    DashboardViewSet,
    DecisionViewSet,
    WallScreenViewSet,
)


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("daily-reports", DailyReportViewSet)
    router.register("briefings", BriefingViewSet, basename="briefings-briefing")
    router.register("consultations", ConsultationViewSet)
    router.register("decisions", DecisionViewSet)
    router.register("wall-screens", WallScreenViewSet)
    router.register("dashboard", DashboardViewSet, basename="dashboard")
