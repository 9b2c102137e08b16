"""One FilterSet for the board, the API and the tests; the state filter runs in SQL (`in_state`)."""

from datetime import timedelta

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.core.clock import local_datetime
from shouwang.core.filtersets import ScopedChoicesFilterSet, ScopedFilterSet
from shouwang.core.models import Person, RoleAssignment, Unit
from shouwang.core.permissions import roles_allowing

from .choices import NotificationKind, State
from .models import Notification, Obligation, Webhook


def _scoped(model):
    def queryset(request):
        if request is None:
            return model.objects.all()
        return model.objects.restrict(request.user, "view")

    return queryset


DRILL_CHOICES = [("only", _("drills only")), ("all", _("real duties and drills"))]


class ObligationFilterSet(ScopedFilterSet):
    """Lists read the real duties unless `?drill=only` or `?drill=all` asks for a drill's too: a drill
    is measured on its own pages and never counts here."""

    drill = django_filters.ChoiceFilter(choices=DRILL_CHOICES, method="filter_drill", label=_("drills"),
                                        empty_label=_("real duties only"))
    state = django_filters.ChoiceFilter(choices=State.choices, method="filter_state", label=_("state"))
    kind = django_filters.CharFilter(method="filter_kind", label=_("kind"),
                                     help_text=_("One kind, or several separated by commas."))
    unit = django_filters.ModelChoiceFilter(field_name="responsible_unit", queryset=_scoped(Unit), label=_("unit"))
    person = django_filters.ModelChoiceFilter(field_name="responsible_person", queryset=_scoped(Person),
                                              label=_("person"))
    period = django_filters.DateFromToRangeFilter(method="filter_period", label=_("due between"))
    pending = django_filters.BooleanFilter(method="filter_pending", label=_("not done yet"),
                                           help_text=_("Neither met nor waived (the home page's counts link here)."))
    mine = django_filters.CharFilter(method="filter_mine", label=_("mine"),
                                     help_text=_("1: only those I answer for (see My obligations)."),
                                     validators=[RegexValidator(r"(?i)^(1|0|true|false|yes|no|on|off)$",
                                                                _("Say 1 (only mine) or 0."))])

    class Meta:
        model = Obligation
        fields = ["state", "kind", "unit", "person", "period", "pending", "drill"]

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    @property
    def qs(self):
        if not hasattr(self, "_real_qs"):
            cleaned = getattr(self.form, "cleaned_data", {}) if self.is_bound else {}
            self._real_qs = super().qs if cleaned.get("drill") else super().qs.real()
        return self._real_qs

    def filter_drill(self, qs, name, value):
        return qs.drills() if value == "only" else qs

    def filter_state(self, qs, name, value):
        return qs.in_state(value, now=self.now) if value else qs

    def filter_kind(self, qs, name, value):
        kinds = [k.strip() for k in (value or "").split(",") if k.strip()]
        return qs.of_kind(*kinds) if kinds else qs

    def filter_pending(self, qs, name, value):
        if value is None:
            return qs
        return qs.pending() if value else qs.exclude(met_at__isnull=True, waived_at__isnull=True)

    def filter_period(self, qs, name, value):
        # Local days turned into an aware range on due_at, so the (node, due_at) index serves it.
        if value.start:
            qs = qs.filter(due_at__gte=local_datetime(value.start))
        if value.stop:
            qs = qs.filter(due_at__lt=local_datetime(value.stop + timedelta(days=1)))
        return qs

    def filter_mine(self, qs, name, value):
        if str(value).lower() not in ("1", "true", "yes", "on") or self.request is None:
            return qs
        return qs.filter(mine_condition(self.request.user))


def mine_condition(user):
    """Mine: I am the responsible person, or nobody is and it sits on a node where I hold a role
    that may act on obligations (that node itself, not its whole subtree)."""

    nodes = RoleAssignment.objects.filter(user=user, role__in=roles_allowing("obligations", "change"))
    # Ids, not a join on the person: each side can use its (person, due_at) / (node, due_at) index.
    me = Person.objects.filter(user=user).values("pk")
    return Q(responsible_person_id__in=me) | Q(
        responsible_person__isnull=True, jurisdiction_id__in=nodes.values("jurisdiction_id")
    )


class NotificationFilterSet(ScopedChoicesFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("unread"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind", "obligation"]


class WebhookFilterSet(ScopedFilterSet):
    class Meta:
        model = Webhook
        fields = ["active"]
