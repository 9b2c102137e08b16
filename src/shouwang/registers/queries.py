"""Reads of the registers for pages, API and exports: today's colours, what is overdue."""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from shouwang.core.search import Hit
from shouwang.obligations.models import Obligation

from .choices import KIND_DEFENCE_CHECK, KIND_REVIEW
from .models import Defence, KeyPlace, RiskRating


def overdue_checks(place, now=None):
    """Whether the place's review and any of its defences' checks are missed now."""
    missed = Obligation.objects.in_state("missed", now)
    defence_ids = [str(pk) for pk in place.defences.values_list("pk", flat=True)]
    return {
        "review": missed.for_subject(place).of_kind(KIND_REVIEW).exists(),
        "defence_check": bool(defence_ids) and missed.of_kind(KIND_DEFENCE_CHECK).for_subjects(Defence, defence_ids).exists(),
    }


def annotate_review_overdue(qs, now=None):
    missed = Obligation.objects.in_state("missed", now).of_kind(KIND_REVIEW).of_outer_subject(KeyPlace)
    return qs.annotate(review_overdue=Exists(missed))


def colour_subquery(day):
    return Subquery(
        RiskRating.objects.filter(place=OuterRef("pk"), date__lte=day).order_by("-date", "-created_at", "-pk")
        .values("colour")[:1]
    )


def annotate_colours(qs, day=None):
    day = day or timezone.localdate()
    rated_on = Subquery(
        RiskRating.objects.filter(place=OuterRef("pk"), date__lte=day).order_by("-date", "-created_at", "-pk")
        .values("date")[:1]
    )
    return qs.annotate(colour=colour_subquery(day), colour_date=rated_on,
                       colour_before=colour_subquery(day - datetime.timedelta(days=1)))


def search_places(user, q, limit):
    """Key places for the global search (core.search): by name or address."""
    rows = (KeyPlace.objects.restrict(user, "view").filter(Q(name__icontains=q) | Q(address__icontains=q))
            .select_related("jurisdiction").order_by("name")[:limit])
    return [Hit(p.name, p.get_absolute_url(), f"{p.jurisdiction.name} · {p.address}", p.name == q) for p in rows]
