from . import views


def register(router):
    router.register("nodes", views.JurisdictionViewSet)
    router.register("units", views.UnitViewSet)
    router.register("people", views.PersonViewSet)
    router.register("groups", views.GroupViewSet)
    router.register("memberships", views.MembershipViewSet)
    router.register("contacts", views.ContactViewSet)
    router.register("roles", views.RoleAssignmentViewSet)
    router.register("holidays", views.HolidayViewSet)
    router.register("changes", views.ChangeLogViewSet)
