from django.urls import path
from django.views.generic import RedirectView

from shouwang.core.views.base import crud_urls

from . import phone, views

app_name = "patrols"

urlpatterns = [
    path("", views.today, name="today"),
    *crud_urls("teams", "team", list=views.TeamListView, detail=views.TeamDetailView,
               create=views.TeamCreateView, edit=views.TeamUpdateView, delete=views.TeamDeleteView),
    *crud_urls("routes", "route", list=views.RouteListView, detail=views.RouteDetailView,
               create=views.RouteCreateView, edit=views.RouteUpdateView, delete=views.RouteDeleteView),
    path("routes/<int:pk>/qr/", views.qr_sheet, name="route_qr"),
    *crud_urls("checkpoints", "checkpoint", list=views.CheckpointListView, detail=views.CheckpointDetailView,
               create=views.CheckpointCreateView, edit=views.CheckpointUpdateView, delete=views.CheckpointDeleteView),
    path("checkpoints/<int:pk>/rotate/", views.RotateTokenView.as_view(), name="checkpoint_rotate"),
    *crud_urls("schedules", "schedule", list=views.ScheduleListView, detail=views.ScheduleDetailView,
               create=views.ScheduleCreateView, edit=views.ScheduleUpdateView, delete=views.ScheduleDeleteView),
    # school holidays moved into core's one holiday calendar
    path("holidays/", RedirectView.as_view(pattern_name="core:holiday_list", permanent=True)),
    path("checkins/", views.CheckInListView.as_view(), name="checkin_list"),
    path("checkins/new/", views.manual_checkin, name="checkin_create"),
    path("checkins/<int:pk>/", views.CheckInDetailView.as_view(), name="checkin_detail"),
    path("checkins/<int:pk>/accept/", views.AcceptCheckInView.as_view(), name="checkin_accept"),
    path("checkins/export.xlsx", views.export, name="checkin_export"),
    path("sightings/", views.SightingListView.as_view(), name="sighting_list"),
    path("sightings/<int:pk>/", views.SightingDetailView.as_view(), name="sighting_detail"),
    path("sightings/<int:pk>/photo/", views.sighting_photo, name="sighting_photo"),
    path("members/<int:pk>/", views.member_history, name="member_history"),
    path("coverage/", views.coverage, name="coverage"),
    path("m/", phone.phone, name="phone"),
    path("m/data.json", phone.phone_data, name="phone_data"),
    path("m/manifest.webmanifest", phone.manifest, name="phone_manifest"),
    path("m/sw.js", phone.service_worker, name="phone_sw"),
]
