from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .forms_base import ScopedModelForm
from .models import Contact, Group, Jurisdiction, Membership, Person, RoleAssignment, Unit
from .scope import nodes_where
from .services import create_node


class JurisdictionForm(ScopedModelForm):
    parent = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), required=False, label=_("parent node"))

    class Meta:
        model = Jurisdiction
        fields = ["code", "name", "level", "area_km2", "resident_population", "actual_population", "lat", "lon"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = nodes_where(self.user, "org", "add")
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
