from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "briefings"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="briefings:dailyreport_table"), name="index"),
    path("daily/", views.dailyreport_table, name="dailyreport_table"),
    path("daily/reports/", views.DailyReportListView.as_view(), name="dailyreport_list"),
    path("daily/reports/new/", views.DailyReportCreateView.as_view(), name="dailyreport_create"),
    path("daily/reports/<int:pk>/", views.DailyReportDetailView.as_view(), name="dailyreport_detail"),
    path("daily/reports/<int:pk>/correct/", views.DailyReportCorrectView.as_view(), name="dailyreport_correct"),
    path("daily/reports/<int:pk>/withdraw/", views.DailyReportWithdrawView.as_view(), name="dailyreport_withdraw"),
]
