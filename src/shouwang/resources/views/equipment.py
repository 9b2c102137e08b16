"""Pages of equipment: the list (what is out, what is overdue), a piece with its asset log and
its actions (issue, return, check, repair, lost, found, retire)."""

from django.urls import path
from django.utils import timezone
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
from shouwang.obligations import kinds

from .. import queries, services
from ..choices import EquipmentState
from ..filtersets import EquipmentFilterSet
from ..forms import (
    CheckEquipmentForm,
    EquipmentForm,
    EquipmentNoteForm,
    IssueEquipmentForm,
    ReturnEquipmentForm,
)
from ..models import Equipment, EquipmentIssue
from .base import RecordFormView


class EquipmentPages:
    model = Equipment
    url_base = "resources:equipment"
    form_class = EquipmentForm


class EquipmentListView(EquipmentPages, ObjectListView):
    filterset_class = EquipmentFilterSet
    template_name = "resources/equipment_list.html"
    partial_template_name = "resources/equipment_table.html"
    select_related = ["jurisdiction", "store"]
    sort_columns = {
        "kind": (gettext_lazy("kind"), "kind"),
        "serial": (gettext_lazy("serial number"), "serial_number"),
        "state": (gettext_lazy("state"), "state"),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(ctx["object_list"])
        out = {i.equipment_id: i for i in EquipmentIssue.objects.filter(equipment__in=rows, returned_at__isnull=True)
               .select_related("person", "team")}
        for e in rows:
            e.out = out.get(e.pk)
        ctx["rows_out"] = rows
        ctx["now"] = timezone.now()
        ctx["counts"] = queries.equipment_counts(self.filterset.qs)
        ctx["overdue"] = queries.overdue_issues(EquipmentIssue.objects.restrict(self.request.user, "view")).count()
        return ctx


class EquipmentDetailView(EquipmentPages, ObjectDetailView):
    template_name = "resources/equipment_detail.html"
    fields = ["kind", "name", "serial_number", "jurisdiction", "store", "state", "condition", "last_checked_on",
              "notes"]
    select_related = ["jurisdiction", "store"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        equipment, user = self.object, self.request.user
        ctx["now"] = timezone.now()
        ctx["open_issue"] = services.open_issue(equipment)
        ctx["issues"] = equipment.issues.select_related("person", "team", "issued_by__person",
                                                        "received_by__person")[:20]
        ctx["events"] = equipment.events.select_related("by__person")[:30]
        ctx["may_act"] = can_at(user, "resources", "change", equipment.scope_path)
        ctx["state"] = equipment.state
        ctx["States"] = EquipmentState
        ctx["return_form"], ctx["check_form"], ctx["note_form"] = (ReturnEquipmentForm(), CheckEquipmentForm(),
                                                                   EquipmentNoteForm())
        if ctx["open_issue"] is not None:
            ctx["duties"] = [{"label": kinds.label(o.kind), "due_at": o.due_at, "state": o.state_at()}
                             for o in queries.return_duty(ctx["open_issue"])]
        return ctx


class EquipmentCreateView(EquipmentPages, ObjectCreateView):
    pass


class EquipmentUpdateView(EquipmentPages, ObjectUpdateView):
    pass


class EquipmentDeleteView(EquipmentPages, ObjectDeleteView):
    pass


class IssueEquipmentView(RecordFormView):
    model = Equipment
    form_class = IssueEquipmentForm
    title = gettext_lazy("Issue equipment")
    success_message = gettext_lazy("Issued; its return is due as set.")

    def form_context(self):
        return {"equipment": self.object, "user": self.request.user}

    def perform(self, equipment, form):
        d = form.cleaned_data
        return services.issue_equipment(equipment, by=self.request.user, person=d.get("person"), team=d.get("team"),
                                        purpose=d["purpose"], due_back_at=d["due_back_at"], note=d["note"],
                                        client_uuid=d.get("client_id"))


class EquipmentAction(ObjectActionView):
    model = Equipment
    right = "change"


class ReturnEquipmentView(EquipmentAction):
    form_class = ReturnEquipmentForm
    success_message = gettext_lazy("Return recorded.")

    def perform(self, equipment, form):
        return services.return_equipment(equipment, by=self.request.user, condition=form.cleaned_data["condition"],
                                         note=form.cleaned_data["note"])


class CheckEquipmentView(EquipmentAction):
    form_class = CheckEquipmentForm
    success_message = gettext_lazy("Check recorded.")

    def perform(self, equipment, form):
        return services.check_equipment(equipment, by=self.request.user, condition=form.cleaned_data["condition"],
                                        note=form.cleaned_data["note"])


class RepairView(EquipmentAction):
    form_class = EquipmentNoteForm
    success_message = gettext_lazy("Sent for repair.")

    def perform(self, equipment, form):
        return services.send_to_repair(equipment, by=self.request.user, note=form.cleaned_data["note"])


class RepairedView(EquipmentAction):
    form_class = EquipmentNoteForm
    success_message = gettext_lazy("Back from repair.")

    def perform(self, equipment, form):
        return services.back_from_repair(equipment, by=self.request.user, note=form.cleaned_data["note"])


class LostView(EquipmentAction):
    form_class = EquipmentNoteForm
    success_message = gettext_lazy("Reported lost.")

    def perform(self, equipment, form):
        return services.report_lost(equipment, by=self.request.user, note=form.cleaned_data["note"])


class FoundView(EquipmentAction):
    form_class = EquipmentNoteForm
    success_message = gettext_lazy("Found again: back in store.")

    def perform(self, equipment, form):
        return services.found_again(equipment, by=self.request.user, note=form.cleaned_data["note"])


class RetireView(EquipmentAction):
    form_class = EquipmentNoteForm
    success_message = gettext_lazy("Retired.")

    def perform(self, equipment, form):
        return services.retire(equipment, by=self.request.user, note=form.cleaned_data["note"])


urlpatterns = [
    *crud_urls("equipment", "equipment", list=EquipmentListView, detail=EquipmentDetailView,
               create=EquipmentCreateView, edit=EquipmentUpdateView, delete=EquipmentDeleteView),
    path("equipment/<int:pk>/issue/", IssueEquipmentView.as_view(), name="equipment_issue"),
    path("equipment/<int:pk>/return/", ReturnEquipmentView.as_view(), name="equipment_return"),
    path("equipment/<int:pk>/check/", CheckEquipmentView.as_view(), name="equipment_check"),
    path("equipment/<int:pk>/repair/", RepairView.as_view(), name="equipment_repair"),
    path("equipment/<int:pk>/repaired/", RepairedView.as_view(), name="equipment_repaired"),
    path("equipment/<int:pk>/lost/", LostView.as_view(), name="equipment_lost"),
    path("equipment/<int:pk>/found/", FoundView.as_view(), name="equipment_found"),
    path("equipment/<int:pk>/retire/", RetireView.as_view(), name="equipment_retire"),
]
