import json

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms_base import ScopedModelForm
from .geo import as_polygon
from .models import Contact, Group, Holiday, Jurisdiction, Membership, Person, RoleAssignment, Unit
from .outlines import read_collection
from .scope import nodes_where
from .services import create_node


class OutlineWidget(forms.Textarea):
    """The GeoJSON text under a small map to draw on (shouwang/outline.js)."""

    template_name = "core/widgets/outline.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, "spellcheck": "false", **(attrs or {})})


class OutlineField(forms.JSONField):
    """A node's outline: a GeoJSON polygon (or a Feature holding one), drawn or pasted; checked
    with core.geo and kept oriented. Typed text that fails stays in the box with the reason."""

    widget = OutlineWidget

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    _("This is not GeoJSON: the text cannot be read (line %(line)s, column %(col)s)."),
                    code="invalid", params={"line": exc.lineno, "col": exc.colno},
                ) from None
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            features = value.get("features") or []
            if len(features) != 1:
                raise ValidationError(_("Paste one polygon here; to load many outlines at once, use the outline import."))
            value = features[0]
        return as_polygon(value)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return super().prepare_value(value)


class JurisdictionForm(ScopedModelForm):
    parent = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), required=False, label=_("parent node"))
    boundary = OutlineField(
        required=False, label=_("outline"),
        help_text=_("Click the map to add corners, drag a corner to move it; or paste a GeoJSON polygon. "
                    "Leave empty for no outline."),
    )

    class Meta:
        model = Jurisdiction
        fields = ["code", "name", "level", "area_km2", "resident_population", "actual_population", "lat", "lon",
                  "boundary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = nodes_where(self.user, "org", "add")
        if self.instance.lat is not None and self.instance.lon is not None:  # where the drawing map opens
            self.fields["boundary"].widget.attrs.update({"data-lat": self.instance.lat, "data-lon": self.instance.lon})
        if self.instance.pk:
            del self.fields["parent"]  # moves have their own form, which checks the tree
        elif not (self.user and self.user.is_superuser):
            self.fields["parent"].required = True

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent and data.get("level"):
            parent.check_child_level(data["level"])
        return data

    def save(self, commit=True):

        if self.instance.pk:
            return super().save(commit)
        data = {k: v for k, v in self.cleaned_data.items() if k != "parent"}
        self.instance = create_node(parent=self.cleaned_data.get("parent"), **data)
        return self.instance


class OutlineImportForm(forms.Form):
    """A GeoJSON FeatureCollection of node outlines, uploaded or pasted."""

    MAX_BYTES = 10 * 1024 * 1024

    file = forms.FileField(label=_("GeoJSON file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}))
    text = forms.CharField(label=_("or paste GeoJSON"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))
    gcj02 = forms.BooleanField(label=_("Coordinates are GCJ-02 (from Amap or Tencent maps): convert them to WGS84"),
                               required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        field = "file" if upload else "text"
        if upload:
            if upload.size > self.MAX_BYTES:
                self.add_error("file", _("The file is larger than 10 MB."))
                return data
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    text = raw.decode("gb18030")
                except UnicodeDecodeError:
                    self.add_error("file", _("The file is not text: choose a .geojson or .json file."))
                    return data
        if not text:
            self.add_error("file", _("Choose a GeoJSON file or paste its text."))
            return data
        try:
            data["collection"] = read_collection(text)
        except ValidationError as exc:
            self.add_error(field, exc)
            return data
        data["source"] = text
        return data


class MoveForm(forms.Form):
    parent = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=_("new parent node"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = nodes_where(user, "org", "change")


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["jurisdiction", "name", "kind", "address", "lat", "lon", "phone", "responsible_person", "liaison"]


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = ["jurisdiction", "name", "kind", "title", "phone", "email", "unit", "active"]


class GroupForm(ScopedModelForm):
    class Meta:
        model = Group
        fields = ["jurisdiction", "name", "kind", "working_kind", "duties"]


class MembershipForm(ScopedModelForm):
    class Meta:
        model = Membership
        fields = ["person", "position", "duties", "order"]


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["jurisdiction", "label", "person", "name", "phone", "call_order", "hours", "notes"]


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "jurisdiction"]


class AccountForm(forms.Form):
    """A login for a person, with the first role it holds."""

    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, min_length=8)
    role = forms.ChoiceField(label=_("role"), choices=RoleAssignment._meta.get_field("role").choices)
    jurisdiction = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=_("node"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = nodes_where(user, "access", "add")

    def clean_password(self):

        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class HolidayForm(ScopedModelForm):
    """A holiday or sensitive period; a one-day holiday needs only its first day."""

    class Meta:
        model = Holiday
        fields = ["jurisdiction", "name", "kind", "starts_on", "ends_on"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"ends_on": _("Empty: the holiday is one day."),
                      "kind": _("Public and school holidays close schools; a sensitive period does not.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and not data.get("ends_on") and "ends_on" not in self.errors:
            data["ends_on"] = data["starts_on"]
            self.instance.ends_on = data["starts_on"]
        return data
