"""Pages of the visitor and vehicle logs (personal data): read by the office and the school's own
security staff and leaders, every read logged (who, when, how many records, of which school);
the office's list of those reads."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can
from shouwang.core.views.base import ObjectDetailView, ObjectListView

from .. import services
from ..choices import ReadChannel
from ..filtersets import VehicleEntryFilterSet, VisitorEntryFilterSet, VisitorReadFilterSet
from ..models import VehicleEntry, VisitorEntry, VisitorRead


class _LoggedList(ObjectListView):
    """A list of the log: the page shown is a read, logged per school."""

    what = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        services.log_read(self.request.user, ctx["object_list"], channel=ReadChannel.PAGE, what=self.what)
        ctx["now"] = timezone.now()
        return ctx


class VisitorEntryListView(_LoggedList):
    model = VisitorEntry
    url_base = "schools:visitorentry"
    filterset_class = VisitorEntryFilterSet
    template_name = "schools/visitor_list.html"
    partial_template_name = "schools/_visitor_table.html"
    select_related = ["school__unit", "host"]
    what = gettext_lazy("visitor log")
    sort_columns = {"entered_at": (gettext_lazy("in at"), "entered_at"), "left_at": (gettext_lazy("out at"), "left_at")}


class VisitorEntryDetailView(ObjectDetailView):
    model = VisitorEntry
    url_base = "schools:visitorentry"
    template_name = "schools/visitor_detail.html"
    select_related = ["school__unit", "host", "registered_by__person"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        services.log_read(self.request.user, [self.object], channel=ReadChannel.PAGE,
                          what=_("visitor record %(n)s") % {"n": self.object.pk})
        return ctx


class VehicleEntryListView(_LoggedList):
    model = VehicleEntry
    url_base = "schools:vehicleentry"
    filterset_class = VehicleEntryFilterSet
    template_name = "schools/vehicle_list.html"
    partial_template_name = "schools/_vehicle_table.html"
    select_related = ["school__unit", "host"]
    what = gettext_lazy("vehicle log")
    sort_columns = {"at": (gettext_lazy("at the gate at"), "at")}


class VehicleEntryDetailView(ObjectDetailView):
    model = VehicleEntry
    url_base = "schools:vehicleentry"
    template_name = "schools/vehicle_detail.html"
    select_related = ["school__unit", "host", "registered_by__person"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        services.log_read(self.request.user, [self.object], channel=ReadChannel.PAGE,
                          what=_("vehicle record %(n)s") % {"n": self.object.pk})
        return ctx


class VisitorReadListView(ObjectListView):
    """Who read the visitor and vehicle logs: for the office."""

    model = VisitorRead
    url_base = "schools:visitorread"
    filterset_class = VisitorReadFilterSet
    select_related = ["school__unit", "reader__person"]
    columns = ["at", "reader", "school", "channel", "what", "rows"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "visitors", "view"):
            raise PermissionDenied(_("Only the office reads who read the visitor log."))
        return super().dispatch(request, *args, **kwargs)


class VisitorReadDetailView(ObjectDetailView):
    model = VisitorRead
    url_base = "schools:visitorread"
    select_related = ["school__unit", "reader__person"]
    fields = ["at", "reader", "school", "channel", "what", "rows"]


urlpatterns = [
    path("visitors/", VisitorEntryListView.as_view(), name="visitorentry_list"),
    path("visitors/<int:pk>/", VisitorEntryDetailView.as_view(), name="visitorentry_detail"),
    path("vehicles/", VehicleEntryListView.as_view(), name="vehicleentry_list"),
    path("vehicles/<int:pk>/", VehicleEntryDetailView.as_view(), name="vehicleentry_detail"),
    path("reads/", VisitorReadListView.as_view(), name="visitorread_list"),
    path("reads/<int:pk>/", VisitorReadDetailView.as_view(), name="visitorread_detail"),
]
