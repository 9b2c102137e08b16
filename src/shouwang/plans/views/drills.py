"""Pages of drills: the list with the drills the policy asks for, and the drill console — the live
timeline of injects and expected actions with their state and score, the controls (start, pause,
resume, deliver, skip, evacuation signal and all-clear, end), the exercise incident and its
clocks, the after-action report and its corrective actions."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.documents import docx_response
from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import exports, queries, services
from ..choices import DrillState, ImprovementState
from ..filtersets import DrillFilterSet, ImprovementFilterSet
from ..forms import (
    AfterActionForm,
    DrillForm,
    EvacuationForm,
    ImprovementDoneForm,
    ImprovementVerifyForm,
    InjectForm,
)
from ..models import Drill, Improvement, Inject
from .common import NoDeletePage

STATE_TONE = {DrillState.RUNNING: "ok", DrillState.PAUSED: "warn", DrillState.ENDED: ""}


class DrillPages:
    model = Drill
    url_base = "plans:drill"
    form_class = DrillForm
    select_related = ["jurisdiction", "unit", "plan"]


class DrillListView(DrillPages, ObjectListView):
    template_name = "plans/drill_list.html"
    partial_template_name = "plans/_drill_table.html"
    filterset_class = DrillFilterSet
    columns = ["title", "kind", "scheduled_at", "unit", "jurisdiction", "state"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        owed = queries.drills_owed(self.request.user, now, limit=12)
        for ob in owed:
            ob.current_state = ob.state_at(now)
        ctx["owed"] = owed
        ctx["tones"] = STATE_TONE
        return ctx


def console_context(drill, user, now=None):
    now = now or timezone.now()
    rows = queries.timeline(drill, now)
    exercise = services.exercise_of(drill)
    return {
        "drill": drill, "rows": rows, "totals": queries.scores(rows), "offered": queries.offered(drill),
        "exercise": exercise, "now": now, "elapsed": drill.elapsed(now),
        "can_run": can_at(user, "plans", "change", drill.scope_path),
        "clock_summary": queries.clock_summary(drill.clocks) if drill.clocks else None,
    }


class DrillDetailView(DrillPages, ObjectDetailView):
    template_name = "plans/drill_detail.html"
    fields = ["kind", "jurisdiction", "unit", "plan", "scheduled_at", "category", "level", "address", "storeys",
              "participants"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        drill = self.object
        user = self.request.user
        ctx.update(console_context(drill, user))
        ctx["can_delete"] = ctx["can_change"] and drill.state == DrillState.PLANNED
        ctx["can_change"] = ctx["can_change"] and drill.state == DrillState.PLANNED
        ctx["field_rows"] = [(label, queries.category_terms().get(value, value) if label == str(
            Drill._meta.get_field("category").verbose_name) else value) for label, value in ctx["field_rows"]]
        if ctx["can_run"] and drill.state == DrillState.PLANNED:
            ctx["inject_form"] = InjectForm(drill=drill, user=user)
        if ctx["can_run"] and drill.state == DrillState.ENDED:
            ctx["after_action_form"] = AfterActionForm(drill=drill, user=user)
        ctx["improvements"] = list(drill.improvements.select_related("owner"))
        ctx["phone_url"] = reverse("plans:phone_drill", args=[drill.pk])
        return ctx


class DrillCreateView(DrillPages, ObjectCreateView):
    def save_form(self, form):
        data = dict(form.cleaned_data)
        node = data.pop("jurisdiction")
        evaluators = data.pop("evaluators", [])
        return services.create_drill(node=node, user=self.request.user, evaluators=evaluators, **data)


class DrillUpdateView(DrillPages, ObjectUpdateView):
    def save_form(self, form):
        data = dict(form.cleaned_data)
        evaluators = data.pop("evaluators", None)
        return services.edit_drill(self.object, user=self.request.user, evaluators=evaluators, **data)


class DrillDeleteView(ObjectActionView):
    """A planned drill is removed (a drill that started is the record of what happened)."""

    model = Drill
    right = "delete"

    def perform(self, drill, form):
        if drill.state != DrillState.PLANNED:
            messages.error(self.request, _("A drill that has started is kept: it is the record of what happened."))
            return HttpResponseRedirect(drill.get_absolute_url())
        drill.delete()
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse("plans:drill_list"))


class DrillAction(ObjectActionView):
    model = Drill
    right = "change"


class StartView(DrillAction):
    success_message = gettext_lazy("The drill has started: its exercise incident is open and the first injects are out.")

    def perform(self, drill, form):
        services.start_drill(drill, user=self.request.user)


class PauseView(DrillAction):
    success_message = gettext_lazy("The drill is paused: no inject goes out until it resumes.")

    def perform(self, drill, form):
        services.pause_drill(drill, user=self.request.user)


class ResumeView(DrillAction):
    success_message = gettext_lazy("The drill has resumed.")

    def perform(self, drill, form):
        services.resume_drill(drill, user=self.request.user)


class EndView(DrillAction):
    success_message = gettext_lazy("The drill has ended: write its after-action report below.")

    def perform(self, drill, form):
        services.end_drill(drill, user=self.request.user)


class EvacuationView(DrillAction):
    form_class = EvacuationForm
    success_message = gettext_lazy("Time recorded.")

    def perform(self, drill, form):
        services.time_evacuation(drill, user=self.request.user, what=form.cleaned_data["what"])


class AfterActionView(DrillAction):
    success_message = gettext_lazy("The after-action report is saved; each area for improvement is a corrective action.")

    def get_form(self, obj):
        return AfterActionForm(self.request.POST, drill=obj, user=self.request.user)

    def perform(self, drill, form):
        services.record_after_action(drill, user=self.request.user, strengths=form.cleaned_data["strengths"],
                                     improvements=form.improvements())


class InjectAddView(DrillAction):
    success_message = gettext_lazy("Inject added to the scenario.")

    def get_form(self, obj):
        return InjectForm(self.request.POST, drill=obj, user=self.request.user)

    def perform(self, drill, form):
        values = form.values()
        actions = values.pop("actions")
        services.add_inject(drill, user=self.request.user, actions=actions, **values)


class InjectAction(ObjectActionView):
    model = Inject
    right = "change"

    def success_url(self, inject):
        return inject.drill.get_absolute_url()


class InjectDeliverView(InjectAction):
    success_message = gettext_lazy("Inject delivered.")

    def perform(self, inject, form):
        services.deliver_inject(inject, user=self.request.user)


class InjectSkipView(InjectAction):
    success_message = gettext_lazy("Inject skipped.")

    def perform(self, inject, form):
        services.skip_inject(inject, user=self.request.user)


class InjectRemoveView(InjectAction):
    success_message = gettext_lazy("Inject removed from the scenario.")

    def perform(self, inject, form):
        services.remove_inject(inject, user=self.request.user)


def report_docx(request, pk):
    drill = get_object_or_404(Drill.objects.restrict(request.user, "view"), pk=pk)
    return docx_response(exports.after_action_docx(drill), exports.report_filename(drill))


# ---------------------------------------------------------------- corrective actions

class ImprovementPages:
    model = Improvement
    url_base = "plans:improvement"
    select_related = ["jurisdiction", "owner", "drill"]


class ImprovementListView(ImprovementPages, ObjectListView):
    filterset_class = ImprovementFilterSet
    columns = ["action", "area", "owner", "deadline", "state", "drill"]


class ImprovementDetailView(NoDeletePage, ImprovementPages, ObjectDetailView):
    editable = False

    template_name = "plans/improvement_detail.html"
    fields = ["drill", "area", "action", "owner", "deadline", "state", "reported_at", "report_text", "verified_at",
              "failed_count", "note"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = self.object
        user = self.request.user
        ctx["can_change"] = ctx["can_delete"] = False
        ctx["can_report"] = item.state == ImprovementState.OPEN and (
            (item.owner.user_id == user.pk) or can_at(user, "plans", "change", item.scope_path))
        ctx["verify_refusal"] = services.verifier_refusal(item, user) if item.state == ImprovementState.REPORTED else None
        ctx["can_verify"] = item.state == ImprovementState.REPORTED and ctx["verify_refusal"] is None
        ctx["done_form"], ctx["verify_form"] = ImprovementDoneForm(), ImprovementVerifyForm()
        failed = str(Improvement._meta.get_field("failed_count").verbose_name)
        ctx["field_rows"] = [(label, value) for label, value in ctx["field_rows"]
                             if not (str(label) == failed and not item.failed_count)]
        return ctx


class ImprovementDoneView(ObjectActionView):
    model = Improvement
    right = None  # its owner reports it (the service checks)
    form_class = ImprovementDoneForm
    success_message = gettext_lazy("Reported done: someone else verifies it.")

    def perform(self, item, form):
        services.report_improvement_done(item, user=self.request.user, text=form.cleaned_data["report_text"])


class ImprovementVerifyView(ObjectActionView):
    model = Improvement
    right = None  # the service says who may verify
    form_class = ImprovementVerifyForm
    success_message = gettext_lazy("Verification recorded.")

    def perform(self, item, form):
        services.verify_improvement(item, user=self.request.user, **form.cleaned_data)


def console(request, pk):
    """The console's live part alone (HTMX polls it while the drill runs)."""
    drill = get_object_or_404(Drill.objects.restrict(request.user, "view").select_related("jurisdiction"), pk=pk)
    return render(request, "plans/_console.html", console_context(drill, request.user))


urlpatterns = [
    *crud_urls("drills", "drill", list=DrillListView, detail=DrillDetailView, create=DrillCreateView,
               edit=DrillUpdateView),
    path("drills/<int:pk>/delete/", DrillDeleteView.as_view(), name="drill_delete"),
    path("drills/<int:pk>/console/", console, name="drill_console"),
    path("drills/<int:pk>/start/", StartView.as_view(), name="drill_start"),
    path("drills/<int:pk>/pause/", PauseView.as_view(), name="drill_pause"),
    path("drills/<int:pk>/resume/", ResumeView.as_view(), name="drill_resume"),
    path("drills/<int:pk>/end/", EndView.as_view(), name="drill_end"),
    path("drills/<int:pk>/evacuation/", EvacuationView.as_view(), name="drill_evacuation"),
    path("drills/<int:pk>/after-action/", AfterActionView.as_view(), name="drill_after_action"),
    path("drills/<int:pk>/injects/", InjectAddView.as_view(), name="drill_add_inject"),
    path("drills/<int:pk>/report.docx", report_docx, name="drill_report"),
    path("injects/<int:pk>/deliver/", InjectDeliverView.as_view(), name="inject_deliver"),
    path("injects/<int:pk>/skip/", InjectSkipView.as_view(), name="inject_skip"),
    path("injects/<int:pk>/remove/", InjectRemoveView.as_view(), name="inject_remove"),
    *crud_urls("improvements", "improvement", list=ImprovementListView, detail=ImprovementDetailView),
    path("improvements/<int:pk>/done/", ImprovementDoneView.as_view(), name="improvement_done"),
    path("improvements/<int:pk>/verify/", ImprovementVerifyView.as_view(), name="improvement_verify"),
]
