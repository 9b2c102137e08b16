"""Pages: the street's open hazards, the supervision list (挂牌督办), an order with its lifecycle
actions, findings, and the office's triage of patrol hazard sightings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.scope import can, can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectListView,
    ScopedMixin,
    add_form_errors,
    history_of,
)
from shouwang.obligations import kinds
from shouwang.obligations.models import Obligation
from shouwang.patrols.choices import SightingKind
from shouwang.patrols.models import Sighting

from .. import queries, services
from ..choices import OrderState, Result
from ..filtersets import RectificationOrderFilterSet
from ..forms import RectificationPlanForm, ReportDoneForm, TriageForm, VerifyForm
from ..models import Finding, RectificationOrder


class OrderPages:
    model = RectificationOrder
    url_base = "inspections:rectificationorder"


class RectificationOrderListView(OrderPages, ObjectListView):
    """Open hazards by severity (major first) and age; overdue ones stand out."""

    template_name = "inspections/order_list.html"
    partial_template_name = "inspections/order_table.html"
    filterset_class = RectificationOrderFilterSet
    title = gettext_lazy("Open hazards")
    sort_columns = {
        "number": (gettext_lazy("number"), "number"),
        "found_at": (gettext_lazy("found at"), "finding__found_at"),
        "deadline": (gettext_lazy("deadline"), "deadline"),
        "state": (gettext_lazy("state"), "state"),
    }

    def get_queryset(self):
        qs = queries.orders_for_list(super().get_queryset())
        if "open" not in self.request.GET and "state" not in self.request.GET:
            qs = qs.filter(state__in=[s.value for s in (OrderState.ORDERED, OrderState.IN_PROGRESS,
                                                          OrderState.REPORTED)])
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["now"] = timezone.now()
        ctx["title"] = self.title
        ctx["counts"] = queries.open_counts(self.object_list)
        ctx["can_triage"] = can(self.request.user, "inspections", "change")
        return ctx


class SupervisedListView(RectificationOrderListView):
    """挂牌督办: major hazards and others the office listed, open until closed."""

    title = gettext_lazy("Supervision list")

    def get_queryset(self):
        return super().get_queryset().filter(supervised=True)


class RectificationOrderDetailView(OrderPages, ScopedMixin, generic.DetailView):
    template_name = "inspections/order_detail.html"
    select_related = ["finding__place", "finding__inspection", "finding__unit", "responsible_unit",
                      "responsible_person", "jurisdiction", "ordered_by__person", "reported_by__person"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        ctx["now"] = timezone.now()
        ctx["overdue"] = order.is_open and order.state != OrderState.REPORTED and order.deadline < ctx["now"]
        ctx["verifications"] = order.verifications.select_related("verifier__person")
        ctx["photos"] = order.photos.all()
        ctx["finding_photos"] = order.finding.answer.photos.all() if order.finding.answer_id else []
        ctx["plan"] = getattr(order, "plan", None)
        ctx["duties"] = [{"label": kinds.label(o.kind), "due_at": o.due_at, "state": o.state}
                         for o in Obligation.objects.for_subject(order).order_by("opens_at", "pk")]
        may_act = services.is_assignee(order, user) or can_at(user, "inspections", "change", order.scope_path)
        ctx["may_start"] = may_act and order.state == OrderState.ORDERED and (
            not order.finding.is_major or ctx["plan"] is not None)
        ctx["needs_plan"] = may_act and order.finding.is_major and order.is_open and order.state != OrderState.REPORTED
        ctx["may_report"] = may_act and order.state in (OrderState.ORDERED, OrderState.IN_PROGRESS) and (
            not order.finding.is_major or ctx["plan"] is not None)
        ctx["verify_refusal"] = services.verifier_refusal(order, user) if order.state == OrderState.REPORTED else None
        ctx["may_verify"] = order.state == OrderState.REPORTED and ctx["verify_refusal"] is None
        ctx["report_form"] = ReportDoneForm()
        ctx["verify_form"] = VerifyForm()
        ctx["plan_form"] = RectificationPlanForm(initial=_plan_initial(ctx["plan"], order))
        ctx["history"] = history_of(order, user)
        return ctx


def _plan_initial(plan, order):
    if plan is None:
        return {"time_limit": timezone.localtime(order.deadline).strftime("%Y-%m-%dT%H:%M")}
    return {k: getattr(plan, k) for k in ("goal", "method", "funds", "responsible", "safety_measures")} | {
        "time_limit": timezone.localtime(plan.time_limit).strftime("%Y-%m-%dT%H:%M")}


class OrderAction(ObjectActionView):
    model = RectificationOrder
    right = None  # the service checks: the responsible person by his duty, or the office


class StartWorkView(OrderAction):
    success_message = gettext_lazy("Rectification started.")

    def perform(self, obj, form):
        return services.start_work(obj, user=self.request.user)


class RecordPlanView(OrderAction):
    form_class = RectificationPlanForm
    success_message = gettext_lazy("Rectification plan recorded; its time limit is the order's deadline.")

    def perform(self, obj, form):
        return services.record_plan(obj, user=self.request.user, **form.cleaned_data)


class ReportDoneView(OrderAction):
    form_class = ReportDoneForm
    success_message = gettext_lazy("Reported done. An inspector will verify it.")

    def perform(self, obj, form):
        return services.report_done(obj, user=self.request.user, text=form.cleaned_data["report_text"],
                                    photos=form.cleaned_data["photos"])


class VerifyView(OrderAction):
    form_class = VerifyForm

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.verify(obj, user=self.request.user, passed=data["result"] == Result.PASS, note=data["note"],
                               new_deadline=data["new_deadline"], on_site=data["on_site"],
                               members=data["acceptance_members"])

    def get_success_message(self, obj, result):
        if result.state == OrderState.CLOSED:
            return _("Verified: the order is closed.")
        return _("Verification failed: the order is reopened until %(deadline)s.") % {
            "deadline": timezone.localtime(result.deadline).strftime("%Y-%m-%d %H:%M")}


class FindingDetailView(ScopedMixin, generic.DetailView):
    """A finding is read on its order's page; one without an order keeps a page of its own."""

    model = Finding
    url_base = "inspections:finding"
    template_name = "inspections/finding_detail.html"

    def get(self, request, *args, **kwargs):
        finding = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        order = RectificationOrder.objects.filter(finding=finding).first()
        if order is not None:
            return redirect(order.get_absolute_url())
        return super().get(request, *args, **kwargs)


@login_required
def triage_list(request):
    """Patrol hazard sightings in scope that are not findings yet, newest first."""
    if not can(request.user, "inspections", "change"):
        raise PermissionDenied(_("Only the office triages hazard sightings."))
    sightings = (Sighting.objects.restrict(request.user, "view").filter(kind=SightingKind.HAZARD, finding__isnull=True)
                 .select_related("reported_by__person", "checkpoint", "jurisdiction").order_by("-received_at")[:200])
    return render(request, "inspections/triage_list.html", {"sightings": sightings})


@login_required
def sighting_triage(request, pk):
    """Turn one patrol hazard sighting into a finding with its order."""
    sighting = get_object_or_404(Sighting.objects.restrict(request.user, "view").select_related("jurisdiction"),
                                 pk=pk, kind=SightingKind.HAZARD)
    if not can_at(request.user, "inspections", "change", sighting.jurisdiction.path):
        raise PermissionDenied(_("Only the office triages hazard sightings."))
    form = TriageForm(request.POST or None, user=request.user, initial={"description": sighting.text})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = data["place"]
        try:
            finding = services.finding_from_sighting(
                sighting, user=request.user, severity=data["severity"], description=data["description"],
                place=place, unit=place.unit if place else None, deadline=data["deadline"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Recorded as a hazard with rectification order %(number)s.")
                             % {"number": finding.order.number})
            return HttpResponseRedirect(finding.order.get_absolute_url())
    return render(request, "inspections/triage_form.html", {"sighting": sighting, "form": form})


urlpatterns = [
    path("orders/", RectificationOrderListView.as_view(), name="rectificationorder_list"),
    path("orders/supervised/", SupervisedListView.as_view(), name="supervised"),
    path("orders/<int:pk>/", RectificationOrderDetailView.as_view(), name="rectificationorder_detail"),
    path("orders/<int:pk>/start/", StartWorkView.as_view(), name="rectificationorder_start"),
    path("orders/<int:pk>/plan/", RecordPlanView.as_view(), name="rectificationorder_plan"),
    path("orders/<int:pk>/report/", ReportDoneView.as_view(), name="rectificationorder_report"),
    path("orders/<int:pk>/verify/", VerifyView.as_view(), name="rectificationorder_verify"),
    path("findings/<int:pk>/", FindingDetailView.as_view(), name="finding_detail"),
    path("triage/", triage_list, name="triage_list"),
    path("triage/<int:pk>/", sighting_triage, name="sighting_triage"),
]
