"""Pages of the one holiday calendar: public holidays, school holidays and sensitive periods
that offices maintain per node (school days, pre-holiday inspections and duty read them)."""

from django.utils import timezone

from ..filtersets import HolidayFilterSet
from ..forms import HolidayForm
from ..models import Holiday
from .base import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)


class HolidayPages:
    model = Holiday
    url_base = "core:holiday"
    form_class = HolidayForm
    select_related = ["jurisdiction"]


class HolidayListView(HolidayPages, ObjectListView):
    """The calendar of one year (this year unless `?year=` says another)."""

    template_name = "core/holiday_list.html"
    filterset_class = HolidayFilterSet
    columns = ["name", "kind", "starts_on", "ends_on", "jurisdiction"]

    def year(self):
        raw = self.request.GET.get("year", "")
        return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2999 else timezone.localdate().year

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = (kwargs.get("data") or self.request.GET).copy()
        data["year"] = str(self.year())
        kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.year()
        ctx.update(year=year, prev_year=year - 1, next_year=year + 1)
        return ctx


class HolidayDetailView(HolidayPages, ObjectDetailView):
    fields = ["name", "kind", "starts_on", "ends_on", "jurisdiction"]


class HolidayCreateView(HolidayPages, ObjectCreateView):
    pass


class HolidayUpdateView(HolidayPages, ObjectUpdateView):
    pass


class HolidayDeleteView(HolidayPages, ObjectDeleteView):
    pass
