"""Forms of plans' pages (they gather the input; the services check it again)."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import GroupKind, PersonKind, Position
from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Contact, Group, Person, Team
from shouwang.core.scope import ScopedQuerySet

from . import queries
from .choices import Rating, ReviewConclusion
from .models import (
    Campaign,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    ExpectedAction,
    Inject,
    Plan,
    PlanVersion,
    Session,
)

DT_FORMAT = "%Y-%m-%dT%H:%M"


def dt_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT)


def date_widget():
    return forms.DateInput(attrs={"type": "date"})


def _scoped(qs, user):
    return qs.restrict(user, "view") if isinstance(qs, ScopedQuerySet) else qs


# ---------------------------------------------------------------- plans

class ChecklistRows:
    """The checklist editor's rows (`action-<n>-text/-group/-position/-offset`): those sent, or the
    version's, plus empty ones to fill; each row's errors stay on its row."""

    EMPTY = 3

    def __init__(self, data=None, version=None, groups=None):
        self.groups = {str(g.pk): g for g in (groups or [])}
        self.errors = {}
        if data is not None:
            numbers = sorted({int(m.group(1)) for key in data if (m := re.match(r"action-(\d+)-text$", key))})
            self.rows = [{"n": n, "text": data.get(f"action-{n}-text", "").strip(),
                          "group": data.get(f"action-{n}-group", ""), "position": data.get(f"action-{n}-position", ""),
                          "offset": data.get(f"action-{n}-offset", "").strip()} for n in numbers]
        else:
            actions = list(version.actions.all()) if version is not None else []
            self.rows = [{"n": i, "text": a.text, "group": str(a.group_id or ""), "position": a.position,
                          "offset": str(a.offset_minutes)} for i, a in enumerate(actions, 1)]
        last = max((r["n"] for r in self.rows), default=0)
        if not any(not r["text"] for r in self.rows):
            self.rows += [{"n": last + i, "text": "", "group": "", "position": Position.LEADER, "offset": ""}
                          for i in range(1, self.EMPTY + 1)]

    def cleaned(self):
        out = []
        for row in self.rows:
            if not row["text"]:
                continue
            errors = []
            try:
                offset = int(row["offset"])
                if offset < 0:
                    raise ValueError
            except ValueError:
                errors.append(str(_("Give the minutes after activation as a whole number.")))
                offset = None
            group = self.groups.get(row["group"]) if row["group"] else None
            if row["group"] and group is None:
                errors.append(str(_("Choose a group from the list.")))
            position = row["position"] or Position.LEADER
            if position not in Position.values:
                errors.append(str(_("Choose a position from the list.")))
            if errors:
                self.errors[row["n"]] = errors
            out.append({"text": row["text"], "group": group, "position": position, "offset_minutes": offset})
        return out

    def positions(self):
        return Position.choices


def _supplies_text(supplies):
    return "\n".join(f"{s.get('name', '')} {s.get('quantity', '') or ''} {s.get('unit', '')}".strip()
                     for s in supplies or [] if isinstance(s, dict))


def _supplies(text):
    """'担架 4 副' per line -> [{"name": "担架", "quantity": 4, "unit": "副"}]."""
    rows = []
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        name, quantity, unit = parts[0], None, ""
        if len(parts) >= 2:
            try:
                quantity = int(Decimal(parts[1]))
                unit = " ".join(parts[2:])
            except (InvalidOperation, ValueError):
                raise ValidationError(_("Line %(n)s: write the supply, then its quantity, then its unit "
                                        "(like 担架 4 副).") % {"n": n}) from None
        rows.append({"name": name, "quantity": quantity, "unit": unit})
    return rows


class PlanForm(ScopedModelForm):
    """A plan and the content of its draft version, with the checklist rows."""

    version_title = forms.CharField(label=_("title of this version"), max_length=200, required=False,
                                    help_text=_("Empty: the plan's title."))
    scope = forms.CharField(label=_("scope"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    categories = forms.MultipleChoiceField(label=_("incident categories"), required=False,
                                           widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
                                           help_text=_("Empty: every category of its working category."))
    level_max = forms.ChoiceField(label=_("up to level"), choices=PlanVersion._meta.get_field("level_max").choices)
    level_min = forms.ChoiceField(label=_("from level"), choices=PlanVersion._meta.get_field("level_min").choices)
    activation_role = forms.ChoiceField(label=_("who activates it"),
                                        choices=PlanVersion._meta.get_field("activation_role").choices)
    lead_group = forms.ModelChoiceField(label=_("lead working group"), queryset=Group.objects.none(), required=False)
    contacts = forms.ModelMultipleChoiceField(label=_("contacts"), queryset=Contact.objects.none(), required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 5}))
    teams = forms.ModelMultipleChoiceField(label=_("teams"), queryset=Team.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 5}))
    supplies = forms.CharField(label=_("supplies needed"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("One per line: the supply, its quantity and unit (like 担架 4 副)."))
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)

    class Meta:
        model = Plan
        fields = ["jurisdiction", "title", "working_kind", "active"]

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = list(queries.category_terms().items())  # in the classification's order
        self.fields["lead_group"].queryset = Group.objects.restrict(self.user, "view").filter(kind=GroupKind.WORKING)
        self.fields["contacts"].queryset = (Contact.objects.restrict(self.user, "view")
                                            .select_related("jurisdiction", "person").order_by("jurisdiction__path",
                                                                                               "call_order", "pk"))
        self.fields["contacts"].label_from_instance = lambda c: f"{c.jurisdiction.name} · {c}"
        self.fields["teams"].queryset = Team.objects.restrict(self.user, "view")
        groups = list(Group.objects.restrict(self.user, "view").order_by("kind", "name"))
        self.version = version
        if version is not None:
            self.initial.update({
                "version_title": version.title, "scope": version.scope, "categories": version.categories,
                "level_min": version.level_min, "level_max": version.level_max,
                "activation_role": version.activation_role, "lead_group": version.lead_group_id,
                "contacts": list(version.contacts.values_list("pk", flat=True)),
                "teams": list(version.teams.values_list("pk", flat=True)),
                "supplies": _supplies_text(version.supplies), "note": version.note if not version.is_approved else "",
            })
        else:
            self.initial.setdefault("level_min", "IV")
            self.initial.setdefault("level_max", "I")
        self.rows = ChecklistRows(self.data if self.is_bound else None, version, groups)
        self.group_choices = [(str(g.pk), g.name) for g in groups]

    def clean_supplies(self):
        return _supplies(self.cleaned_data.get("supplies"))

    def clean(self):
        data = super().clean()
        self.actions = self.rows.cleaned()
        if self.rows.errors:
            raise ValidationError(_("Some checklist rows need correcting (see each row)."))
        return data

    def version_fields(self):
        data = self.cleaned_data
        return {"title": data.get("version_title") or data.get("title") or (self.instance.title or ""),
                "scope": data.get("scope", ""), "categories": list(data.get("categories") or []),
                "level_min": data["level_min"], "level_max": data["level_max"],
                "activation_role": data["activation_role"], "lead_group": data.get("lead_group"),
                "supplies": data.get("supplies") or [], "note": data.get("note", ""),
                "contacts": list(data.get("contacts") or []), "teams": list(data.get("teams") or [])}


class ApproveForm(forms.Form):
    approver = forms.CharField(label=_("approver"), max_length=60, required=False,
                               help_text=_("Who signed the approval (empty: you)."))


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=date_widget())
    experts = forms.CharField(label=_("experts"), max_length=300)
    conclusion = forms.ChoiceField(label=_("conclusion"), choices=ReviewConclusion.choices)
    opinion = forms.CharField(label=_("opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- drills

class DrillForm(ScopedModelForm):
    category = forms.ChoiceField(label=_("incident category"))

    class Meta:
        model = Drill
        fields = ["jurisdiction", "title", "kind", "plan", "unit", "scheduled_at", "category", "level", "address",
                  "storeys", "participants", "objectives", "scenario", "evaluators"]
        widgets = {"scheduled_at": dt_widget(), "objectives": forms.Textarea(attrs={"rows": 3}),
                   "scenario": forms.Textarea(attrs={"rows": 3}), "evaluators": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *queries.category_terms().items()]
        self.fields["plan"].queryset = self.fields["plan"].queryset.filter(current__isnull=False)
        self.fields["evaluators"].required = False


class InjectForm(forms.Form):
    """An inject of a planned drill with up to three expected actions; or a contingency inject
    offered when one expected action is late."""

    offset_minutes = forms.IntegerField(label=_("minutes after the start"), min_value=0, max_value=7 * 24 * 60,
                                        initial=0)
    title = forms.CharField(label=_("title"), max_length=200)
    message = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 3}))
    recipient_group = forms.ModelChoiceField(label=_("to group"), queryset=Group.objects.none(), required=False)
    recipient_person = forms.ModelChoiceField(label=_("to person"), queryset=Person.objects.none(), required=False)
    contingency_for = forms.ModelChoiceField(
        label=_("contingency for"), queryset=Inject.objects.none(), required=False,
        help_text=_("Offered when this expected action is not logged in its window (empty: an inject of the scenario)."))
    ACTIONS = 3

    def __init__(self, *args, drill=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_group"].queryset = Group.objects.restrict(user, "view")
        self.fields["recipient_person"].queryset = Person.objects.restrict(user, "view").filter(active=True)
        if drill is not None:
            self.fields["contingency_for"].queryset = ExpectedAction.objects.filter(inject__drill=drill)
            self.fields["contingency_for"].label_from_instance = lambda a: f"{a.inject.title} · {a.text}"
        for n in range(1, self.ACTIONS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label=_("expected action %(n)s") % {"n": n}, max_length=200,
                                                         required=False)
            self.fields[f"action_{n}_person"] = forms.ModelChoiceField(
                label=_("expected of"), queryset=self.fields["recipient_person"].queryset, required=False)
            self.fields[f"action_{n}_points"] = forms.IntegerField(label=_("points"), min_value=0, max_value=100,
                                                                   initial=10, required=False)
            self.fields[f"action_{n}_window"] = forms.IntegerField(label=_("within minutes"), min_value=1,
                                                                   max_value=24 * 60, initial=5, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("recipient_group") and not data.get("recipient_person"):
            self.add_error("recipient_person", _("Say who receives the inject: a group or a person."))
        return data

    def values(self):
        data = self.cleaned_data
        actions = [{"text": data[f"action_{n}"].strip(), "person": data.get(f"action_{n}_person"),
                    "points": 10 if data.get(f"action_{n}_points") is None else data[f"action_{n}_points"],
                    "window_minutes": data.get(f"action_{n}_window") or 5}
                   for n in range(1, self.ACTIONS + 1) if data.get(f"action_{n}", "").strip()]
        return {"offset_minutes": data["offset_minutes"], "title": data["title"], "message": data["message"],
                "recipient_group": data.get("recipient_group"), "recipient_person": data.get("recipient_person"),
                "contingency_for": data.get("contingency_for"), "actions": actions}


def _client_uuid_field():
    return forms.UUIDField(widget=forms.HiddenInput, required=False)


class LogActionForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    client_uuid = _client_uuid_field()


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("rating"), choices=Rating.choices, widget=forms.RadioSelect)
    observation = forms.CharField(label=_("observation record"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    client_uuid = _client_uuid_field()


class EvacuationForm(forms.Form):
    what = forms.ChoiceField(choices=[("signal", _("evacuation signal")), ("all_clear", _("all clear"))])


class AfterActionForm(forms.Form):
    strengths = forms.CharField(label=_("strengths"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    ROWS = 3

    def __init__(self, *args, drill=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.restrict(user, "view").filter(active=True, user__isnull=False)
        for n in range(1, self.ROWS + 1):
            self.fields[f"area_{n}"] = forms.CharField(label=_("area for improvement %(n)s") % {"n": n},
                                                       max_length=300, required=False)
            self.fields[f"action_{n}"] = forms.CharField(label=_("corrective action"), max_length=300,
                                                         required=False)
            self.fields[f"owner_{n}"] = forms.ModelChoiceField(label=_("owner"), queryset=people, required=False)
            self.fields[f"deadline_{n}"] = forms.DateTimeField(label=_("deadline"), required=False, widget=dt_widget())
        if drill is not None:
            self.initial.setdefault("strengths", drill.strengths)

    def rows(self):
        """The bound fields of each area for improvement, for a row on the page."""
        return [{"n": n, "fields": [self[f"area_{n}"], self[f"action_{n}"], self[f"owner_{n}"], self[f"deadline_{n}"]]}
                for n in range(1, self.ROWS + 1)]

    def improvements(self):
        data = self.cleaned_data
        return [{"area": data.get(f"area_{n}", ""), "action": data.get(f"action_{n}", ""),
                 "owner": data.get(f"owner_{n}"), "deadline": data.get(f"deadline_{n}")}
                for n in range(1, self.ROWS + 1)]


class ImprovementDoneForm(forms.Form):
    report_text = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))


class ImprovementVerifyForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("result"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("verified: done as required")),
                                             ("no", _("not done as required"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = forms.DateTimeField(label=_("new deadline"), required=False, widget=dt_widget())


# ---------------------------------------------------------------- training and campaigns

class CourseForm(ScopedModelForm):
    posts = forms.MultipleChoiceField(label=_("qualifies for posts"), choices=PersonKind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("The posts (kinds of people) that need this course to be qualified."))

    class Meta:
        model = Course
        fields = ["jurisdiction", "title", "hours", "posts", "certificate_months", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SessionForm(ScopedModelForm):
    class Meta:
        model = Session
        fields = ["jurisdiction", "course", "starts_at", "ends_at", "place", "trainer"]
        widgets = {"starts_at": dt_widget(), "ends_at": dt_widget()}


class ManualAttendanceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user, "view").filter(active=True)


class SignInForm(forms.Form):
    client_uuid = _client_uuid_field()


class CertificateForm(ScopedModelForm):
    class Meta:
        model = Certificate
        fields = ["person", "course", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": date_widget(), "expires_on": date_widget()}
        help_texts = {"expires_on": _("Empty: as long as the course's certificates are valid.")}


class CampaignForm(ScopedModelForm):
    photo = forms.ImageField(label=_("photo"), required=False)

    class Meta:
        model = Campaign
        fields = ["jurisdiction", "title", "kind", "held_on", "audience", "unit", "description"]
        widgets = {"held_on": date_widget(), "description": forms.Textarea(attrs={"rows": 3})}


class CampaignPhotoForm(forms.Form):
    photo = forms.ImageField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class CampaignTargetForm(ScopedModelForm):
    class Meta:
        model = CampaignTarget
        fields = ["jurisdiction", "year", "campaigns", "audience"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Give a year like %(year)s.") % {"year": timezone.localdate().year})
        return year


def new_client_uuid():
    return str(uuid.uuid4())
