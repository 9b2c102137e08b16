"""Pages: inspections and a key place's inspection history (recorded on the phone page)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.views.base import ObjectListView, ScopedMixin, history_of
from shouwang.registers.models import KeyPlace

from ..filtersets import InspectionFilterSet
from ..models import Answer, Finding, Inspection


def _phone_url(place=None):
    try:
        url = reverse("inspections:phone")
    except NoReverseMatch:
        return None
    return f"{url}?place={place.pk}" if place else url


class InspectionPages:
    model = Inspection
    url_base = "inspections:inspection"


class InspectionListView(InspectionPages, ObjectListView):
    template_name = "inspections/inspection_list.html"
    partial_template_name = "inspections/inspection_table.html"
    filterset_class = InspectionFilterSet
    sort_columns = {
        "finished_at": (gettext_lazy("finished at (phone)"), "finished_at"),
        "place": (gettext_lazy("key place"), "place__name"),
        "score": (gettext_lazy("score"), "score"),
        "failed_count": (gettext_lazy("failed items"), "failed_count"),
    }

    def get_queryset(self):
        return super().get_queryset().select_related("place", "unit", "jurisdiction", "inspector__person",
                                                     "version__template")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["phone_url"] = _phone_url()
        return ctx


class InspectionDetailView(InspectionPages, ScopedMixin, generic.DetailView):
    template_name = "inspections/inspection_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("place", "unit", "jurisdiction", "inspector__person",
                                                     "version__template", "plan")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inspection = self.object
        answers = (Answer.objects.filter(inspection=inspection).select_related("item", "finding__order")
                   .prefetch_related("photos").order_by("item__order", "pk"))
        sections = []
        for answer in answers:
            if not sections or sections[-1][0] != answer.item.section:
                sections.append((answer.item.section, []))
            sections[-1][1].append(answer)
        ctx["sections"] = sections
        ctx["findings"] = Finding.objects.filter(inspection=inspection).select_related("order")
        ctx["history"] = history_of(inspection, self.request.user)
        return ctx


@login_required
def place_history(request, pk):
    """Every inspection of a key place, newest first, with its score and findings."""
    place = get_object_or_404(KeyPlace.objects.restrict(request.user, "view").select_related("jurisdiction"), pk=pk)
    inspections = (Inspection.objects.restrict(request.user, "view").filter(place=place)
                   .select_related("inspector__person", "version__template")
                   .prefetch_related(Prefetch("findings", queryset=Finding.objects.select_related("order")))
                   .order_by("-finished_at")[:200])
    return render(request, "inspections/place_history.html",
                  {"place": place, "inspections": inspections, "phone_url": _phone_url(place)})


urlpatterns = [
    path("", InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", InspectionDetailView.as_view(), name="inspection_detail"),
    path("places/<int:pk>/", place_history, name="place_history"),
]
