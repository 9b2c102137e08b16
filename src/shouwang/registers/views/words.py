"""The category words page: the words offices write in their sheets and the category each stands
for. One table for the district, read by those who read the registers, edited by those who may
import key places (the import reads it)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import generic

from shouwang.core.views.base import ObjectListView, ScopedMixin

from ..filtersets import CategoryWordFilterSet
from ..forms import CategoryWordForm
from ..models import CategoryWord
from ..models.words import may_import


class CategoryWordPages:
    model = CategoryWord
    url_base = "registers:categoryword"
    form_class = CategoryWordForm
    success_url = reverse_lazy("registers:categoryword_list")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = ctx["can_edit"] = may_import(self.request.user)
        return ctx


class CategoryWordListView(CategoryWordPages, ObjectListView):
    template_name = "registers/categoryword_list.html"
    partial_template_name = "registers/_categoryword_table.html"
    filterset_class = CategoryWordFilterSet
    columns = ["word", "category", "updated_at"]
    paginate_by = 100


class CategoryWordWrite(CategoryWordPages, ScopedMixin):
    """A word hangs on no node: the right to write one is the right to import key places,
    checked before anything else (403), the record found among those he may write."""

    template_name = "core/object_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied(_("Only those who may import key places edit the category words."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return CategoryWord.objects.restrict(self.request.user, "change")

    def form_valid(self, form):
        with transaction.atomic():
            self.object = form.save()
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())


class CategoryWordCreateView(CategoryWordWrite, generic.CreateView):
    pass


class CategoryWordUpdateView(CategoryWordWrite, generic.UpdateView):
    pass


class CategoryWordDeleteView(CategoryWordWrite, generic.DeleteView):
    template_name = "core/object_confirm_delete.html"

    def get_form_class(self):
        return forms.Form  # only a confirmation

    def form_valid(self, form):
        with transaction.atomic():
            self.object.delete()
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse("registers:categoryword_list"))
