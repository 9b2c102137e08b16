"""Base page views: scope in the queryset, writes re-checked inside their transaction.

Every domain app builds its list / detail / create / edit / delete pages on these, so
scope, permissions, HTMX partials and history work the same everywhere.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView

from ..models import ChangeLogEntry
from ..scope import can, can_at
from ..tables import build_rows, headers


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

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["partial_template"] = self.partial_template_name
        ctx["headers"] = headers(self.model, self.columns)
        ctx["rows"] = build_rows(ctx["object_list"], self.columns)
        return ctx


class ObjectDetailView(ScopedMixin, generic.DetailView):
    template_name = "core/object_detail.html"
    fields: list[str] = []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        ctx["field_rows"] = list(zip(headers(self.model, self.fields), build_rows([obj], self.fields)[0]["cells"], strict=True))
        ctx["can_change"] = can_at(user, self.area, "change", obj.scope_path)
        ctx["can_delete"] = can_at(user, self.area, "delete", obj.scope_path)
        ctx["history"] = history_of(obj)
        ctx["edit_url"] = reverse(self.url_name("edit"), args=[obj.pk])
        ctx["delete_url"] = reverse(self.url_name("delete"), args=[obj.pk])
        return ctx


def history_of(obj, limit=50):
    ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    return ChangeLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("user")[:limit]


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
                    raise PermissionDenied(_("This record would fall outside your jurisdiction."))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())

    def save_form(self, form):
        return form.save()

    def get_success_url(self):
        return self.object.get_absolute_url()


def _add_errors(form, exc):
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


def crud(model, form, filterset, columns, fields, url_base, related=()):
    """The five standard views of a model, configured once."""
    common = {"model": model, "url_base": url_base, "select_related": list(related)}
    return (
        type(f"{model.__name__}ListView", (ObjectListView,), {**common, "filterset_class": filterset, "columns": columns}),
        type(f"{model.__name__}DetailView", (ObjectDetailView,), {**common, "fields": fields}),
        type(f"{model.__name__}CreateView", (ObjectCreateView,), {**common, "form_class": form}),
        type(f"{model.__name__}UpdateView", (ObjectUpdateView,), {**common, "form_class": form}),
        type(f"{model.__name__}DeleteView", (ObjectDeleteView,), common),
    )


def crud_urls(prefix, name, list_view, detail_view, create_view, update_view, delete_view):
    """The five standard pages of a model, with the same URL shapes in every app."""
    from django.urls import path

    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/new/", create_view.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", update_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]
