"""Pages of emergency plans: the list, a plan with its version in force (or any version, `?version=`),
its checklist, contacts and resources, its versions with what changed, its expert reviews; the
editor of its draft; approval and review."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)
from shouwang.obligations.choices import State

from .. import diffs, queries, services
from ..filtersets import PlanFilterSet
from ..forms import ApproveForm, PlanForm, ReviewForm
from ..models import Plan
from .common import NoDeletePage

REVIEW_TONE = {State.MISSED: "danger", State.DUE_SOON: "warn"}


class PlanPages:
    model = Plan
    url_base = "plans:plan"
    form_class = PlanForm
    select_related = ["jurisdiction", "current__lead_group"]


class PlanListView(PlanPages, ObjectListView):
    template_name = "plans/plan_list.html"
    partial_template_name = "plans/_plan_table.html"
    filterset_class = PlanFilterSet
    columns = ["title", "working_kind", "jurisdiction", "current", "active"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        reviews = queries.review_state(ctx["object_list"])
        labels = dict(State.choices)
        for row in ctx["rows"]:
            state, due = reviews.get(row["object"].pk, (None, None))
            row["review"] = {"label": labels.get(state), "due": due, "tone": REVIEW_TONE.get(state, "")} if due else None
            draft = services.draft_of(row["object"])
            row["draft"] = draft
        return ctx


class PlanDetailView(NoDeletePage, PlanPages, ObjectDetailView):
    template_name = "plans/plan_detail.html"
    fields = ["working_kind", "jurisdiction", "active"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        versions = list(plan.versions.select_related("lead_group", "approved_by").prefetch_related(
            "actions__group", "contacts__person", "teams").order_by("-number"))
        by_number = {v.number: v for v in versions}
        asked = self.request.GET.get("version", "")
        shown = by_number.get(int(asked)) if asked.isdigit() else None
        shown = shown or plan.current or (versions[0] if versions else None)
        previous = by_number.get(shown.number - 1) if shown is not None else None
        ctx.update(
            versions=versions, shown=shown, draft=services.draft_of(plan), can_delete=False,
            diff=diffs.diff(previous, shown, queries.category_terms()) if shown is not None and previous else None,
            previous=previous, categories=queries.category_labels(shown.categories) if shown else [],
            resources=queries.resources_of(shown) if shown else None,
            reviews=list(plan.reviews.select_related("version")),
            review_due=_review(queries.review_state([plan]).get(plan.pk)),
            approve_form=ApproveForm(), review_form=ReviewForm(initial={"reviewed_on": timezone.localdate()}),
            drills=list(plan.drills.order_by("-scheduled_at")[:10]),
        )
        return ctx


def _review(found):
    if not found:
        return None
    state, due = found
    return {"state": state, "label": dict(State.choices).get(state, ""), "due": due}


class PlanCreateView(PlanPages, ObjectCreateView):
    template_name = "plans/plan_form.html"

    def save_form(self, form):
        fields = form.version_fields()
        fields.pop("title")
        return services.create_plan(node=form.cleaned_data["jurisdiction"], title=form.cleaned_data["title"],
                                    working_kind=form.cleaned_data["working_kind"], user=self.request.user,
                                    actions=form.actions, **fields)


class PlanUpdateView(PlanPages, ObjectUpdateView):
    """The draft editor: the plan's name and kind, and its draft version (the next version, started
    from the one in force, when there is no draft)."""

    template_name = "plans/plan_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["version"] = services.draft_of(self.object) or self.object.current
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        draft = services.draft_of(self.object)
        ctx["editing_note"] = (_("You are editing the draft version %(n)s.") % {"n": draft.number} if draft else
                               _("The version in force never changes: saving makes the next version, a draft "
                                 "to approve."))
        return ctx

    def save_form(self, form):
        plan = form.save(commit=False)
        plan.save(update_fields=["title", "working_kind", "active", "updated_at"])
        services.save_draft(plan, user=self.request.user, actions=form.actions, **form.version_fields())
        return plan


class PlanApproveView(ObjectActionView):
    model = Plan
    form_class = ApproveForm

    def perform(self, plan, form):
        draft = services.draft_of(plan)
        if draft is None:
            messages.error(self.request, _("There is no draft version to approve."))
            return HttpResponseRedirect(plan.get_absolute_url())
        version = services.approve(draft, user=self.request.user, approver=form.cleaned_data["approver"])
        messages.success(self.request, _("Version %(n)s approved: it is the version in force.") % {"n": version.number})
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanReviewView(ObjectActionView):
    model = Plan
    form_class = ReviewForm
    success_message = gettext_lazy("The expert review is recorded.")

    def perform(self, plan, form):
        services.record_review(plan, user=self.request.user, **form.cleaned_data)


urlpatterns = [  # the plans are the app's front page: /plans/, /plans/<pk>/ ...
    path("", PlanListView.as_view(), name="plan_list"),
    path("new/", PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/", PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", PlanUpdateView.as_view(), name="plan_edit"),
    path("<int:pk>/approve/", PlanApproveView.as_view(), name="plan_approve"),
    path("<int:pk>/review/", PlanReviewView.as_view(), name="plan_review"),
]
