"""Forms of inspections' pages (the services validate again: a form only gathers the input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import HolidayKind
from shouwang.core.forms_base import ScopedModelForm
from shouwang.registers.choices import Category

from . import services
from .models import InspectionPlan


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
