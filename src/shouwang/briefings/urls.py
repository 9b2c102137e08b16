from django.urls import path
from django.views.generic import RedirectView

from .views import briefings, consultations, daily, dashboard

app_name = "briefings"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="briefings:dailyreport_table"), name="index"),
    path("daily/", daily.dailyreport_table, name="dailyreport_table"),
    path("daily/reports/", daily.DailyReportListView.as_view(), name="dailyreport_list"),
    path("daily/reports/new/", daily.DailyReportCreateView.as_view(), name="dailyreport_create"),
    path("daily/reports/<int:pk>/", daily.DailyReportDetailView.as_view(), name="dailyreport_detail"),
    path("daily/reports/<int:pk>/correct/", daily.DailyReportCorrectView.as_view(), name="dailyreport_correct"),
    path("daily/reports/<int:pk>/withdraw/", daily.DailyReportWithdrawView.as_view(), name="dailyreport_withdraw"),
    *briefings.urlpatterns,
    *consultations.urlpatterns,
    *dashboard.urlpatterns,
]
