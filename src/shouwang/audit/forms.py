from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwang.core.scope import nodes_where
from shouwang.obligations import kinds
from shouwang.obligations.models import Obligation

from .choices import Finding
from .queries import default_period

MAX_DAYS = 366


class AuditFilterForm(forms.Form):
    node = forms.ModelChoiceField(queryset=None, required=False, label=_("node (with subtree)"))
    since = forms.DateField(required=False, label=_("from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(required=False, label=_("until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(required=False, label=_("category"))
    state = forms.ChoiceField(required=False, label=_("finding"), choices=[("", "---------"), *Finding.choices])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["node"].queryset = nodes_where(user, "audit", "view").exclude(level__in=["area", "grid"])
        present = Obligation.objects.kinds_present()
        known = kinds.known()
        self.fields["kind"].choices = [("", "---------")] + sorted(
            ((k, known.get(k, k)) for k in present | set(known)), key=lambda pair: pair[1])

    def clean(self):
        data = super().clean()
        since, until = default_period()
        data["since"] = data.get("since") or (data["until"] - (until - since) if data.get("until") else since)
        data["until"] = data.get("until") or until
        if data["since"] > data["until"]:
            raise ValidationError({"until": _("The end of the period is before its start.")})
        if (data["until"] - data["since"]).days > MAX_DAYS:
            raise ValidationError({"since": _("A period of at most a year, please.")})
        if not data.get("node"):
            top = self.fields["node"].queryset.order_by("depth", "path").first()
            if top is None:
                raise ValidationError({"node": _("You have no node where you may see the audit.")})
            data["node"] = top
        return data
