import json

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Person, Team

from .models import CheckIn, Checkpoint, Route, Schedule


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = ["jurisdiction", "name", "kind", "unit", "leader", "members", "equipment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Person.objects.restrict(self.user, "view")


class RouteForm(ScopedModelForm):
    class Meta:
        model = Route
        fields = ["jurisdiction", "name", "description"]


class CheckpointForm(ScopedModelForm):
    class Meta:
        model = Checkpoint
        fields = ["route", "order", "name", "lat", "lon", "radius_m", "key_place", "must_visit", "minutes_from_previous"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = Route.objects.restrict(self.user, "change")


class WindowsField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(_('Write the windows as JSON, e.g. [{"start": "22:00", "end": "02:00"}].')) from None


class ScheduleForm(ScopedModelForm):
    windows = WindowsField(label=_("windows"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_('e.g. [{"name": "night", "start": "22:00", "end": "02:00"}]'))

    class Meta:
        model = Schedule
        fields = ["jurisdiction", "name", "team", "route", "days", "policy_windows", "windows", "active"]


class ManualCheckInForm(forms.Form):
    """An operator enters a check-in for a member, with the reason."""

    checkpoint = forms.ModelChoiceField(Checkpoint.objects.none(), label=_("checkpoint"))
    member = forms.ModelChoiceField(Person.objects.none(), label=_("team member"))
    at = forms.DateTimeField(label=_("time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = Checkpoint.objects.restrict(user, "add").select_related("route")
        self.fields["member"].queryset = Person.objects.restrict(user, "view")


class AcceptCheckInForm(forms.Form):
    """The office accepts a flagged check-in: the reason is kept with it."""

    reason = forms.CharField(label=_("reason for accepting"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))


__all__ = ["AcceptCheckInForm", "CheckIn", "CheckpointForm", "ManualCheckInForm", "RouteForm", "ScheduleForm", "TeamForm"]
