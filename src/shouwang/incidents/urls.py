from django.urls import path

from shouwang.core.views.base import crud_urls

from . import resources_use, views

app_name = "incidents"

urlpatterns = [
    path("", views.board, name="board"),
    path("intake/", views.QuickIntakeView.as_view(), name="intake"),
    path("phone/", views.PhoneIntakeView.as_view(), name="phone_intake"),
    *crud_urls("all", "incident", list=views.IncidentListView, detail=views.IncidentDetailView,
               create=views.IncidentCreateView, edit=views.IncidentUpdateView, delete=views.IncidentDeleteView),
    path("all/<int:pk>/report/", views.ReportCreateView.as_view(), name="report_create"),
    path("all/<int:pk>/level/", views.LevelView.as_view(), name="level"),
    path("all/<int:pk>/major/", views.MajorKindView.as_view(), name="major_kind"),
    path("all/<int:pk>/activate/", views.ActivationView.as_view(), name="activate"),
    path("all/<int:pk>/handover/", views.HandoverView.as_view(), name="handover"),
    path("all/<int:pk>/log/", views.LogEntryView.as_view(), name="log_create"),
    path("all/<int:pk>/task/", views.TaskView.as_view(), name="task_create"),
    path("all/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("all/<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("all/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("all/<int:pk>/cap/", views.CapView.as_view(), name="cap_create"),
    path("all/<int:pk>/summary/", views.summary, name="summary"),
    path("tasks/<int:pk>/done/", views.TaskDoneView.as_view(), name="task_done"),
    path("responders/<int:pk>/arrive/", views.arrive, name="arrive"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/docx/", views.report_docx, name="report_docx"),
    path("reports/<int:pk>/correct/", views.ReportCorrectionView.as_view(), name="report_correct"),
    path("cap/<int:pk>.xml", views.cap_xml, name="cap_xml"),
    *resources_use.urlpatterns,
]
