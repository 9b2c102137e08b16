"""The form pages of resources' actions: one record found in the user's scope (404 outside), the
right checked at its node (403 with the reason), the form drawn on its own page; a refusal by the
service shows the form again with the field and the reason, nothing written."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.scope import can_at, refusal
from shouwang.core.tables import build_rows, headers
from shouwang.core.views.base import ScopedMixin, add_form_errors, history_of


class RecordFormView(LoginRequiredMixin, generic.FormView):
    """Subclasses set `model`, `form_class`, `title`, `right` (the verb needed in the resources
    area at the record's node) and implement `perform(obj, form)`."""

    model = None
    right = "change"
    title = ""
    template_name = "resources/action_form.html"
    success_message = gettext_lazy("Saved.")
    select_related: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_object_or_404(self.get_queryset().select_related(*self.select_related), pk=kwargs["pk"])
        if self.right and not can_at(request.user, "resources", self.right, self.object.scope_path):
            raise PermissionDenied(refusal(request.user, "resources", self.object.scope_path))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model._default_manager.restrict(self.request.user, "view")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.form_context())
        return kwargs

    def form_context(self):
        return {}

    def get_title(self):
        return self.title

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(object=self.object, form_title=self.get_title(), back_url=self.object.get_absolute_url())
        return ctx

    def form_valid(self, form):
        try:
            with transaction.atomic():
                result = self.perform(self.object, form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this here."))
            return self.form_invalid(form)
        if isinstance(result, HttpResponse):
            return result
        text = self.get_success_message(result)
        if text:
            messages.success(self.request, text)
        return HttpResponseRedirect(self.get_success_url(result))

    def get_success_message(self, result):
        return str(self.success_message)

    def get_success_url(self, result=None):
        return self.object.get_absolute_url()

    def perform(self, obj, form):  # pragma: no cover - each page implements it
        raise NotImplementedError


class RecordDetailView(ScopedMixin, generic.DetailView):
    """A record written once (a ledger row, a lot, a call-out): its fields in words and its
    history; no edit or delete."""

    template_name = "core/object_detail.html"
    fields: list[str] = []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["field_rows"] = [(label, value) for label, value in
                             zip(headers(self.model, self.fields), build_rows([obj], self.fields)[0]["cells"],
                                 strict=True) if value not in ("", None, "—")]
        ctx["can_change"] = ctx["can_delete"] = False
        ctx["history"] = history_of(obj, self.request.user)
        return ctx
