"""Forms of schools' pages (the services validate again: a form only gathers the input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm

from .models import Camera, KeySpot, PupilClass, School
from .models.school import SCHOOL_KINDS

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SchoolForm(ScopedModelForm):
    class Meta:
        model = School
        fields = ["unit", "pupils", "boarding", "buildings", "storeys", "security_staff", "leaders", "rosters", "policy",
                  "arrival_start", "arrival_end", "dismissal_start", "dismissal_end", "closing_time"]
        widgets = {"arrival_start": TIME, "arrival_end": TIME, "dismissal_start": TIME, "dismissal_end": TIME,
                   "closing_time": TIME, "security_staff": forms.SelectMultiple(attrs={"size": 6}),
                   "leaders": forms.SelectMultiple(attrs={"size": 6}), "rosters": forms.SelectMultiple(attrs={"size": 4})}
        help_texts = {
            "arrival_start": _("Empty: the arrival window of the node's policy (school plan E: 07:15–07:45)."),
            "dismissal_start": _("Empty: the dismissal window of the node's policy (school plan E: 16:00–16:30)."),
            "security_staff": _("The school's full-time guards: they register visitors and vehicles and check the "
                                "cameras on the gate phone page."),
            "leaders": _("The head and the leaders on duty: they read the visitor log of their school."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["unit"].queryset.filter(kind__in=SCHOOL_KINDS)
        if self.instance.pk:
            units = units.filter(pk=self.instance.unit_id) | units.filter(school_profile__isnull=True)
        else:
            units = units.filter(school_profile__isnull=True)
        self.fields["unit"].queryset = units.order_by("name")
        for name in ("security_staff", "leaders"):
            self.fields[name].queryset = self.fields[name].queryset.filter(active=True).select_related("unit")
        self.fields["rosters"].required = False


class KeySpotForm(ScopedModelForm):
    class Meta:
        model = KeySpot
        fields = ["school", "kind", "name", "checkpoint"]
        help_texts = {"checkpoint": _("The patrol checkpoint at this spot: its check-ins count the patrols a day.")}


class CameraForm(ScopedModelForm):
    class Meta:
        model = Camera
        fields = ["school", "spot", "name", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spot"].queryset = self.fields["spot"].queryset.select_related("school__unit")


class PupilClassForm(ScopedModelForm):
    class Meta:
        model = PupilClass
        fields = ["school", "name", "young", "teacher"]
