"""The daily consultation (会商): the list, recording one, reading it with its decisions, adding a
decision (a task with a time limit) and marking one done."""

from datetime import timedelta

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouwang.core.clock import local_datetime
from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)
from shouwang.obligations.models import Obligation
from shouwang.obligations.services import obligation_key

from .. import services
from ..filtersets import ConsultationFilterSet
from ..forms import ConsultationForm, DecisionDoneForm, DecisionForm
from ..models import Consultation, Decision


class ConsultationPages:
    model = Consultation
    url_base = "briefings:consultation"
    select_related = ["jurisdiction", "briefing", "created_by"]


class ConsultationListView(ConsultationPages, ObjectListView):
    template_name = "briefings/consultation_list.html"
    filterset_class = ConsultationFilterSet
    columns = ["date", "jurisdiction", "chaired_by", "briefing"]


class ConsultationCreateView(ConsultationPages, ObjectCreateView):
    form_class = ConsultationForm
    template_name = "briefings/consultation_form.html"

    def save_form(self, form):
        data = form.cleaned_data
        return services.record_consultation(node=data["jurisdiction"], date=data["date"], attendees=data["attendees"],
                                            items=data["items"], analysis=data["analysis"],
                                            chaired_by=data["chaired_by"], briefing=data["briefing"],
                                            user=self.request.user)


class ConsultationUpdateView(ConsultationPages, ObjectUpdateView):
    form_class = ConsultationForm
    template_name = "briefings/consultation_form.html"

    def save_form(self, form):
        data = form.cleaned_data
        return services.edit_consultation(self.object, user=self.request.user, attendees=data["attendees"],
                                          items=data["items"], analysis=data["analysis"],
                                          chaired_by=data["chaired_by"], briefing=data["briefing"])


class ConsultationDetailView(ConsultationPages, ObjectDetailView):
    template_name = "briefings/consultation_detail.html"
    fields = ["jurisdiction", "date", "chaired_by", "attendees", "items", "analysis", "briefing", "created_by"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c = self.object
        decisions = list(c.decisions.select_related("responsible_person", "responsible_unit", "done_by").order_by("pk"))
        keys = {obligation_key("decision", d.pk): d for d in decisions}
        for ob in Obligation.objects.with_keys(keys).with_state():
            keys[ob.key].obligation = ob
        user = self.request.user
        for d in decisions:
            d.can_complete = not d.done_at and (
                can_at(user, "briefings", "change", c.scope_path)
                or (d.responsible_person is not None and d.responsible_person.user_id == user.pk))
        ctx["decisions"] = decisions
        ctx["can_decide"] = can_at(user, "briefings", "add", c.scope_path)
        tomorrow = timezone.localdate() + timedelta(days=1)  # before the next day's consultation
        ctx["decision_form"] = DecisionForm(user=user, node=c.jurisdiction,
                                            initial={"due_at": local_datetime(tomorrow, "09:00")})
        ctx["done_form"] = DecisionDoneForm()
        ctx["delete_url"] = None
        return ctx


class AddDecisionView(ObjectActionView):
    """A decision of the consultation: who carries it out and by when (an obligation)."""

    model = Consultation
    right = "add"
    form_class = DecisionForm
    success_message = gettext_lazy("Decision recorded; it is on the responsible person's list of duties.")

    def get_form_kwargs(self, obj):
        return {"user": self.request.user, "node": obj.jurisdiction}

    def perform(self, consultation, form):
        data = form.cleaned_data
        return services.add_decision(consultation, user=self.request.user, text=data["text"], due_at=data["due_at"],
                                     responsible_person=data["responsible_person"],
                                     responsible_unit=data["responsible_unit"])


class CompleteDecisionView(ObjectActionView):
    """The decision is carried out (the office, or the person responsible for it)."""

    model = Decision
    right = None  # the service checks: the office, or the person it is on
    form_class = DecisionDoneForm
    success_message = gettext_lazy("Marked done.")

    def perform(self, decision, form):
        return services.complete_decision(decision, user=self.request.user, note=form.cleaned_data["done_note"])

    def success_url(self, obj):
        return obj.get_absolute_url()


urlpatterns = [
    *crud_urls("consultations", "consultation", list=ConsultationListView, detail=ConsultationDetailView,
               create=ConsultationCreateView, edit=ConsultationUpdateView),
    path("consultations/<int:pk>/decisions/", AddDecisionView.as_view(), name="consultation_decide"),
    path("decisions/<int:pk>/done/", CompleteDecisionView.as_view(), name="decision_done"),
]
