import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import GroupKind
from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Group, Person
from shouwang.plans.models import PlanVersion

from . import checklist
from .choices import CapType, LogKind
from .models import Handover, Incident, LogEntry, Report, Task

DT_FORMAT = "%Y-%m-%dT%H:%M"


def dt_widget(**attrs):
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DT_FORMAT)


def now_local():
    return timezone.localtime().replace(second=0, microsecond=0).strftime(DT_FORMAT)


class IncidentForm(ScopedModelForm):
    """All the details of an incident (create page and edit page)."""

    class Meta:
        model = Incident
        fields = ["title", "address", "jurisdiction", "category", "level", "major", "received_at", "happened_at",
                  "discovered_at", "building", "floor", "room", "lat", "lon", "unit", "key_place", "channel", "reporter_name",
                  "reporter_phone", "commander", "description"]
        widgets = {"received_at": dt_widget(), "happened_at": dt_widget(), "discovered_at": dt_widget(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "received_at" in self.fields:
            if self.instance.pk:  # the clocks run from it: it cannot be moved afterwards
                self.fields["received_at"].disabled = True
            else:
                self.fields["received_at"].initial = now_local()


class QuickIntakeForm(IncidentForm):
    """The operator's form: what, where, node, category, level, when received. Details follow."""

    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta(IncidentForm.Meta):
        fields = ["title", "address", "jurisdiction", "category", "level", "received_at", "reporter_name",
                  "reporter_phone", "key_place", "lat", "lon"]
        widgets = {**IncidentForm.Meta.widgets, "lat": forms.HiddenInput, "lon": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update(autofocus=True)
        self.fields["client_uuid"].initial = uuid.uuid4()
        for i, name in enumerate(self.fields, 1):
            self.fields[name].widget.attrs.setdefault("tabindex", str(i))


class PhoneIntakeForm(IncidentForm):
    """The phone page of grid workers, patrol members and unit liaisons."""

    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta(IncidentForm.Meta):
        fields = ["title", "address", "jurisdiction", "category", "level", "lat", "lon", "reporter_phone",
                  "description"]
        widgets = {"lat": forms.HiddenInput, "lon": forms.HiddenInput,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()


class ReportForm(forms.ModelForm):
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    answers = forms.MultipleChoiceField(
        label=_("answers the clocks"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The open reporting clocks this report meets. Left empty: those that take its means and go to "
                    "its addressee."))

    class Meta:
        model = Report
        fields = ["kind", "means", "addressee", "answers", "reported_at", "reported_by", "reported_to", "issuer",
                  "event_time", "place", "scale",
                  "dead", "seriously_injured", "lightly_injured", "cause", "assessment", "measures", "progress",
                  "other", "content"]
        widgets = {"reported_at": dt_widget(), "event_time": dt_widget(),
                   **{f: forms.Textarea(attrs={"rows": 2}) for f in
                      ["scale", "cause", "assessment", "measures", "progress", "other", "content"]}}

    def __init__(self, *args, user=None, clocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        # `clocks`: the incident's open reporting clocks (rule, label, due) the sender can answer
        self.fields["answers"].choices = [(rule, label) for rule, label in clocks]
        if not clocks:
            self.fields["answers"].help_text = _("No reporting clock is open: this report meets none.")
        self.fields["reported_at"].required = False
        self.fields["reported_at"].initial = now_local()
        self.fields["client_uuid"].initial = uuid.uuid4()
        if user is not None:
            self.fields["reported_by"].initial = user.get_full_name() or user.username
        for name in ("dead", "seriously_injured", "lightly_injured"):
            self.fields[name].widget.attrs["min"] = 0


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("incident level"), choices=Incident._meta.get_field("level").choices)
    at = forms.DateTimeField(label=_("decided at"), required=False, widget=dt_widget(),
                             help_text=_("When the level was decided; for a case entered afterwards, its real time."))
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = now_local()


class MajorKindForm(forms.Form):
    """The office says which of the policy's kinds of major emergency this is (or none)."""

    major_kind = forms.ChoiceField(label=_("kind of major emergency"), required=False)
    at = forms.DateTimeField(label=_("decided at"), required=False, widget=dt_widget())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major_kind"].choices = [("", _("not a major emergency"))] + [
            (k["kind"], k.get("label", k["kind"])) for k in kinds]
        self.fields["at"].initial = now_local()


class ReportCorrectionForm(forms.ModelForm):
    """The office corrects a filed report: a new version with the reason; the original stays."""

    class Meta:
        model = Report
        fields = ["correction_reason", "reported_to", "issuer", "event_time", "place", "scale", "dead",
                  "seriously_injured", "lightly_injured", "cause", "assessment", "measures", "progress", "other",
                  "content"]
        widgets = {"event_time": dt_widget(),
                   **{f: forms.Textarea(attrs={"rows": 2}) for f in
                      ["scale", "cause", "assessment", "measures", "progress", "other", "content"]}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction_reason"].required = True


class ActivationForm(forms.Form):
    plan_version = forms.ModelChoiceField(
        label=_("plan"), queryset=PlanVersion.objects.none(), required=False,
        empty_label=_("no kept plan covers it: name the plan below"),
        help_text=_("The approved plans that cover this category and level; its checklist becomes the tasks."))
    plan_name = forms.CharField(label=_("plan named in words"), max_length=200, required=False)
    lead_group = forms.ModelChoiceField(label=_("lead working group"), queryset=Group.objects.none(), required=False,
                                        help_text=_("Empty: the plan's lead working group."))
    plan_text = forms.CharField(label=_("plan notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incident is not None:
            chain = [*incident.jurisdiction.ancestors(), incident.jurisdiction]
            qs = Group.objects.filter(kind=GroupKind.WORKING, jurisdiction__in=chain)
            self.fields["lead_group"].queryset = qs
            suggested = qs.filter(working_kind=incident.working_kind).first()
            if suggested:
                self.fields["lead_group"].initial = suggested.pk
            versions = checklist.matching_versions(incident)
            self.fields["plan_version"].queryset = PlanVersion.objects.filter(pk__in=[v.pk for v in versions])
            self.fields["plan_version"].label_from_instance = lambda v: f"{v.title}（v{v.number}）"
            if versions:
                self.fields["plan_version"].initial = versions[0].pk

    def clean(self):
        data = super().clean()
        if data.get("plan_version") is None:
            if not (data.get("plan_name") or "").strip():
                self.add_error("plan_name", _("Choose the plan version, or name the plan being started."))
            if data.get("lead_group") is None:
                self.add_error("lead_group", _("Choose a special working group to lead."))
        return data


class HandoverForm(forms.ModelForm):
    class Meta:
        model = Handover
        fields = ["from_commander", "to_commander", "at", "situation", "headquarters"]
        widgets = {"at": dt_widget()}

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = now_local()


class LogEntryForm(forms.ModelForm):
    class Meta:
        model = LogEntry
        fields = ["kind", "text", "at", "point", "people", "vehicles"]
        widgets = {"at": dt_widget(), "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = now_local()
        self.fields["at"].required = False
        self.fields["kind"].choices = [(k, v) for k, v in LogKind.choices
                                       if k in (LogKind.MESSAGE, LogKind.DECISION, LogKind.EVACUATION)]


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "group", "person", "due_at"]
        widgets = {"due_at": dt_widget()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.restrict(user, "view")
        self.fields["person"].queryset = Person.objects.restrict(user, "view")


class ReviewForm(forms.Form):
    what_happened = forms.CharField(label=_("what happened"), widget=forms.Textarea(attrs={"rows": 3}))
    what_worked = forms.CharField(label=_("what worked"), widget=forms.Textarea(attrs={"rows": 3}))
    what_did_not = forms.CharField(label=_("what did not work"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(label=_("actions (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    person = forms.ModelChoiceField(label=_("responsible person"), queryset=Person.objects.none(), required=False)
    due_at = forms.DateTimeField(label=_("actions due"), required=False, widget=dt_widget())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user, "view")

    def clean(self):
        data = super().clean()
        data["action_list"] = [line.strip() for line in data.get("actions", "").splitlines() if line.strip()]
        if data["action_list"] and not data.get("due_at"):
            self.add_error("due_at", _("Actions need a due time."))
        return data


class CapForm(forms.Form):
    msg_type = forms.ChoiceField(label=_("message type"), choices=CapType.choices)
    headline = forms.CharField(label=_("headline"), max_length=160, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    instruction = forms.CharField(label=_("instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
