"""Pages of inspections, one list per family (each views/<family>.py exports its urlpatterns)."""

from . import phone
from .views import inspections, orders, plans, sheets, supervision, templates

app_name = "inspections"

urlpatterns = [
    *sheets.urlpatterns,  # first: its fixed paths (orders/export/) before the families' <pk> ones
    *inspections.urlpatterns,
    *templates.urlpatterns,
    *orders.urlpatterns,
    *plans.urlpatterns,
    *supervision.urlpatterns,
    *phone.urlpatterns,
]
