"""Forms of duty's pages (the services validate again: a form only gathers the input)."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Person

from . import layouts
from .choices import Layout, Pattern, Post
from .models import Handover, Leave, Posture, Roster

DATE = {"type": "date"}
DT = {"type": "datetime-local"}
DT_FORMAT = "%Y-%m-%dT%H:%M"


class RosterForm(ScopedModelForm):
    """A roster from a ready layout: its shifts and how many people of which post each needs."""

    layout = forms.ChoiceField(label=_("shifts"), choices=Layout.choices, initial=Layout.THREE_SHIFTS)
    post = forms.ChoiceField(label=_("post"), choices=[c for c in Post.choices if c[0] != Post.LEADER],
                             initial=Post.PATROL)
    per_shift = forms.IntegerField(label=_("people per shift"), min_value=0, max_value=200, initial=1)
    leader = forms.BooleanField(label=_("a leader on duty on every shift"), required=False)
    min_rest_hours = forms.IntegerField(label=_("minimum rest between shifts (hours)"), min_value=0, max_value=48,
                                        initial=11)
    max_shifts_per_7_days = forms.IntegerField(label=_("most shifts in any 7 days"), min_value=1, max_value=7,
                                               initial=6)

    field_order = ["jurisdiction", "name", "starts_on", "days", "layout", "post", "per_shift", "leader", "team", "owner",
                   "members", "leaders", "min_rest_hours", "max_shifts_per_7_days"]

    class Meta:
        model = Roster
        fields = ["jurisdiction", "name", "team", "owner", "starts_on", "days", "members", "leaders"]
        widgets = {"starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"), "members": forms.SelectMultiple(attrs={"size": 10}),
                   "leaders": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {
            "team": _("The force this roster puts on duty: the posture's ratios raise its demand."),
            "owner": _("Answers for the roster: a slot still unstaffed 24 hours before it starts is his to fill."),
            "members": _("Empty: the force's members."),
            "days": _("From 1 to 92 days."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("members", "leaders", "owner"):
            self.fields[name].queryset = self.fields[name].queryset.select_related("jurisdiction")
        roster = self.instance
        if roster.pk:
            self.initial.setdefault("layout", layouts.layout_of(roster.shifts) or Layout.THREE_SHIFTS)
            posts = [r for r in roster.demand if r["role"] != Post.LEADER]
            if posts:
                self.initial.setdefault("post", posts[0]["role"])
                self.initial.setdefault("per_shift", posts[0]["count"])
            self.initial.setdefault("leader", any(r["role"] == Post.LEADER for r in roster.demand))
            for key in ("min_rest_hours", "max_shifts_per_7_days"):
                if key in (roster.rules or {}):
                    self.initial.setdefault(key, roster.rules[key])
            if roster.is_published:
                for name in ("starts_on", "days", "layout", "post", "per_shift", "leader", "min_rest_hours",
                             "max_shifts_per_7_days", "jurisdiction"):
                    self.fields[name].disabled = True
        else:
            self.initial.setdefault("starts_on", timezone.localdate().replace(day=1))
            self.initial.setdefault("days", 28)

    def values(self):
        """The cleaned input as the roster services take it."""
        data = self.cleaned_data
        shifts, demand = layouts.build(data["layout"], post=data["post"], per_shift=data["per_shift"],
                                       leader=data["leader"])
        rules = layouts.rules_of(data["layout"], min_rest_hours=data["min_rest_hours"],
                                 max_shifts_per_7_days=data["max_shifts_per_7_days"])
        roster = self.instance
        if roster.pk and layouts.layout_of(roster.shifts) == data["layout"]:
            shifts = roster.shifts  # keep its own labels and times
        return {"node": data["jurisdiction"], "name": data["name"], "team": data["team"], "owner": data["owner"],
                "starts_on": data["starts_on"], "days": data["days"], "shifts": shifts, "demand": demand,
                "rules": {**(roster.rules or {}), **rules}, "members": list(data["members"]),
                "leaders": list(data["leaders"])}


def _people(roster):
    return Person.objects.filter(pk__in=[*roster.members.values_list("pk", flat=True),
                                         *roster.leaders.values_list("pk", flat=True)]).order_by("name", "pk")


class GenerateForm(forms.Form):
    pattern = forms.ChoiceField(label=_("pattern"), choices=Pattern.choices)
    post = forms.ChoiceField(label=_("post taken in turn"), choices=[("", _("the roster's own post")), *Post.choices],
                             required=False, help_text=_("For a rotation one a day: leader on duty or duty officer."))
    team_1 = forms.ModelMultipleChoiceField(label=_("team 1"), queryset=Person.objects.none(), required=False)
    team_2 = forms.ModelMultipleChoiceField(label=_("team 2"), queryset=Person.objects.none(), required=False)
    team_3 = forms.ModelMultipleChoiceField(label=_("team 3"), queryset=Person.objects.none(), required=False)
    team_4 = forms.ModelMultipleChoiceField(label=_("team 4"), queryset=Person.objects.none(), required=False)
    people = forms.ModelMultipleChoiceField(label=_("in turn"), queryset=Person.objects.none(), required=False,
                                            help_text=_("The 24-hour duty's or the leaders' rotation, in this order."))

    def __init__(self, *args, roster=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = _people(roster) if roster is not None else Person.objects.none()
        for name in ("team_1", "team_2", "team_3", "team_4", "people"):
            self.fields[name].queryset = everyone
            self.fields[name].widget.attrs["size"] = 6

    def groups(self):
        data = self.cleaned_data
        if data["pattern"] == Pattern.FOUR_TEAMS:
            return [list(data[f"team_{i}"]) for i in range(1, 5)]
        order = [int(x) for x in self.data.getlist("people")] if hasattr(self.data, "getlist") else []
        chosen = {p.pk: p for p in data["people"]}
        return [[chosen[pk] for pk in order if pk in chosen] or list(data["people"])]


class SolveForm(forms.Form):
    seconds = forms.IntegerField(label=_("time limit (seconds)"), min_value=1, max_value=600, initial=30)
    workers = forms.IntegerField(label=_("solver threads"), min_value=1, max_value=8, initial=2)


class OverrideForm(forms.Form):
    person = forms.ModelChoiceField(label=_("put on this shift"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, assignment=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            self.fields["person"].queryset = (Person.objects.restrict(user, "view").filter(active=True)
                                              .exclude(pk=assignment.person_id).order_by("name"))


class FillForm(forms.Form):
    """Put a person on a shift that lacks one."""

    day = forms.DateField(label=_("day"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    shift = forms.ChoiceField(label=_("shift"), choices=())
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none())

    def __init__(self, *args, roster=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roster is not None:
            self.fields["shift"].choices = [(s["id"], s.get("label") or s["id"]) for s in roster.shifts]
            self.fields["post"].choices = [(p, label) for p, label in Post.choices if p in roster.posts()] or Post.choices
            self.fields["person"].queryset = (Person.objects.restrict(user, "view").filter(active=True)
                                              .order_by("name"))


class SwapForm(forms.Form):
    colleague = forms.ModelChoiceField(label=_("colleague"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()
        if assignment is not None:
            self.fields["colleague"].queryset = _people(assignment.roster).exclude(pk=assignment.person_id)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class LeaveForm(ScopedModelForm):
    class Meta:
        model = Leave
        fields = ["jurisdiction", "person", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"), "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}


class PostureForm(ScopedModelForm):
    class Meta:
        model = Posture
        fields = ["jurisdiction", "level", "starts_at", "ends_at", "reason"]
        widgets = {"starts_at": forms.DateTimeInput(attrs=DT, format=DT_FORMAT),
                   "ends_at": forms.DateTimeInput(attrs=DT, format=DT_FORMAT)}
        help_texts = {"jurisdiction": _("Lower nodes take this level unless they set a higher one.")}
        labels = {"starts_at": _("effective from"), "ends_at": _("effective until")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M"]
        if not self.instance.pk:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
            self.initial.setdefault("ends_at", (now + timezone.timedelta(days=3)).replace(hour=0, minute=0))


class HandoverForm(forms.ModelForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Handover
        fields = ["incoming", "open_items", "incidents", "notes"]
        widgets = {"open_items": forms.Textarea(attrs={"rows": 3}), "incidents": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()
        if assignment is not None:
            self.fields["incoming"].queryset = _people(assignment.roster).exclude(pk=assignment.person_id)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f
