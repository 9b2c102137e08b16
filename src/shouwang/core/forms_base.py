"""Form base: related choices limited to the user's scope, the node to where they may write."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from .filtersets import users_in_scope
from .scope import ScopedQuerySet, nodes_where
from .validators import validate_phone


def _model_validators(model, name):
    try:
        return model._meta.get_field(name).validators
    except FieldDoesNotExist:  # a form-only field
        return []


class ScopedModelForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        area = self._meta.model.permission_area
        for name, field in self.fields.items():
            if validate_phone in _model_validators(self._meta.model, name):  # the phone's keypad opens for it
                field.widget.input_type = "tel"
                field.widget.attrs.setdefault("autocomplete", "tel")
            qs = getattr(field, "queryset", None)
            if qs is not None and qs.model is get_user_model():
                field.queryset = users_in_scope(user).filter(pk__in=qs.values("pk"))
                continue
            if not isinstance(qs, ScopedQuerySet):
                continue
            if name == "jurisdiction":
                field.queryset = nodes_where(user, area, "change" if self.instance.pk else "add")
            else:
                field.queryset = qs.restrict(user, "view")
