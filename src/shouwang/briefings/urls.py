from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("daily/", views.dailyreport_table, name="dailyreport_table"),
    path("daily/reports/", views.DailyReportListView.as_view(), name="dailyreport_list"),
    path("daily/reports/new/", views.DailyReportCreateView.as_view(), name="dailyreport_create"),
    path("daily/reports/<int:pk>/", views.DailyReportDetailView.as_view(), name="dailyreport_detail"),
]
