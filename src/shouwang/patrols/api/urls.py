from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    router.register("patrols/teams", views.TeamViewSet)
    router.register("patrols/routes", views.RouteViewSet)
    router.register("patrols/checkpoints", views.CheckpointViewSet)
    router.register("patrols/schedules", views.ScheduleViewSet)
    router.register("patrols/checkins", views.CheckInViewSet)
    router.register("patrols/sightings", views.SightingViewSet)
    router.register("patrols/sync", views.SyncViewSet, basename="patrol-sync")
    router.register("patrols/windows", views.WindowViewSet, basename="patrol-window")
    router.register("patrols/coverage", views.CoverageViewSet, basename="patrol-coverage")
