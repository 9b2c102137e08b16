"""Pages of inspections, one list per family (each views/<family>.py exports its urlpatterns)."""

from .views import inspections, orders, plans, supervision, templates

app_name = "inspections"

urlpatterns = [
    *inspections.urlpatterns,
    *templates.urlpatterns,
    *orders.urlpatterns,
    *plans.urlpatterns,
    *supervision.urlpatterns,
]
