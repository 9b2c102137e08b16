"""Incident pages: intake (operator and phone), the incident page and its actions, board, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.documents import docx_response, zh_datetime
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, can_at
from shouwang.core.views.base import (
    CorrectionView,
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    add_form_errors,
    is_partial,
)
from shouwang.policies.services import rule_label
from shouwang.registers.models import KeyPlace

from . import drills, exports, forms, queries, resources_used, services
from .choices import LEVEL_HEX, IncidentLevel, ReportKind, Status
from .filtersets import IncidentFilterSet
from .models import ELEMENTS, CapMessage, Incident, Report, Responder, Task

LIST = ["number", "level", "category", "jurisdiction", "received_at", "status"]
# `major` is said in words above the fields (why it is major), not as a yes/no here
DETAIL = ["number", "title", "incident_class", "category", "level", "status", "jurisdiction", "address",
          "building", "floor", "room", "lat", "lon", "unit", "key_place", "happened_at", "discovered_at", "received_at", "channel",
          "reporter_name", "reporter_phone", "description", "policy_version", "activated_at", "plan_name",
          "lead_group", "phase", "commander", "headquarters", "closed_at"]


class IncidentPages:
    model = Incident
    url_base = "incidents:incident"
    form_class = forms.IncidentForm
    select_related = ["jurisdiction", "unit", "lead_group", "policy_version"]


def _intake_fields(form):
    data = dict(form.cleaned_data)
    data.pop("client_uuid", None)
    return {k: v for k, v in data.items() if v not in (None, "")}


class IncidentCreateView(IncidentPages, ObjectCreateView):
    """Create through the intake service (number, clocks, log) rather than a bare save."""

    def save_form(self, form):
        data = _intake_fields(form)
        incident, _created = services.intake(
            user=self.request.user, client_uuid=form.cleaned_data.get("client_uuid"),
            **{k: data.pop(k, None) for k in ("jurisdiction", "title", "category", "level", "address", "received_at")},
            **data)
        return incident


class QuickIntakeView(IncidentCreateView):
    """The operator's intake; a click on the map or a key place gives the position for the board."""

    form_class = forms.QuickIntakeForm
    template_name = "incidents/intake.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["places"] = list(KeyPlace.objects.restrict(self.request.user, "view")
                             .filter(lat__isnull=False, lon__isnull=False).values("id", "name", "lat", "lon")[:500])
        return ctx


class PhoneIntakeView(IncidentCreateView):
    form_class = forms.PhoneIntakeForm
    template_name = "incidents/phone.html"

    def get_initial(self):
        initial = super().get_initial()
        person = getattr(self.request.user, "person", None)
        if person is not None:
            initial.setdefault("jurisdiction", person.jurisdiction_id)
            initial.setdefault("reporter_phone", person.phone)
        return initial


class IncidentUpdateView(IncidentPages, ObjectUpdateView):
    """Edit details; a change of level goes through the service so the clocks follow."""

    def save_form(self, form):
        new_level = form.cleaned_data["level"]
        old_level = Incident.objects.get(pk=form.instance.pk).level
        form.instance.level = old_level
        incident = form.save()
        if new_level != old_level:
            incident = services.change_level(incident, new_level, user=self.request.user)
        return incident


class IncidentDetailView(IncidentPages, ObjectDetailView):
    template_name = "incidents/incident_detail.html"
    fields = DETAIL

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        incident, user, now = self.object, self.request.user, timezone.now()
        path = incident.jurisdiction.path
        obs = list(services.obligations_of(incident).select_related("responsible_person", "responsible_unit"))
        for ob in obs:
            ob.state_now = ob.state_at(now)
            ob.short_title = ob.title.removeprefix(f"{incident.number} ")  # the page says which incident
            ob.seconds_left = int((ob.due_at - now).total_seconds())
        allowed, reason = services.can_activate(user, incident)
        ctx.update(
            obligations=obs, reports=incident.reports.all(), responders=incident.responders.select_related("person"),
            handovers=incident.handovers.all(), log=incident.log.select_related("user"),
            tasks=incident.tasks.select_related("group", "person"), cap_messages=incident.cap_messages.all(),
            review=getattr(incident, "review", None), can_report=can_at(user, "incidents", "add", path),
            can_activate=allowed, activate_reason=reason, is_open=incident.status == Status.OPEN, is_draft=incident.status == Status.DRAFT,
            my_responder=incident.responders.filter(person__user=user, arrived_at__isnull=True).first(),
            hq_rule=services.headquarters_rule(incident),
            close_check=queries.close_check(incident, now) if incident.status == Status.OPEN else None,
        )
        ctx.update(resources_used.page_context(incident, user))  # what the incident used of the resources
        return ctx


class IncidentListView(IncidentPages, ObjectListView):
    partial_template_name = "incidents/_incident_table.html"
    filterset_class = IncidentFilterSet
    columns = LIST


class IncidentDeleteView(IncidentPages, ObjectDeleteView):
    pass


# ---------------------------------------------------------------- actions on an incident

class IncidentActionView(LoginRequiredMixin, generic.FormView):
    """A form on one incident that calls one service; bad input shows again with the reason."""

    template_name = "incidents/action_form.html"
    title = ""
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.incident = get_object_or_404(Incident.objects.restrict(request.user, "view"), pk=kwargs["pk"])
        if not can_at(request.user, "incidents", self.action, self.incident.jurisdiction.path):
            raise PermissionDenied(_("You may not do this on this incident."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class not in (forms.LevelForm, forms.ActivationForm, forms.CapForm, forms.MajorKindForm):
            kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(incident=self.incident, form_title=self.title)
        return ctx

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.perform(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.incident.get_absolute_url()


class ReportCreateView(IncidentActionView):
    form_class = forms.ReportForm
    action = "add"
    template_name = "incidents/report_form.html"

    @property
    def title(self):
        return _("New report")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["clocks"] = [(ob.rule, _("%(clock)s (due %(due)s)") % {
            "clock": rule_label(ob.rule, ob.policy_version), "due": zh_datetime(ob.due_at)})
            for ob in services.pending_clocks(self.incident)]
        return kwargs

    def get_initial(self):
        initial = {**super().get_initial(), **queries.report_defaults(self.incident)}
        if self.request.GET.get("kind") in ReportKind.values:  # "final report" from the close notice
            initial["kind"] = self.request.GET["kind"]
        return initial

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "client_uuid"}
        data["answers"] = data.get("answers") or None  # none chosen: the service's default
        self.report, _created = services.submit_report(self.incident, user=self.request.user,
                                                       client_uuid=form.cleaned_data.get("client_uuid"), **data)
    # success: back to the incident (IncidentActionView), where the next step is


class LevelView(IncidentActionView):
    form_class = forms.LevelForm

    @property
    def title(self):
        return _("Change level")

    def get_initial(self):
        return {"level": self.incident.level}

    def perform(self, form):
        services.change_level(self.incident, form.cleaned_data["level"], user=self.request.user,
                              reason=form.cleaned_data["reason"], at=form.cleaned_data.get("at"))


class MajorKindView(IncidentActionView):
    form_class = forms.MajorKindForm

    @property
    def title(self):
        return _("Kind of major emergency")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = services.major_kinds(self.incident)
        return kwargs

    def get_initial(self):
        return {"major_kind": self.incident.major_kind}

    def perform(self, form):
        services.choose_major_kind(self.incident, form.cleaned_data["major_kind"], user=self.request.user,
                                   at=form.cleaned_data.get("at"))


class ReportCorrectionView(CorrectionView):
    """The office files a corrected version of a report, with the reason; the original stays."""

    model = Report
    form_class = forms.ReportCorrectionForm
    template_name = "incidents/action_form.html"
    area = "incidents"
    select_related = ("incident",)

    def get_context_data(self, **kwargs):
        return super().get_context_data(incident=self.object.incident, **kwargs)

    def correct(self, original, reason, **changed):
        return services.correct_report(original, user=self.request.user, reason=reason, **changed)


class ActivationView(IncidentActionView):
    form_class = forms.ActivationForm
    action = "view"  # the service checks policy role and the activate verb, with a reason

    @property
    def title(self):
        return _("Activate the response")

    def get(self, request, *args, **kwargs):
        allowed, reason = services.can_activate(request.user, self.incident)
        if not allowed:
            return HttpResponseForbidden(reason)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        allowed, reason = services.can_activate(request.user, self.incident)
        if not allowed:
            return HttpResponseForbidden(reason)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["incident"] = self.incident
        return kwargs

    def perform(self, form):
        services.activate(self.incident, user=self.request.user, **form.cleaned_data)


class HandoverView(IncidentActionView):
    form_class = forms.HandoverForm

    @property
    def title(self):
        return _("Hand over command")

    def get_initial(self):
        return {"from_commander": self.incident.commander}

    def perform(self, form):
        services.hand_over(self.incident, user=self.request.user, **form.cleaned_data)


class LogEntryView(IncidentActionView):
    form_class = forms.LogEntryForm
    action = "add"

    @property
    def title(self):
        return _("Add to the activity log")

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        services.add_log(self.incident, user=self.request.user, **data)


class TaskView(IncidentActionView):
    form_class = forms.TaskForm

    @property
    def title(self):
        return _("Assign a task")

    def perform(self, form):
        services.add_task(self.incident, user=self.request.user, **form.cleaned_data)


class ReviewView(IncidentActionView):
    form_class = forms.ReviewForm

    @property
    def title(self):
        return _("After-action review")

    def perform(self, form):
        d = form.cleaned_data
        actions = [{"text": text, "person": d.get("person"), "due_at": d["due_at"]} for text in d["action_list"]]
        services.review(self.incident, user=self.request.user, what_happened=d["what_happened"],
                        what_worked=d["what_worked"], what_did_not=d["what_did_not"], actions=actions)


class CapView(IncidentActionView):
    form_class = forms.CapForm

    @property
    def title(self):
        return _("Issue a public alert (CAP)")

    def perform(self, form):
        services.issue_alert(self.incident, user=self.request.user, **form.cleaned_data)


class CloseView(ObjectActionView):
    model = Incident
    forbidden_message = gettext_lazy("You may not do this on this incident.")
    success_message = gettext_lazy("Incident closed.")

    def perform(self, incident, form):
        services.close(incident, user=self.request.user)


class ConfirmView(ObjectActionView):
    model = Incident
    forbidden_message = gettext_lazy("You may not do this on this incident.")
    success_message = gettext_lazy("Draft confirmed: the reporting clocks are running.")

    def perform(self, incident, form):
        services.confirm_draft(incident, user=self.request.user)


class TaskDoneView(ObjectActionView):
    """The assignee (or the office) marks a task done; the service checks who may."""

    model = Task
    right = None
    success_message = ""
    select_related = ("incident",)

    def perform(self, task, form):
        services.complete_task(task, user=self.request.user)

    def success_url(self, task):
        return task.incident.get_absolute_url()


@login_required
def arrive(request, pk):
    """The responder's phone page: one big button to say 'I am on scene'."""
    responder = get_object_or_404(Responder.objects.restrict(request.user, "view").select_related("incident", "person"),
                                  pk=pk)
    if request.method == "POST":
        try:
            services.mark_arrival(responder, user=request.user)
            messages.success(request, _("Arrival recorded."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(request.path)
    return render(request, "incidents/arrive.html", {"responder": responder, "incident": responder.incident})


# ---------------------------------------------------------------- reports and exports

@login_required
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.restrict(request.user, "view").select_related("incident"), pk=pk)
    elements = [(label, report.has_element(key), exports.element_text(report, key)) for key, label in ELEMENTS]
    corrected_by = Report.objects.filter(supersedes=report).first()
    return render(request, "incidents/report_detail.html", {
        "report": report, "elements": elements, "incident": report.incident, "corrected_by": corrected_by,
        "answers": [rule_label(rule, report.incident.policy_version) for rule in report.answers],
        "can_correct": corrected_by is None and can_at(request.user, "incidents", "correct",
                                                        report.incident.jurisdiction.path)})


@login_required
def report_docx(request, pk):
    report = get_object_or_404(Report.objects.restrict(request.user, "view").select_related("incident"), pk=pk)
    return docx_response(exports.report_docx(report), f"{report.incident.number}-{report.get_kind_display()}")


@login_required
def summary(request, pk):
    incident = get_object_or_404(Incident.objects.restrict(request.user, "view"), pk=pk)
    if request.GET.get("format") == "docx":
        return docx_response(exports.summary_docx(incident), f"{incident.number}-情况汇总")
    return render(request, "incidents/summary.html", {"incident": incident, "s": exports.summary(incident)})


@login_required
def cap_xml(request, pk):
    message = get_object_or_404(CapMessage.objects.restrict(request.user, "view"), pk=pk)
    return HttpResponse(message.xml, content_type="application/xml; charset=utf-8")


# ---------------------------------------------------------------- live board

def _board_headers(current):
    out = []
    for column, label in (("level", _("level")), ("received", _("incident")), ("clock", _("clocks"))):
        state = "asc" if current == column else "desc" if current == f"-{column}" else ""
        out.append({"label": label, "column": column, "sortable": True, "state": state,
                    "next": f"-{column}" if state == "asc" else column})
    return out


@login_required
def board(request):
    if not can(request.user, "incidents", "view"):
        raise PermissionDenied(_("You may not view incidents."))
    sort = request.GET.get("sort", "")
    sort = sort if sort.lstrip("-") in queries.BOARD_SORTS else ""
    ctx = {"incidents": queries.board_rows(request.user, sort=sort), "now": timezone.now(), "level_hex": LEVEL_HEX,
           "sort": sort, "sort_headers": _board_headers(sort),
           "levels": IncidentLevel.choices,
           "drafts": Incident.objects.restrict(request.user, "view").filter(status=Status.DRAFT).order_by("-received_at"),
           "points": resources_used.board_points(request.user)}
    ctx["drills"] = drills.board_rows(request.user)  # drills running: a section of their own, counted nowhere
    if is_partial(request):
        return render(request, "incidents/_board_list.html", ctx)
    nodes = Jurisdiction.objects.restrict(request.user, "view").filter(level__in=["street", "community"])
    ctx["nodes"] = [{"name": n.name, "lat": n.lat, "lon": n.lon, "boundary": n.boundary} for n in nodes
                    if n.lat is not None or n.boundary]
    ctx["can_add"] = can(request.user, "incidents", "add")
    return render(request, "incidents/board.html", ctx)
