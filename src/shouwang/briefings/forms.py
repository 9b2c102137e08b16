import uuid
from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shouwang.core.choices import NodeLevel
from shouwang.core.documents import join_distribution, split_distribution
from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Person, Unit
from shouwang.core.scope import nodes_where

from . import queries
from .choices import PERIODS, Slot
from .models import Consultation, DailyReport


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


# --- briefings, consultations, wall screens ----------------------------------------------------

def _nodes(user, action="add"):
    return nodes_where(user, "briefings", action).exclude(level__in=[NodeLevel.AREA, NodeLevel.GRID]).order_by("path")


class BriefingGenerateForm(forms.Form):
    """Make a briefing from the data: the node, the period's length and its last day."""

    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("node"))
    days = forms.TypedChoiceField(coerce=int, choices=[(d, _("%(n)s days") % {"n": d}) for d in PERIODS],
                                  label=_("period (days)"))
    end = forms.DateField(label=_("last day of the period"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _nodes(user)
        self.fields["days"].choices = [(1, _("1 day (the daily briefing)"))] + [
            (d, _("%(n)s days") % {"n": d}) for d in PERIODS if d != 1]
        if not self.is_bound:
            nodes = list(self.fields["jurisdiction"].queryset[:2])
            if nodes:
                self.initial.setdefault("jurisdiction", nodes[0].pk)
            self.initial.setdefault("days", 1)
            self.initial.setdefault("end", timezone.localdate(now) - timedelta(days=1))


class BriefingEditForm(forms.Form):
    """The editor's words around the figures; a note field per section of the briefing."""

    title = forms.CharField(max_length=120, label=_("title"))
    issuer = forms.CharField(max_length=100, label=_("issuing office"))
    remark = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("remark (按语)"),
                             help_text=_("The editor's remark printed before the body."))
    report_to = forms.CharField(required=False, max_length=95, label=_("report to (报)"))
    copy_to = forms.CharField(required=False, max_length=95, label=_("copy to (送)"))
    send_to = forms.CharField(required=False, max_length=95, label=_("send to (发)"))

    def __init__(self, *args, briefing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_keys = []
        for section in briefing.sections if briefing is not None else []:
            name = f"note_{section['key']}"
            self.fields[name] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                label=_("note under “%(section)s”") % {"section": section["title"]})
            self.section_keys.append(section["key"])
        if briefing is not None and not self.is_bound:
            self.initial.update(title=briefing.title, issuer=briefing.issuer, remark=briefing.remark,
                                **split_distribution(briefing.distribution),
                                **{f"note_{k}": v for k, v in (briefing.notes or {}).items()})

    def values(self):
        data = self.cleaned_data
        return {"title": data["title"], "issuer": data["issuer"], "remark": data["remark"],
                "notes": {k: data.get(f"note_{k}", "") for k in self.section_keys},
                "distribution": join_distribution(data["report_to"], data["copy_to"], data["send_to"])}


class ConsultationForm(ScopedModelForm):
    class Meta:
        model = Consultation
        fields = ["jurisdiction", "date", "chaired_by", "attendees", "items", "analysis", "briefing"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "items": forms.Textarea(attrs={"rows": 4}),
            "analysis": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = self.fields["jurisdiction"].queryset.exclude(
            level__in=[NodeLevel.AREA, NodeLevel.GRID])
        self.fields["briefing"].queryset = self.fields["briefing"].queryset.order_by("-end", "-pk")
        if self.instance.pk:
            self.fields.pop("jurisdiction")
            self.fields.pop("date")
        elif not self.is_bound:
            self.initial.setdefault("date", timezone.localdate(now))

    def validate_unique(self):
        """One consultation a day per node: the service says it, by field."""


class DecisionForm(forms.Form):
    text = forms.CharField(max_length=300, label=pgettext_lazy("consultation", "decision"))
    responsible_person = forms.ModelChoiceField(queryset=None, required=False, label=_("responsible person"))
    responsible_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("responsible unit"))
    due_at = forms.DateTimeField(label=_("to be done by"),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, user=None, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user, "view").filter(active=True)
        units = Unit.objects.restrict(user, "view")
        if node is not None:  # of the node and below, or of the offices above it
            near = Q(jurisdiction__path__startswith=node.path) | Q(jurisdiction__in=[a.pk for a in node.ancestors()])
            people, units = people.filter(near), units.filter(near)
        self.fields["responsible_person"].queryset = people.order_by("name")
        self.fields["responsible_unit"].queryset = units.order_by("name")


class DecisionDoneForm(forms.Form):
    done_note = forms.CharField(required=False, max_length=300, label=pgettext_lazy("consultation", "what was done"))


class WallScreenForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("node shown"))
    name = forms.CharField(max_length=60, label=_("name"), help_text=_("Where the screen hangs, e.g. the command centre."))
    refresh_seconds = forms.IntegerField(min_value=15, max_value=3600, initial=60, label=_("refresh every (seconds)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _nodes(user)
