"""Leave and unavailability per person: the optimiser and the checker keep them off those days."""

from shouwang.core.views.base import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import services
from ..filtersets import LeaveFilterSet
from ..forms import LeaveForm
from ..models import Leave
from .common import DutyPage


class LeavePages(DutyPage):
    model = Leave
    url_base = "duty:leave"
    form_class = LeaveForm
    select_related = ["person", "jurisdiction"]


class LeaveListView(LeavePages, ObjectListView):
    filterset_class = LeaveFilterSet
    template_name = "duty/object_list.html"
    columns = ["person", "starts_on", "ends_on", "reason", "jurisdiction"]


class LeaveDetailView(LeavePages, ObjectDetailView):
    template_name = "duty/object_detail.html"
    fields = ["person", "starts_on", "ends_on", "reason", "jurisdiction"]


class LeaveCreateView(LeavePages, ObjectCreateView):
    template_name = "duty/object_form.html"

    def save_form(self, form):
        data = form.cleaned_data
        return services.enter_leave(person=data["person"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                    reason=data["reason"], node=data["jurisdiction"], user=self.request.user)


class LeaveUpdateView(LeavePages, ObjectUpdateView):
    template_name = "duty/object_form.html"

    def save_form(self, form):
        data = form.cleaned_data
        return services.edit_leave(self.object, user=self.request.user, person=data["person"],
                                   starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"],
                                   jurisdiction=data["jurisdiction"])


class LeaveDeleteView(LeavePages, ObjectDeleteView):
    pass


urlpatterns = crud_urls("leave", "leave", list=LeaveListView, detail=LeaveDetailView, create=LeaveCreateView,
                        edit=LeaveUpdateView, delete=LeaveDeleteView)
