import django_filters
from django.utils.translation import gettext_lazy as _

from shouwang.core.filtersets import ScopedFilterSet

from .models import Briefing, Consultation, DailyReport, Decision, WallScreen


class DailyReportFilterSet(ScopedFilterSet):
    date = django_filters.DateFilter(label=_("date"))
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = DailyReport
        fields = ["slot"]


class BriefingFilterSet(ScopedFilterSet):
    since = django_filters.DateFilter(field_name="end", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="end", lookup_expr="lte", label=_("until"))

    class Meta:
        model = Briefing
        fields = ["state", "days", "year"]


class ConsultationFilterSet(ScopedFilterSet):
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = Consultation
        fields = ["date"]


class DecisionFilterSet(ScopedFilterSet):
    done = django_filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True, label=_("done"))

    class Meta:
        model = Decision
        fields = ["consultation", "responsible_person", "responsible_unit"]


class WallScreenFilterSet(ScopedFilterSet):
    class Meta:
        model = WallScreen
        fields = ["name"]
