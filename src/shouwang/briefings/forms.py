import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.scope import nodes_where

from . import queries
from .choices import Slot
from .models import DailyReport


class DailyReportForm(ScopedModelForm):
    """Phone-friendly: the community and the slot come preselected; a hidden client id makes resubmits harmless."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DailyReport
        fields = ["jurisdiction", "date", "slot", "situation", "police_on_duty", "patrol_team_on_duty",
                  "volunteers_on_duty", "events", "problems", "client_uuid"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "situation": forms.Textarea(attrs={"rows": 3}),
            "events": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "police_on_duty": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "patrol_team_on_duty": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "volunteers_on_duty": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        labels = {"jurisdiction": _("community")}

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime(now or timezone.now())
        writable = [node.path for node in nodes_where(self.user, "briefings", "add").only("path")]
        reporting = [(node, eff) for node, eff in queries.reporting_nodes()
                     if any(node.path.startswith(path) for path in writable)]
        self.fields["jurisdiction"].queryset = self.fields["jurisdiction"].queryset.filter(
            pk__in=[node.pk for node, _eff in reporting])
        if not self.is_bound:
            self.initial.setdefault("date", now.date())
            self.initial.setdefault("client_uuid", uuid.uuid4())
            if len(reporting) == 1:
                self.initial.setdefault("jurisdiction", reporting[0][0].pk)
            chosen = str(self.initial.get("jurisdiction", ""))
            eff = next((eff for node, eff in reporting if str(node.pk) == chosen), reporting[0][1] if reporting else None)
            self.initial.setdefault("slot", slot_for(now, eff))

    def validate_unique(self):
        """The client id may repeat (a resubmitted form): the service returns the first report then."""


class DailyReportCorrectionForm(forms.ModelForm):
    """The office corrects a filed report: what it should have said, and why."""

    class Meta:
        model = DailyReport
        fields = ["correction_reason", "situation", "police_on_duty", "patrol_team_on_duty", "volunteers_on_duty",
                  "events", "problems"]
        widgets = DailyReportForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction_reason"].required = True


class WithdrawForm(forms.Form):
    withdraw_reason = forms.CharField(label=_("why it is withdrawn"), max_length=200,
                                      widget=forms.Textarea(attrs={"rows": 2}))


def slot_for(now, eff=None) -> str:
    """The slot whose window opened last before `now` (the first slot before any opens)."""
    slots = queries.slots_of(eff) if eff is not None else [
        {"slot": Slot.MORNING, "opens": "06:00"}, {"slot": Slot.EVENING, "opens": "15:00"}]
    current = slots[0]["slot"] if slots else Slot.MORNING
    for slot in sorted(slots, key=lambda s: s.get("opens", "00:00")):
        if slot.get("opens", "00:00") <= now.strftime("%H:%M"):
            current = slot["slot"]
    return current
