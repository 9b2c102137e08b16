"""Pages of evacuation and diversion points: the list with the map, a point with its vehicles,
checks and openings, and its actions (add vehicles, check, open, count the people, close)."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import queries, services
from ..filtersets import EvacuationPointFilterSet
from ..forms import (
    EvacuationPointForm,
    OccupancyForm,
    OpenPointForm,
    PointCheckForm,
    PointVehicleForm,
)
from ..models import EvacuationPoint, PointOpening, PointVehicle
from .base import RecordFormView


class PointPages:
    model = EvacuationPoint
    url_base = "resources:evacuationpoint"
    form_class = EvacuationPointForm


class EvacuationPointListView(PointPages, ObjectListView):
    filterset_class = EvacuationPointFilterSet
    template_name = "resources/evacuationpoint_list.html"
    partial_template_name = "resources/evacuationpoint_table.html"
    sort_columns = {
        "name": (gettext_lazy("name"), "name"),
        "kind": (gettext_lazy("kind"), "kind"),
        "capacity": (gettext_lazy("capacity (people)"), "capacity"),
        "checked": (gettext_lazy("last checked on"), "last_checked_on"),
    }

    def get_queryset(self):
        return queries.points_with_vehicles(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        points = list(ctx["object_list"])
        openings = {o.point_id: o for o in queries.open_openings(points)}
        for p in points:
            p.opening = openings.get(p.pk)
        ctx["points"] = points
        ctx["markers"] = [queries.point_marker(p, p.opening) for p in points if p.lat is not None]
        return ctx


class EvacuationPointDetailView(PointPages, ObjectDetailView):
    template_name = "resources/evacuationpoint_detail.html"
    fields = ["kind", "name", "grade", "jurisdiction", "address", "capacity", "area_m2", "radius_m", "facilities",
              "responsible", "last_checked_on", "notes"]
    select_related = ["jurisdiction", "responsible"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        point, user = self.object, self.request.user
        ctx["vehicles"] = point.vehicles.all()
        ctx["checks"] = point.checks.select_related("checked_by__person")[:10]
        ctx["openings"] = point.openings.select_related("opened_by__person", "cause_type")[:10]
        ctx["opening"] = point.openings.filter(closed_at__isnull=True).first()
        ctx["may_act"] = can_at(user, "resources", "change", point.scope_path)
        ctx["vehicle_form"], ctx["check_form"] = PointVehicleForm(), PointCheckForm()
        ctx["open_form"], ctx["occupancy_form"] = OpenPointForm(), OccupancyForm()
        ctx["marker"] = [queries.point_marker(point, ctx["opening"])] if point.lat is not None else []
        ctx["now"] = timezone.now()
        return ctx


class EvacuationPointCreateView(PointPages, ObjectCreateView):
    pass


class EvacuationPointUpdateView(PointPages, ObjectUpdateView):
    pass


class EvacuationPointDeleteView(PointPages, ObjectDeleteView):
    pass


class PointAction(ObjectActionView):
    model = EvacuationPoint


class AddVehicleView(PointAction):
    form_class = PointVehicleForm
    success_message = gettext_lazy("Vehicles added.")

    def get_form_kwargs(self, point):
        return {"instance": PointVehicle(point=point, jurisdiction=point.jurisdiction)}

    def perform(self, point, form):
        vehicle = form.save(commit=False)
        vehicle.full_clean()
        vehicle.save()
        return vehicle


class RemoveVehicleView(ObjectActionView):
    model = PointVehicle
    success_message = gettext_lazy("Vehicles removed.")

    def success_url(self, vehicle):
        return vehicle.point.get_absolute_url()

    def perform(self, vehicle, form):
        vehicle.delete()


class CheckPointView(PointAction):
    form_class = PointCheckForm
    success_message = gettext_lazy("Check recorded.")

    def perform(self, point, form):
        d = form.cleaned_data
        return services.check_point(point, by=self.request.user, passed=d["passed"], findings=d["findings"],
                                    on=d.get("checked_on"))


class OpenPointView(RecordFormView):
    model = EvacuationPoint
    form_class = OpenPointForm
    title = gettext_lazy("Open the point")

    def perform(self, point, form):
        return services.open_point(point, by=self.request.user, occupancy=form.cleaned_data["occupancy"],
                                   note=form.cleaned_data["note"])

    def get_success_message(self, opening):
        return _("%(point)s is open; it shows on the live board.") % {"point": opening.point.name}


class OccupancyView(ObjectActionView):
    model = PointOpening
    form_class = OccupancyForm
    success_message = gettext_lazy("Number of people updated.")

    def perform(self, opening, form):
        return services.set_occupancy(opening, form.cleaned_data["occupancy"], by=self.request.user)


class ClosePointView(ObjectActionView):
    model = PointOpening
    success_message = gettext_lazy("Point closed.")

    def perform(self, opening, form):
        return services.close_point(opening, by=self.request.user)


urlpatterns = [
    *crud_urls("points", "evacuationpoint", list=EvacuationPointListView, detail=EvacuationPointDetailView,
               create=EvacuationPointCreateView, edit=EvacuationPointUpdateView, delete=EvacuationPointDeleteView),
    path("points/<int:pk>/vehicles/", AddVehicleView.as_view(), name="vehicle_add"),
    path("vehicles/<int:pk>/remove/", RemoveVehicleView.as_view(), name="vehicle_remove"),
    path("points/<int:pk>/check/", CheckPointView.as_view(), name="point_check"),
    path("points/<int:pk>/open/", OpenPointView.as_view(), name="point_open"),
    path("openings/<int:pk>/occupancy/", OccupancyView.as_view(), name="occupancy"),
    path("openings/<int:pk>/close/", ClosePointView.as_view(), name="point_close"),
]
