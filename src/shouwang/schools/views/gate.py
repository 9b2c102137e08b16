"""Pages of gate duty: the windows with their state, and one window with who was rostered in each
role and who confirmed when and where."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouwang.core.views.base import ObjectDetailView, ObjectListView

from .. import queries
from ..filtersets import GateWindowFilterSet
from ..models import GateWindow


class GateWindowListView(ObjectListView):
    model = GateWindow
    url_base = "schools:gatewindow"
    filterset_class = GateWindowFilterSet
    template_name = "schools/gatewindow_list.html"
    partial_template_name = "schools/_gatewindow_table.html"
    select_related = ["school__unit"]
    sort_columns = {"day": (gettext_lazy("day"), "day"), "school": (gettext_lazy("school"), "school__unit__name")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gate_rows"] = queries.gate_rows(ctx["object_list"], timezone.now())
        return ctx


class GateWindowDetailView(ObjectDetailView):
    model = GateWindow
    url_base = "schools:gatewindow"
    template_name = "schools/gatewindow_detail.html"
    select_related = ["school__unit", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["row"] = queries.gate_rows([self.object], timezone.now())[0]
        return ctx


urlpatterns = [
    path("gate/", GateWindowListView.as_view(), name="gatewindow_list"),
    path("gate/<int:pk>/", GateWindowDetailView.as_view(), name="gatewindow_detail"),
]
