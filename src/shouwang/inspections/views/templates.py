"""Pages: checklist templates (检查表) with their versions and the item editor. Saving goes through
services.create_template / services.edit_template (revise_template underneath): a version an
inspection used never changes, its edit becomes the next version."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from shouwang.core.names import user_display
from shouwang.core.scope import can, can_at, nodes_where, refusal
from shouwang.core.views.base import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import services
from ..choices import AnswerType
from ..filtersets import ChecklistTemplateFilterSet
from ..forms import ChecklistTemplateForm
from ..models import ChecklistTemplate, Inspection, TemplateItem


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _number(value):
    """15.0 → "15", 0.5 → "0.5"."""
    return f"{value:g}"


def limits_text(item):
    """An item's acceptable range in words: "≤ 20 %LEL", "10 – 30 ℃", "≥ 1"."""
    unit = f" {item.unit_label}" if item.unit_label else ""
    low, high = item.min_value, item.max_value
    if low is not None and high is not None:
        return f"{_number(low)} – {_number(high)}{unit}"
    if high is not None:
        return f"≤ {_number(high)}{unit}"
    if low is not None:
        return f"≥ {_number(low)}{unit}"
    return ""


def sections_of(items):
    """[(section, [items])] in the items' order, each section once where it first appears."""
    out = {}
    for item in items:
        out.setdefault(item.section, []).append(item)
    return list(out.items())


class TemplatePages:
    model = ChecklistTemplate
    url_base = "inspections:checklisttemplate"
    form_class = ChecklistTemplateForm
    select_related = ["jurisdiction"]


class ChecklistTemplateListView(TemplatePages, ObjectListView):
    template_name = "inspections/checklisttemplate_list.html"
    partial_template_name = "inspections/checklisttemplate_table.html"
    filterset_class = ChecklistTemplateFilterSet
    columns = ["name", "category", "jurisdiction", "active"]
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().annotate(version_count=Count("versions", distinct=True),
                                               latest=Max("versions__number")).order_by("category", "name", "pk")

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        form = filterset.form
        form.order_fields(["name", "category", "active"])
        if "active" in form.fields:  # said as the list says it, not "unknown / yes / no"
            form.fields["active"].widget.choices = [("unknown", _("all")), ("true", _("in use")),
                                                    ("false", _("not in use"))]
        return filterset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        templates = list(ctx["object_list"])
        counts = {}  # (template, version number) -> items, read for the page in one query
        for row in (TemplateItem.objects.filter(version__template__in=templates)
                    .values("version__template", "version__number").annotate(n=Count("pk")).order_by()):
            counts[(row["version__template"], row["version__number"])] = row["n"]
        for row in ctx["rows"]:
            obj = row["object"]
            row["versions"] = obj.version_count
            row["latest"] = obj.latest
            row["items"] = counts.get((obj.pk, obj.latest), 0)
        user = self.request.user
        ctx["can_install"] = can(user, "inspections", "add")
        ctx["install_url"] = _url("inspections:install_checklists")
        ctx["install_nodes"] = list(nodes_where(user, "inspections", "add").order_by("depth", "path")[:50]) \
            if ctx["can_install"] else []
        ctx["import_url"] = _url("inspections:hazard_import") if ctx["can_install"] else None
        return ctx


class ChecklistTemplateDetailView(TemplatePages, ObjectDetailView):
    template_name = "inspections/checklisttemplate_detail.html"
    fields = ["category", "jurisdiction", "active", "description"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix == "delete" else suffix)  # templates are not deleted here

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_delete"] = False
        versions = list(self.object.versions.select_related("created_by__person").annotate(
            is_used=Exists(Inspection.objects.filter(version=OuterRef("pk")))).order_by("-number"))
        for v in versions:
            v.author = user_display(v.created_by) if v.created_by else ""
        wanted = self.request.GET.get("version", "")
        if wanted:
            shown = next((v for v in versions if str(v.number) == wanted), None)
            if shown is None:
                raise Http404(_("This checklist has no such version."))
        else:
            shown = versions[0] if versions else None
        items = list(shown.items.order_by("order", "pk")) if shown else []
        for item in items:
            item.limits = limits_text(item) if item.answer_type == AnswerType.NUMBER else ""
            item.choice_rows = [(o, o in (item.failing_options or [])) for o in item.options or []] \
                if item.answer_type == AnswerType.CHOICE else []
        ctx.update(versions=versions, shown=shown, current=versions[0] if versions else None,
                   sections=sections_of(items), item_count=len(items),
                   max_score=sum(i.weight for i in items))
        return ctx


class TemplateWriteMixin:
    """The template's form with its item rows; a service's refusal goes back to its field or row."""

    template_name = "inspections/checklisttemplate_form.html"

    def form_valid(self, form):
        try:
            with transaction.atomic():
                text = self.save_form(form)
                if not can_at(self.request.user, self.area, self.write_action, self.object.scope_path):
                    raise PermissionDenied(refusal(self.request.user, self.area, self.object.scope_path))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return self.form_invalid(form)
        messages.success(self.request, text)
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["answer_types"] = AnswerType
        return ctx


class ChecklistTemplateCreateView(TemplatePages, TemplateWriteMixin, ObjectCreateView):
    def save_form(self, form):
        data = form.cleaned_data
        items = form.item_values()
        self.object = services.create_template(node=data["jurisdiction"], name=data["name"],
                                               category=data["category"], description=data["description"],
                                               items=items, user=self.request.user)
        if not data["active"]:
            services.edit_template(self.object, user=self.request.user, active=False)
        return _("Checklist saved as version 1 with %(n)s items.") % {"n": len(items)}


class ChecklistTemplateUpdateView(TemplatePages, TemplateWriteMixin, ObjectUpdateView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        current = self.object.current
        kwargs["items"] = services.items_of(current) if current else []
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        current = self.object.current
        ctx["current"] = current
        ctx["current_used"] = bool(current and current.used)
        return ctx

    def save_form(self, form):
        data = form.cleaned_data
        before = self.object.current
        items = form.item_values()
        changed = before is None or not services.same_items(services.items_of(before), items)
        version, new = services.edit_template(
            self.object, user=self.request.user, items=items, note=data.get("note", ""),
            name=data["name"], category=data["category"], description=data["description"], active=data["active"])
        if new and before is not None:
            return _("Saved as version %(new)s: version %(old)s was used in inspections and stays as it was.") \
                % {"new": version.number, "old": before.number}
        if changed:
            return _("Saved: version %(n)s was not used yet and was changed in place.") % {"n": version.number}
        return _("Saved (version %(n)s).") % {"n": version.number if version else 1}


urlpatterns = [
    *crud_urls("templates", "checklisttemplate", list=ChecklistTemplateListView, detail=ChecklistTemplateDetailView,
               create=ChecklistTemplateCreateView, edit=ChecklistTemplateUpdateView),
]
