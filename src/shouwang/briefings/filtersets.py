import django_filters
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet

from .models import DailyReport


class DailyReportFilterSet(ScopedFilterSet):
    date = django_filters.DateFilter(label=_("date"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = DailyReport
        fields = ["slot"]
