from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.scope import nodes_where

from .choices import MovementKind, RiskColour, WorkingState
from .models import Attachment, CategoryWord, Defence, HazardousStock, KeyPlace
from .models.places import check_upload


class KeyPlaceForm(ScopedModelForm):
    polygon = forms.JSONField(
        label=_("area (GeoJSON polygon, WGS84)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. {\"type\": \"Polygon\", \"coordinates\": [[[lon, lat], ...]]}, first position repeated last."),
    )

    class Meta:
        model = KeyPlace
        fields = ["jurisdiction", "name", "kind", "category", "unit", "address", "lat", "lon", "polygon",
                  "responsible_unit", "responsible_person", "protective_forces", "special_precautions",
                  "review_period_days"]
        widgets = {"protective_forces": forms.Textarea(attrs={"rows": 2}),
                   "special_precautions": forms.Textarea(attrs={"rows": 2})}


class CategoryWordForm(forms.ModelForm):
    """A word of the sheets and the category it stands for; the model refuses a word already in
    the table (once normalised: full-width, spaces, case) or another category's own name."""

    class Meta:
        model = CategoryWord
        fields = ["word", "category"]


class DefenceForm(ScopedModelForm):
    class Meta:
        model = Defence
        fields = ["jurisdiction", "place", "name", "kind", "type", "cctv_count", "coverage_percent", "guard_count",
                  "state", "last_checked_on", "check_period_days", "notes"]
        widgets = {"last_checked_on": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 2})}


class HazardousStockForm(ScopedModelForm):
    class Meta:
        model = HazardousStock
        fields = ["jurisdiction", "place", "substance", "hazard_class", "quantity", "unit_of_measure",
                  "storage_place", "keeper", "last_checked_on"]
        widgets = {"last_checked_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the balance moves only through movements
            self.fields["quantity"].disabled = True


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("movement"), choices=[c for c in MovementKind.choices if c[0] != MovementKind.OPENING])
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ColourForm(forms.Form):
    colour = forms.ChoiceField(label=_("colour"), choices=RiskColour.choices)
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DefenceCheckForm(forms.Form):
    state = forms.ChoiceField(label=_("working state"), choices=WorkingState.choices)
    on = forms.DateField(label=_("checked on"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("notes"), required=False)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def clean(self):
        data = super().clean()
        if data.get("file"):
            check_upload(data["file"], data.get("kind"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    node = forms.ModelChoiceField(queryset=None, required=False, label=_("rows without a node go to"),
                                  help_text=_("For a sheet of one community: its rows need no node column."))
    gcj02 = forms.BooleanField(label=_("coordinates are GCJ-02 (Chinese web maps)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes_where(user, "registers", "add").order_by("path")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return f
