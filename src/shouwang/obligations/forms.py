from django import forms
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm

from .models import Webhook


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("reason for waiver"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             strip=True, error_messages={"required": _("A waiver needs a reason.")})


class MeetForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), max_length=200, strip=True,
                               help_text=_("What shows it was done, e.g. “reported by phone to the duty desk”."),
                               error_messages={"required": _("Say what shows it was done.")})


class WebhookForm(ScopedModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["jurisdiction", "name", "url", "secret", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
