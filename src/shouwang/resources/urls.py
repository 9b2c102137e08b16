"""Pages of resources, one list per family (each views/<family>.py exports its urlpatterns)."""

from . import phone
from .views import equipment, overview, points, reserve, sheets, supplies

app_name = "resources"

urlpatterns = [
    *overview.urlpatterns,
    *sheets.urlpatterns,  # before the families: its fixed paths (ledger/export/) before their <pk> ones
    *supplies.urlpatterns,
    *equipment.urlpatterns,
    *reserve.urlpatterns,
    *points.urlpatterns,
    *phone.urlpatterns,
]
