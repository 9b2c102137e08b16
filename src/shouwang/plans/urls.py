"""Pages of plans, one list per family (each views/<family>.py exports its urlpatterns)."""

from .views import campaigns, drills, phone, plans, training

app_name = "plans"

urlpatterns = [
    *plans.urlpatterns,
    *drills.urlpatterns,
    *training.urlpatterns,
    *campaigns.urlpatterns,
    *phone.urlpatterns,
]
