"""The optimiser's page: a progress bar and the best penalty so far while it runs (the page polls
the stored progress), then its roster as a grid to review, with the penalty by term, the checker's
verdict and how much it changes; publish it, keep it as the draft, or discard it."""

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import ObjectActionView, ObjectDetailView, is_partial

from .. import queries, rosters, services
from ..choices import ACTIVE_RUNS, RunState
from ..models import Assignment, SolveRun
from .common import DutyPage


def run_context(run):
    finished = run.state not in ACTIVE_RUNS
    return {"run": run, "active": not finished, "percent": run.percent, "elapsed": round(run.elapsed),
            "terms": [(rosters.term_label(k), v) for k, v in (run.result.get("terms") or {}).items()],
            "checker": run.result.get("checker") or {}, "progress_points": run.progress[-12:]}


class SolveRunDetailView(DutyPage, ObjectDetailView):
    model = SolveRun
    url_base = "duty:solverun"
    template_name = "duty/solverun_detail.html"
    select_related = ["roster__jurisdiction", "requested_by__person"]
    fields = ["roster", "seconds", "workers", "state", "started_at", "finished_at"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_template_names(self):
        return ["duty/solverun_progress.html" if is_partial(self.request) else self.template_name]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if is_partial(self.request) and not context["active"]:
            response["HX-Refresh"] = "true"  # finished: the whole page, with the roster to review
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.object
        ctx.update(run_context(run))
        ctx["can_change"] = ctx["can_delete"] = False
        ctx["today"] = timezone.localdate()
        ctx["me"] = getattr(getattr(self.request.user, "person", None), "pk", None)
        ctx["may_decide"] = can_at(self.request.user, "duty", "change", run.scope_path) and run.state == RunState.DONE
        if run.state in (RunState.DONE, RunState.PUBLISHED, RunState.DISCARDED) and run.result.get("assignments"):
            proposed = services.proposal(run)
            standing = set(Assignment.objects.live().filter(roster=run.roster)
                           .values_list("person_id", "day", "shift", "post"))
            for a in proposed:
                a.is_new = (a.person_id, a.day, a.shift, a.post) not in standing
            ctx["changed"] = sum(a.is_new for a in proposed) if run.state == RunState.DONE else None
            ctx["grid"] = queries.grid(run.roster, assignments=proposed)
            ctx["roster_published"] = run.roster.is_published
        return ctx


class SolveRunProgressView(DutyPage, ObjectDetailView):
    """The stored progress as JSON, for scripts (the page polls its own partial)."""

    model = SolveRun
    url_base = "duty:solverun"

    def render_to_response(self, context, **response_kwargs):
        run = self.object
        return JsonResponse({"state": run.state, "percent": run.percent, "elapsed": round(run.elapsed, 1),
                             "best_penalty": run.best_penalty, "progress": run.progress, "status": run.status})

    def get_context_data(self, **kwargs):
        return {"object": self.object}


class SolveRunApplyView(ObjectActionView):
    model = SolveRun
    success_message = gettext_lazy("Published: the optimiser's roster is now the roster.")

    def perform(self, obj, form):
        publish_it = self.request.POST.get("publish", "1") != "0"
        roster = services.apply_run(obj, publish_it=publish_it, user=self.request.user)
        if not publish_it:
            self.success_message = gettext_lazy("The optimiser's roster is now the draft; publish it when ready.")
        return roster

    def success_url(self, obj):
        return obj.roster.get_absolute_url()


class SolveRunDiscardView(ObjectActionView):
    model = SolveRun
    success_message = gettext_lazy("Discarded; the roster stays as it was.")

    def perform(self, obj, form):
        return services.discard_run(obj, user=self.request.user)

    def success_url(self, obj):
        return obj.roster.get_absolute_url()


urlpatterns = [
    path("runs/<int:pk>/", SolveRunDetailView.as_view(), name="solverun_detail"),
    path("runs/<int:pk>/progress.json", SolveRunProgressView.as_view(), name="solverun_progress"),
    path("runs/<int:pk>/apply/", SolveRunApplyView.as_view(), name="solverun_apply"),
    path("runs/<int:pk>/discard/", SolveRunDiscardView.as_view(), name="solverun_discard"),
]
