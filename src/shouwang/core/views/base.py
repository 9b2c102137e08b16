"""Base page views: scope in the queryset, writes re-checked inside their transaction.

Every domain app builds its pages as one named class per view on these (`KeyPlaceListView`,
`KeyPlaceDetailView`, ...; an action on one record is an `ObjectActionView`), wires them with
`crud_urls(...)`, and answers HTMX with `is_partial(request)` — so scope, permissions,
partials and history work the same everywhere.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django_filters.views import FilterView

from ..models import ChangeLogEntry
from ..scope import can, can_at, refusal
from ..tables import build_rows, headers, sort_headers, sort_order, sort_spec


class ScopedMixin(LoginRequiredMixin):
    model = None
    url_base = None  # e.g. "core:unit" -> core:unit_list, core:unit_detail ...

    @property
    def area(self):
        return self.model.permission_area

    def get_queryset(self):
        qs = self.model._default_manager.restrict(self.request.user, "view")
        related = getattr(self, "select_related", None)
        return qs.select_related(*related) if related else qs

    def url_name(self, suffix):
        return f"{self.url_base}_{suffix}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            meta=self.model._meta,
            url_base=self.url_base,
            list_url=_reverse_or_none(self.url_name("list")),
            create_url=_reverse_or_none(self.url_name("create")),
        )
        ctx["can_add"] = bool(ctx["create_url"]) and can(user, self.area, "add")
        return ctx


def is_partial(request) -> bool:
    """An HTMX request for a part of the page (a boosted navigation wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def partial_or_page(request, partial, page):
    """The template to render: the partial for HTMX, the whole page otherwise."""
    return partial if is_partial(request) else page


def _reverse_or_none(name, args=None):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ObjectListView(ScopedMixin, FilterView):
    template_name = "core/object_list.html"
    partial_template_name = "core/_object_table.html"
    paginate_by = 50
    columns: list[str] = []
    # a hand-made table says its columns: {column: (label, ORM lookup or None)}
    sort_columns: dict | None = None

    def get_sort_spec(self):
        return self.sort_columns if self.sort_columns is not None else sort_spec(self.model, self.columns)

    def get_template_names(self):
        return [partial_or_page(self.request, self.partial_template_name, self.template_name)]

    def paginate_queryset(self, queryset, page_size):
        # `?sort=` applies last, over a view's own default order and the filters.
        self.sort, ordering = sort_order(self.get_sort_spec(), self.request.GET.get("sort", ""))
        return super().paginate_queryset(queryset.order_by(*ordering) if ordering else queryset, page_size)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["partial_template"] = self.partial_template_name
        ctx["headers"] = headers(self.model, self.columns)
        ctx["sort_headers"] = sort_headers(self.get_sort_spec(), getattr(self, "sort", ""))
        ctx["rows"] = build_rows(ctx["object_list"], self.columns)
        return ctx


class ObjectDetailView(ScopedMixin, generic.DetailView):
    template_name = "core/object_detail.html"
    fields: list[str] = []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        # empty fields left out: a page to read, often on a phone (the edit form shows them all)
        ctx["field_rows"] = [(label, value) for label, value in
                             zip(headers(self.model, self.fields), build_rows([obj], self.fields)[0]["cells"], strict=True)
                             if value not in ("", None, "—")]
        ctx["can_change"] = can_at(user, self.area, "change", obj.scope_path)
        ctx["can_delete"] = can_at(user, self.area, "delete", obj.scope_path)
        ctx["history"] = history_of(obj, user)
        ctx["edit_url"] = _reverse_or_none(self.url_name("edit"), [obj.pk])  # a page the model lacks is left out
        ctx["delete_url"] = _reverse_or_none(self.url_name("delete"), [obj.pk])
        return ctx


def history_of(obj, user, limit=50):
    """The record's change log, for those with the audit right on its node (None for others:
    the log holds who changed what, names and phones included)."""
    if not can_at(user, "audit", "view", obj.scope_path):
        return None
    ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    return ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("user__person")[:limit]


class ScopedWriteMixin(ScopedMixin):
    """Create and edit: the form knows the user; the save is checked against scope in its transaction."""

    template_name = "core/object_form.html"
    write_action = "add"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save_form(form)
                if not can_at(self.request.user, self.area, self.write_action, self.object.scope_path):
                    raise PermissionDenied(refusal(self.request.user, self.area, self.object.scope_path))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def save_form(self, form):
        return form.save()

    def get_success_url(self):
        return self.object.get_absolute_url()


def add_form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ObjectCreateView(ScopedWriteMixin, generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.area, "add"):
            raise PermissionDenied(_("You may not add records here."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        for key in ("jurisdiction", "unit", "group"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial


class ObjectUpdateView(ScopedWriteMixin, generic.UpdateView):
    write_action = "change"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)  # 404 outside scope
        if not can_at(self.request.user, self.area, "change", obj.scope_path):
            raise PermissionDenied(_("You may view this record but not change it."))
        return obj


class ObjectDeleteView(ScopedMixin, generic.DeleteView):
    template_name = "core/object_confirm_delete.html"

    def get_form_class(self):
        """Only a confirmation, whatever form the model's pages share."""
        return forms.Form

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_at(self.request.user, self.area, "delete", obj.scope_path):
            raise PermissionDenied(_("You may view this record but not delete it."))
        return obj

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object.delete()
        except ProtectedError:
            messages.error(self.request, _("Still in use by other records; remove those first."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse(self.url_name("list")))


class ObjectActionView(LoginRequiredMixin, generic.View):
    """A POST action on one record: found in the user's scope (404 outside), the right checked at
    its node (403 with the reason), a form validated, `perform()` in a transaction, a message,
    and back to the record. A refusal by the service comes back as a message, nothing written.

    Subclasses set `model`, `right` (the verb needed in the model's area, e.g. "change", or None
    when the service checks its own),
    `form_class` (optional), `success_message`, and implement `perform(obj, form)`; they may
    return a response from `perform` to go elsewhere.
    """

    model = None
    right: str | None = "change"
    forbidden_message = gettext_lazy("You may not do this here.")
    form_class = None
    success_message = gettext_lazy("Saved.")
    select_related: tuple = ()
    lookup = "pk"
    denied_as_message = True  # a refusal by the service: a message on the record, or a 403 page

    def get_queryset(self):
        qs = self.model._default_manager.restrict(self.request.user, "view")
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.lookup])

    def check_right(self, obj):
        if self.right is not None and not can_at(self.request.user, self.model.permission_area, self.right,
                                                 obj.scope_path):
            raise PermissionDenied(self.forbidden_message)

    def get_form(self, obj):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, self.request.FILES, **self.get_form_kwargs(obj))

    def get_form_kwargs(self, obj):
        return {}

    def perform(self, obj, form):  # pragma: no cover - each action implements it
        raise NotImplementedError

    def success_url(self, obj):
        """Back to the record, or to a local `next` the page asked for."""
        back = self.request.POST.get("next", "")
        return back if back.startswith("/") and not back.startswith("//") else obj.get_absolute_url()

    def get_success_message(self, obj, result):
        return str(self.success_message) if self.success_message else ""

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_right(obj)
        form = self.get_form(obj)
        if form is not None and not form.is_valid():
            _message_errors(request, form.errors.as_data(), form)
            return HttpResponseRedirect(self.success_url(obj))
        try:
            with transaction.atomic():
                result = self.perform(obj, form)
        except ValidationError as exc:
            _message_errors(request, exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}, form)
            return HttpResponseRedirect(self.success_url(obj))
        except PermissionDenied as exc:
            if not self.denied_as_message:
                raise PermissionDenied(str(exc) or str(self.forbidden_message)) from exc
            messages.error(request, str(exc) or str(self.forbidden_message))
            return HttpResponseRedirect(self.success_url(obj))
        if isinstance(result, HttpResponse):
            return result
        text = self.get_success_message(obj, result)
        if text:
            messages.success(request, text)
        return HttpResponseRedirect(self.success_url(obj))


def _message_errors(request, errors, form=None):
    """Each refusal as a message, named by the field's label (never its column name)."""
    for field, items in errors.items():
        bound = form.fields.get(field) if form is not None and field else None
        label = str(bound.label) if bound is not None and bound.label else ""
        for item in items:
            for text in ValidationError(item).messages:
                messages.error(request, _("%(field)s: %(error)s") % {"field": label, "error": text} if label else text)


class CorrectionView(LoginRequiredMixin, generic.UpdateView):
    """The office files a corrected version of a filed record, with the reason; the original is
    kept (a correction is a new record, never an edit). Subclasses set `model`, `form_class`,
    `area` (whose `correct` right it needs) and implement `correct(original, reason, **changed)`."""

    area = None
    reason_field = "correction_reason"
    template_name = "core/object_form.html"
    forbidden_message = gettext_lazy("Only the office corrects a filed report.")
    select_related: tuple = ()

    def get_queryset(self):
        qs = self.model._default_manager.restrict(self.request.user, "view")
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_at(self.request.user, self.area, "correct", obj.scope_path):
            raise PermissionDenied(self.forbidden_message)
        return obj

    def get_initial(self):
        return {self.reason_field: ""}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form_title", _("Correct this report"))
        return ctx

    def correct(self, original, reason, **changed):  # pragma: no cover - each correction implements it
        raise NotImplementedError

    def form_valid(self, form):
        original = self.model._default_manager.get(pk=self.object.pk)  # as filed, not as the form left it
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name != self.reason_field}
        try:
            with transaction.atomic():
                correction = self.correct(original, form.cleaned_data[self.reason_field], **changed)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Corrected: this is the new version; the original is kept."))
        return HttpResponseRedirect(correction.get_absolute_url())


def crud_urls(prefix, name, *, list=None, detail=None, create=None, edit=None, delete=None):  # noqa: A002
    """The standard pages of a model, with the same URL shapes and names in every app; a page
    a model does not have is left out."""
    shapes = [(list, f"{prefix}/", "list"), (create, f"{prefix}/new/", "create"),
              (detail, f"{prefix}/<int:pk>/", "detail"), (edit, f"{prefix}/<int:pk>/edit/", "edit"),
              (delete, f"{prefix}/<int:pk>/delete/", "delete")]
    return [path(route, view.as_view(), name=f"{name}_{verb}") for view, route, verb in shapes if view is not None]
