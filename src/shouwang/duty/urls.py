"""Pages of duty, one list per family (each views/<family>.py exports its urlpatterns)."""

from .views import feeds, leave, posture, rosters, runs, sheets, shifts, swaps

app_name = "duty"

urlpatterns = [
    *sheets.urlpatterns,
    *rosters.urlpatterns,
    *runs.urlpatterns,
    *shifts.urlpatterns,
    *swaps.urlpatterns,
    *leave.urlpatterns,
    *posture.urlpatterns,
    *feeds.urlpatterns,
]
