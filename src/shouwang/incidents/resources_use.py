"""An incident uses the resources (issue 16): supplies issued from a store (a ledger movement
that refers to the incident), equipment dispatched (its return an obligation), the reserve team
called out (each member's arrival at the assembly point an obligation), an evacuation or
diversion point opened (shown on the live board). Each use is written in the incident's
activity log; the incident page lists what was used.

Kept in their own modules (the forms, words and templates are the resources app's): the pages'
actions and their URLs here; what the incident page and the board show in `resources_used`."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from shouwang.core.scope import can
from shouwang.resources import forms as resource_forms
from shouwang.resources import queries as resource_queries
from shouwang.resources import services as resources

from . import services
from .choices import LogKind
from .views import IncidentActionView


class UseResourceView(IncidentActionView):
    """A use of resources from the incident page; a refusal by the resources (no right at the
    store, more than is in stock) shows the form again with the field and the reason."""

    template_name = "resources/incident_use_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "resources", "change"):
            raise PermissionDenied(resource_queries.NO_RESOURCE_RIGHT)
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):
        return self.form_class.title

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)


class UseSuppliesView(UseResourceView):
    form_class = resource_forms.UseSuppliesForm

    def perform(self, form):
        d, user = form.cleaned_data, self.request.user
        movements = resources.issue(d["store"], d["item"], d["quantity"], by=user, recipient=d["recipient"],
                                    cause=self.incident, client_id=d.get("client_id"))
        if not movements[0].replayed:
            services.log(self.incident, LogKind.MESSAGE, resource_queries.words_for_supplies(movements), user=user)


class DispatchEquipmentView(UseResourceView):
    form_class = resource_forms.DispatchEquipmentForm

    def perform(self, form):
        d, user = form.cleaned_data, self.request.user
        issues = resources.dispatch_equipment(d["equipment"], by=user, person=d.get("person"), team=d.get("team"),
                                              purpose="incident", due_back_at=d["due_back_at"], note=d["note"],
                                              cause=self.incident, client_uuid=d.get("client_id"))
        if not all(getattr(i, "replayed", False) for i in issues):
            services.log(self.incident, LogKind.TASK, resource_queries.words_for_equipment(issues), user=user)


class CallOutReserveView(UseResourceView):
    form_class = resource_forms.CallOutTeamForm

    def perform(self, form):
        d, user = form.cleaned_data, self.request.user
        callout = resources.call_out(d["team"], by=user, kind="incident", message=d["message"], cause=self.incident,
                                     client_uuid=d.get("client_uuid"))
        services.log(self.incident, LogKind.NOTIFICATION, resource_queries.words_for_callout(callout), user=user)


class OpenPointView(UseResourceView):
    form_class = resource_forms.UsePointForm

    def perform(self, form):
        d, user = form.cleaned_data, self.request.user
        opening = resources.open_point(d["point"], by=user, occupancy=d["occupancy"], note=d["note"],
                                       cause=self.incident)
        vehicles = sum(v.count for v in opening.point.vehicles.all())
        services.log(self.incident, LogKind.EVACUATION, resource_queries.words_for_opening(opening), user=user,
                     point=opening.point.name[:100], people=opening.occupancy, vehicles=vehicles or None)


urlpatterns = [
    path("all/<int:pk>/supplies/", UseSuppliesView.as_view(), name="use_supplies"),
    path("all/<int:pk>/equipment/", DispatchEquipmentView.as_view(), name="dispatch_equipment"),
    path("all/<int:pk>/reserve/", CallOutReserveView.as_view(), name="call_out_reserve"),
    path("all/<int:pk>/point/", OpenPointView.as_view(), name="open_point"),
]
