"""Pages: inspection plans (routine, pre-holiday, campaigns) with their progress, read from the
planned-inspection obligations through the obligation engine's queryset methods."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shouwang.core.views.base import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.registers.choices import Category
from shouwang.registers.models import KeyPlace

from .. import planning, services
from ..choices import KIND_PLANNED, PlanKind
from ..filtersets import InspectionPlanFilterSet
from ..forms import InspectionPlanForm
from ..models import InspectionPlan

PLAN_STATES = {State.MET: "ok", State.MET_LATE: "warn", State.MISSED: "danger", State.DUE_SOON: "warn"}


def _phone_url():
    try:
        return reverse("inspections:phone")
    except NoReverseMatch:
        return None


def plan_progress(plans, now):
    """{plan id: (rows, counts)} for these plans: every covered place with the state of its
    latest planned inspection (planning.progress), read in two queries."""
    plans = list(plans)
    explicit = {p.pk: {k.pk: k for k in p.places.all()} for p in plans}
    wide = [p for p in plans if not explicit[p.pk]]
    places = {}
    if wide:
        under = Q()
        for p in wide:
            under |= Q(jurisdiction__path__startswith=p.jurisdiction.path)
        places = {k.pk: k for k in KeyPlace.objects.filter(under).select_related("jurisdiction")}
    covered = {}
    for p in plans:
        if explicit[p.pk]:
            covered[p.pk] = explicit[p.pk]
            continue
        covered[p.pk] = {pk: k for pk, k in places.items()
                         if planning.covers(p.jurisdiction.path, p.categories, None,
                                            planning.Place(pk, k.jurisdiction.path, k.category))}
    ids = {pk for c in covered.values() for pk in c}
    rows = {}
    if ids:
        found = (Obligation.objects.for_subjects(KeyPlace, ids).of_kind(KIND_PLANNED).with_state(now)
                 .values_list("key", "subject_id", "state_db", "due_at"))
        for key, subject_id, state, due_at in found:
            rows.setdefault(planning.plan_of_key(key), []).append((int(subject_id), state, due_at))
    out = {}
    for p in plans:
        states, counts = planning.progress(list(covered[p.pk]), rows.get(p.pk, []))
        out[p.pk] = ([(covered[p.pk][pk], state, due_at) for pk, (state, due_at) in states.items()], counts)
    return out


class PlanPages:
    model = InspectionPlan
    url_base = "inspections:inspectionplan"
    form_class = InspectionPlanForm
    select_related = ["jurisdiction", "holiday", "template", "inspector"]


class InspectionPlanListView(PlanPages, ObjectListView):
    template_name = "inspections/plan_list.html"
    partial_template_name = "inspections/plan_table.html"
    filterset_class = InspectionPlanFilterSet
    columns = ["name", "kind", "starts_on", "deadline", "holiday", "jurisdiction"]
    paginate_by = 25

    def get_queryset(self):
        return super().get_queryset().prefetch_related("places")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        progress = plan_progress(ctx["object_list"], timezone.now())
        for row in ctx["rows"]:
            row["progress"] = progress[row["object"].pk][1]
        return ctx


class InspectionPlanDetailView(PlanPages, ObjectDetailView):
    template_name = "inspections/plan_detail.html"
    fields = ["name", "kind", "jurisdiction", "template", "holiday", "starts_on", "deadline", "inspector",
              "description"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix == "delete" else suffix)  # plans are not deleted here

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        ctx["can_delete"] = False
        rows, counts = plan_progress([plan], timezone.now())[plan.pk]
        phone = _phone_url()
        labels = dict(State.choices)
        ctx["place_rows"] = [{
            "place": place, "state": labels.get(state) if state else None, "tone": PLAN_STATES.get(state, ""),
            "due_at": due_at,
            "inspect_url": f"{phone}?place={place.pk}&plan={plan.pk}" if phone else None,
        } for place, state, due_at in sorted(rows, key=lambda r: (r[0].jurisdiction.path, r[0].name))]
        ctx["counts"] = counts
        category_labels = dict(Category.choices)
        ctx["category_labels"] = [category_labels.get(c, c) for c in plan.categories or []]
        ctx["is_campaign"] = plan.kind == PlanKind.CAMPAIGN
        return ctx


class InspectionPlanCreateView(PlanPages, ObjectCreateView):
    def save_form(self, form):
        return services.create_plan(user=self.request.user, **form.values())


class InspectionPlanUpdateView(PlanPages, ObjectUpdateView):
    def save_form(self, form):
        values = form.values()
        node = values.pop("node")
        return services.edit_plan(self.object, user=self.request.user, jurisdiction=node, **values)


urlpatterns = [
    *crud_urls("plans", "inspectionplan", list=InspectionPlanListView, detail=InspectionPlanDetailView,
               create=InspectionPlanCreateView, edit=InspectionPlanUpdateView),
]
