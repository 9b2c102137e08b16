from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.scope import nodes_where

from .models import NodePolicy, Policy
from .services import parse_yaml
from .validation import validate_rules


class PolicyVersionForm(forms.Form):
    """Edit = a new version: the rules as YAML, what changed, and from when."""

    rules = forms.CharField(label=_("rules (YAML)"), widget=forms.Textarea(attrs={"rows": 28, "class": "code"}))
    note = forms.CharField(label=_("what changed"), max_length=200, required=False)
    effective_from = forms.DateTimeField(
        label=_("effective from"), initial=timezone.now,
        help_text=_("Not in the past: running clocks keep the version they started with."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def clean_rules(self):
        try:
            data = parse_yaml(self.cleaned_data["rules"])
            validate_rules(data)
        except ValidationError as exc:
            # One message per problem, shown under the field.
            raise ValidationError(exc.message_dict.get("rules", exc.messages) if hasattr(exc, "error_dict")
                                  else exc.messages) from exc
        return data


class PolicyCreateForm(forms.Form):
    """A node's own policy: a copy of a preset (or of another policy it can see)."""

    source = forms.ModelChoiceField(label=_("copy of"), queryset=Policy.objects.none())
    jurisdiction = forms.ModelChoiceField(label=_("owner node"), queryset=Policy.objects.none())
    code = forms.SlugField(label=_("code"), max_length=64)
    name = forms.CharField(label=_("name"), max_length=120)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].queryset = Policy.objects.restrict(user, "view")
        self.fields["jurisdiction"].queryset = nodes_where(user, "policies", "add")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Policy.objects.filter(code=code).exists():
            raise ValidationError(_("A policy with this code exists already."))
        return code


class NodePolicyForm(ScopedModelForm):
    class Meta:
        model = NodePolicy
        fields = ["jurisdiction", "policy", "priority"]

    def clean_priority(self):
        value = self.cleaned_data["priority"]
        if not 1 <= value <= 99:
            raise ValidationError(_("Use a priority between 1 and 99."))
        return value
