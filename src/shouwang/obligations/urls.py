from django.urls import path

from shouwang.core.views.base import crud_urls

from . import views

app_name = "obligations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("board/", views.ObligationBoardView.as_view(), name="board"),
    path("<int:pk>/", views.ObligationDetailView.as_view(), name="obligation_detail"),
    path("<int:pk>/waive/", views.WaiveView.as_view(), name="obligation_waive"),
    path("<int:pk>/meet/", views.MeetView.as_view(), name="obligation_meet"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="obligation_reopen"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("inbox/count.json", views.inbox_count, name="inbox_count"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox_open"),
    *crud_urls("webhooks", "webhook", list=views.WebhookListView, detail=views.WebhookDetailView,
               create=views.WebhookCreateView, edit=views.WebhookUpdateView, delete=views.WebhookDeleteView),
]
