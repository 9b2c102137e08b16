from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.docx", views.report_docx, name="report_docx"),
]
