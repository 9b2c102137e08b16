"""Forms of inspections' pages (the services validate again: a form only gathers the input)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import HolidayKind
from shouwang.core.forms_base import ScopedModelForm
from shouwang.registers.choices import Category
from shouwang.registers.models import KeyPlace

from . import services
from .choices import AnswerType, Severity
from .models import ChecklistTemplate, InspectionPlan, TemplateItem


class InspectionPlanForm(ScopedModelForm):
    categories = forms.MultipleChoiceField(
        label=_("place categories"), choices=Category.choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Routine and pre-holiday plans cover the places of these categories (all when none is "
                    "chosen), unless key places are listed."))

    class Meta:
        model = InspectionPlan
        fields = ["jurisdiction", "kind", "name", "template", "categories", "places", "holiday", "starts_on",
                  "deadline", "inspector", "description"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "deadline": forms.DateInput(attrs={"type": "date"}),
                   "places": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {
            "places": _("A campaign's places; a routine or pre-holiday plan may list them instead of categories."),
            "holiday": _("A pre-holiday inspection comes before this public holiday (the holiday calendar)."),
            "deadline": _("A campaign's places are due at the end of this day."),
            "inspector": _("Empty: each community's assigned inspector."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        holiday = self.fields["holiday"]
        holiday.queryset = holiday.queryset.filter(kind=HolidayKind.PUBLIC).order_by("-starts_on")
        self.fields["places"].queryset = self.fields["places"].queryset.select_related("jurisdiction")
        if self.instance.pk:
            self.initial.setdefault("categories", self.instance.categories or [])

    def values(self):
        """The cleaned input as the plan services take it."""
        data = dict(self.cleaned_data)
        return {"node": data.pop("jurisdiction"), "places": list(data.pop("places") or []),
                **{k: v for k, v in data.items() if k in services.PLAN_FIELDS}}


# --- Orders: the lifecycle's forms (the services check again) ------------------------------------

DT = {"type": "datetime-local"}
DT_FORMAT = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (the camera or the album); each is checked to be an image by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReportDoneForm(forms.Form):
    report_text = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("photos after rectification"), required=False)


class VerifyForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), widget=forms.RadioSelect,
                               choices=[("pass", _("passed: close the order")), ("fail", _("failed: reopen it"))])
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_deadline = forms.DateTimeField(label=_("new deadline"), required=False,
                                       widget=forms.DateTimeInput(attrs=DT, format=DT_FORMAT))
    on_site = forms.BooleanField(label=_("on-site acceptance"), required=False)
    acceptance_members = forms.CharField(label=_("acceptance members"), required=False, max_length=300)


class RectificationPlanForm(forms.Form):
    goal = forms.CharField(label=_("goal and task"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.CharField(label=_("method and measures"), widget=forms.Textarea(attrs={"rows": 2}))
    funds = forms.CharField(label=_("funds and materials"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("responsible body and people"), widget=forms.Textarea(attrs={"rows": 2}))
    time_limit = forms.DateTimeField(label=_("rectified by"), widget=forms.DateTimeInput(attrs=DT, format=DT_FORMAT))
    safety_measures = forms.CharField(label=_("safety measures and emergency plan"),
                                      widget=forms.Textarea(attrs={"rows": 2}))


class TriageForm(forms.Form):
    severity = forms.ChoiceField(label=_("severity"))
    place = forms.ModelChoiceField(label=_("key place"), queryset=None, required=False)
    description = forms.CharField(label=_("hazard"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(label=_("deadline"), required=False,
                                   help_text=_("Empty: from the policy, by severity."),
                                   widget=forms.DateTimeInput(attrs=DT, format=DT_FORMAT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [(s.value, s.label) for s in Severity if s != Severity.NOTE]
        self.fields["place"].queryset = KeyPlace.objects.restrict(user, "view").order_by("name")


# --- Checklist templates (the template pages) --------------------------------------------------

def split_choices(text):
    """Choices as a clerk types them: one per line or separated by 、 (blanks and repeats dropped)."""
    out = []
    for part in re.split(r"[\r\n、]+", text or ""):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


class TemplateItemRowForm(forms.Form):
    """One row of the item editor; the services check what the row means (limits, options)."""

    section = forms.CharField(label=_("section"), max_length=60, required=False)
    text = forms.CharField(label=_("question"), max_length=300, required=False)
    answer_type = forms.ChoiceField(label=_("answer type"), choices=AnswerType.choices, initial=AnswerType.YES_NO)
    min_value = forms.FloatField(label=_("lowest acceptable value"), required=False,
                                 widget=forms.NumberInput(attrs={"step": "any"}))
    max_value = forms.FloatField(label=_("highest acceptable value"), required=False,
                                 widget=forms.NumberInput(attrs={"step": "any"}))
    unit_label = forms.CharField(label=_("unit of measure"), max_length=20, required=False)
    options = forms.CharField(label=_("choices"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One per line, or separated by 、."))
    failing_options = forms.CharField(label=_("failing choices"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Choosing one of these fails the item."))
    photo_required = forms.BooleanField(label=_("photo required"), required=False)
    severity = forms.ChoiceField(label=_("severity of a failure"), choices=Severity.choices,
                                 initial=Severity.GENERAL)
    weight = forms.IntegerField(label=_("points"), min_value=0, max_value=1000, initial=1, required=False)
    guidance = forms.CharField(label=_("guidance"), max_length=300, required=False)

    def clean_options(self):
        return split_choices(self.cleaned_data.get("options"))

    def clean_failing_options(self):
        return split_choices(self.cleaned_data.get("failing_options"))

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        return 1 if weight is None else weight

    @property
    def blank(self):
        data = getattr(self, "cleaned_data", {})
        return not (data.get("text") or data.get("section"))

    def item(self):
        return {k: self.cleaned_data.get(k) for k in services.ITEM_FIELDS}


TemplateItemFormSet = forms.formset_factory(TemplateItemRowForm, extra=3, can_delete=True)


def item_initial(item):
    """A stored item (services.items_of) as the editor's row shows it."""
    row = dict(item)
    row["options"] = "\n".join(item.get("options") or [])
    row["failing_options"] = "\n".join(item.get("failing_options") or [])
    for key in ("min_value", "max_value"):  # 20.0 shown as 20
        if isinstance(row.get(key), float):
            row[key] = f"{row[key]:g}"
    return row


class ChecklistTemplateForm(ScopedModelForm):
    """A checklist's own fields and its item rows (`self.items`, prefix `items`)."""

    note = forms.CharField(label=_("what changed"), max_length=200, required=False,
                           help_text=_("Kept with the version, e.g. “added the CCTV items”."))

    class Meta:
        model = ChecklistTemplate
        fields = ["jurisdiction", "name", "category", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a template stays on its node
            self.fields["jurisdiction"].disabled = True
        else:
            del self.fields["note"]
        # the stored items fill the rows of a new page; a posted page is read as posted (each row
        # compared with the empty row, so that an untouched row counts as blank)
        self.items = TemplateItemFormSet(self.data, prefix="items") if self.is_bound else \
            TemplateItemFormSet(prefix="items", initial=[item_initial(i) for i in items or []])
        self.kept_rows = []

    def is_valid(self):
        own = super().is_valid()
        rows = self.items.is_valid() and self._rows_mean_something()
        return own and rows

    def _rows_mean_something(self):
        """Every row's own rules (the item model's: limits of a number, options of a choice) at
        once, so that a clerk sees all bad rows together; the service checks them again."""
        ok = True
        for row in self.items.forms:
            if not self._kept(row):
                continue
            try:
                TemplateItem(**row.item()).clean()
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    row.add_error(field if field in row.fields else None, errors)
                ok = False
        return ok

    @staticmethod
    def _kept(row):
        return not row.cleaned_data.get("DELETE") and not row.blank

    def item_values(self):
        """The rows to save, in order (blank and removed rows left out); remembered so that a
        service's `items.<n>.<field>` error finds its row."""
        self.kept_rows = [row for row in self.items.forms if self._kept(row)]
        return [row.item() for row in self.kept_rows]

    def add_service_errors(self, exc):
        errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
        for key, messages in errors.items():
            parts = (key or "").split(".")
            if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() \
                    and 0 < int(parts[1]) <= len(self.kept_rows):
                row = self.kept_rows[int(parts[1]) - 1]
                row.add_error(parts[2] if parts[2] in row.fields else None, messages)
            elif key == "items" or parts[0] == "items":
                self.add_error(None, messages)
            else:
                self.add_error(key if key in self.fields else None, messages)

    @property
    def rows_with_errors(self):
        return [n for n, row in enumerate(self.items.forms, 1) if row.errors]
