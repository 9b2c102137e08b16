"""One FilterSet per register: page filters, API parameters and tests."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.filtersets import ScopedFilterSet

from .choices import Category, PlaceKind, ReviewState, RiskColour
from .models import (
    Attachment,
    CategoryWord,
    Defence,
    HazardousStock,
    KeyPlace,
    RiskRating,
    StockMovement,
)
from .queries import annotate_review_overdue, colour_subquery


class KeyPlaceFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))
    kind = django_filters.ChoiceFilter(choices=PlaceKind.choices, label=pgettext_lazy("key place", "kind"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    colour = django_filters.ChoiceFilter(choices=RiskColour.choices, method="by_colour", label=_("colour today"))
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices, method="by_review", label=_("review state"))

    class Meta:
        model = KeyPlace
        fields = ["kind", "category", "unit"]

    def search(self, qs, name, value):

        return qs.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def by_colour(self, qs, name, value):

        return qs.annotate(_colour=colour_subquery(timezone.localdate())).filter(_colour=value)

    def by_review(self, qs, name, value):

        return annotate_review_overdue(qs).filter(review_overdue=(value == ReviewState.OVERDUE))


class CategoryWordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="word", lookup_expr="icontains", label=_("search"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))

    class Meta:
        model = CategoryWord
        fields = ["category"]


class DefenceFilterSet(ScopedFilterSet):
    class Meta:
        model = Defence
        fields = ["place", "kind", "type", "state"]


class HazardousStockFilterSet(ScopedFilterSet):
    class Meta:
        model = HazardousStock
        fields = ["place", "hazard_class"]


class StockMovementFilterSet(ScopedFilterSet):
    class Meta:
        model = StockMovement
        fields = ["stock", "kind"]


class RiskRatingFilterSet(ScopedFilterSet):
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("since"))
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = RiskRating
        fields = ["place", "colour", "date"]


class AttachmentFilterSet(ScopedFilterSet):
    class Meta:
        model = Attachment
        fields = ["place", "kind"]
