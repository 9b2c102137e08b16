"""Pages: supervision (督查). Inspectors per community and the coverage of communities, visits
with the four checks (the facts the system reads shown before the inspector judges), and the
supervision bulletins (drafted, edited, issued with their number, then frozen)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.choices import NodeLevel
from shouwang.core.documents import docx_response, zh_date
from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, can_at, nodes_where
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ScopedMixin,
    add_form_errors,
    crud_urls,
    history_of,
)
from shouwang.registers.models import KeyPlace

from .. import checks, services
from ..bulletin import bulletin_docx, join_distribution, photos_of, split_distribution
from ..choices import BulletinState, Check, Severity, VisitMethod
from ..filtersets import BulletinFilterSet, InspectorAssignmentFilterSet, SupervisionVisitFilterSet
from ..models import Bulletin, InspectorAssignment, SupervisionVisit

AREA = "inspections"
FINDING_ROWS = 3
YES_NO = [("yes", gettext_lazy("in order")), ("no", gettext_lazy("not in order"))]


def _url_or_none(obj):
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # a page of another family not there yet
        return None


def _photo_url(photo):
    """The scope-checked file address of a photo (the API's), never the bare media path."""
    try:
        return reverse("inspections-photo-file", args=[photo.pk])
    except NoReverseMatch:
        return None


def _communities(user, action):
    return nodes_where(user, AREA, action).filter(level=NodeLevel.COMMUNITY).order_by("path")


# --- Inspector assignments --------------------------------------------------------------------

class InspectorAssignmentForm(ScopedModelForm):
    class Meta:
        model = InspectorAssignment
        fields = ["jurisdiction", "inspector", "since"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].label = _("community")
        if self.instance.pk:
            del self.fields["jurisdiction"]
        self.fields["since"].initial = timezone.localdate()


class AssignmentPages:
    model = InspectorAssignment
    url_base = "inspections:inspectorassignment"
    form_class = InspectorAssignmentForm
    select_related = ["jurisdiction", "inspector"]


class InspectorAssignmentListView(AssignmentPages, ObjectListView):
    template_name = "inspections/assignment_list.html"
    filterset_class = InspectorAssignmentFilterSet
    columns = ["jurisdiction", "inspector", "since"]


class InspectorAssignmentDetailView(AssignmentPages, ObjectDetailView):
    fields = ["jurisdiction", "inspector", "since"]


class InspectorAssignmentCreateView(AssignmentPages, ObjectCreateView):
    def save_form(self, form):
        data = form.cleaned_data
        return services.assign_inspector(node=data["jurisdiction"], inspector=data["inspector"],
                                         since=data.get("since"), user=self.request.user)


class InspectorAssignmentUpdateView(AssignmentPages, ObjectUpdateView):
    pass


class InspectorAssignmentDeleteView(AssignmentPages, ObjectDeleteView):
    pass


class CoverageView(LoginRequiredMixin, generic.TemplateView):
    """Every community of the user's scope with its inspectors; those without one in red (each
    inspector covers one key community)."""

    template_name = "inspections/assignment_coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        communities = list(Jurisdiction.objects.restrict(user, "view").filter(level=NodeLevel.COMMUNITY)
                           .order_by("path"))
        by_node = {}
        for a in (InspectorAssignment.objects.restrict(user, "view").filter(jurisdiction__in=communities)
                  .select_related("inspector").order_by("inspector__name")):
            by_node.setdefault(a.jurisdiction_id, []).append(a)
        ctx["rows"] = [(c, by_node.get(c.pk, [])) for c in communities]
        ctx["uncovered"] = sum(1 for _c, found in ctx["rows"] if not found)
        ctx["can_add"] = can(user, AREA, "add")
        return ctx


# --- Visits -----------------------------------------------------------------------------------

class VisitForm(forms.Form):
    """A visit: where and how, the inspector's judgement on each check, up to three findings."""

    jurisdiction = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=gettext_lazy("community"))
    visited_on = forms.DateField(label=gettext_lazy("visited on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(choices=VisitMethod.choices, label=gettext_lazy("method"))
    inspectors = forms.CharField(max_length=200, label=gettext_lazy("inspectors"))
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("summary"))

    def __init__(self, *args, user=None, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = _communities(user, "add")
        for check in Check:
            self.fields[f"{check.value}_ok"] = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect,
                                                                 label=check.label, required=False)
            self.fields[f"{check.value}_note"] = forms.CharField(
                required=False, label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))
        places = KeyPlace.objects.restrict(user, "view").order_by("name")
        if node is not None:
            places = places.filter(jurisdiction__path__startswith=node.path)
        severities = [(s.value, s.label) for s in Severity if s != Severity.NOTE]
        for n in range(1, FINDING_ROWS + 1):
            self.fields[f"finding_description_{n}"] = forms.CharField(
                required=False, label=_("hazard"), widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"finding_severity_{n}"] = forms.ChoiceField(
                required=False, choices=[("", "—"), *severities], label=_("severity"))
            self.fields[f"finding_place_{n}"] = forms.ModelChoiceField(
                required=False, queryset=places, label=_("key place"))
            self.fields[f"finding_requirement_{n}"] = forms.CharField(required=False, label=_("what must be done"))
            self.fields[f"finding_photo_{n}"] = forms.ImageField(required=False, label=_("photo"))

    def check_rows(self):
        return [(c, self[f"{c.value}_ok"], self[f"{c.value}_note"]) for c in Check]

    def finding_rows(self):
        names = ("description", "severity", "place", "requirement", "photo")
        return [[self[f"finding_{k}_{n}"] for k in names] for n in range(1, FINDING_ROWS + 1)]

    def findings(self):
        out = []
        for n in range(1, FINDING_ROWS + 1):
            data = {k: self.cleaned_data.get(f"finding_{k}_{n}") for k in ("description", "severity", "place",
                                                                           "requirement", "photo")}
            if not any(data.values()):
                continue
            photo = data.pop("photo")
            out.append({**data, "photos": [photo] if photo else [], "row": n})
        return out


def _field_of_error(key, rows):
    """A service's error key as the form's field: findings.2.severity → finding_severity_<row>."""
    if key.startswith("findings."):
        parts = key.split(".")
        row = rows[int(parts[1]) - 1] if parts[1].isdigit() and int(parts[1]) <= len(rows) else parts[1]
        name = {"photos": "photo"}.get(parts[2], parts[2]) if len(parts) > 2 else "description"
        return f"finding_{name}_{row}"
    return key


def _labelled_checks(found):
    """[(check, judgement, [labelled fact])] of stored or freshly read facts."""
    out = []
    for check in Check:
        entry = found.get(check.value) or {}
        facts = entry.get("facts", entry) if isinstance(entry, dict) else entry
        out.append((check, entry if isinstance(entry, dict) else {}, [checks.labelled(f) for f in facts or []]))
    return out


class SupervisionVisitCreateView(LoginRequiredMixin, generic.FormView):
    """The visit's form: the facts of the chosen community and day shown first, then the judgement."""

    template_name = "inspections/visit_form.html"
    form_class = VisitForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, AREA, "add"):
            raise PermissionDenied(_("You may not add records here."))
        return super().dispatch(request, *args, **kwargs)

    def node(self):
        raw = self.request.POST.get("jurisdiction") or self.request.GET.get("jurisdiction", "")
        nodes = _communities(self.request.user, "add")
        return nodes.filter(pk=raw).first() if str(raw).isdigit() else nodes.first()

    def day(self):
        raw = self.request.POST.get("visited_on") or self.request.GET.get("visited_on", "")
        try:
            day = forms.DateField().clean(raw) if raw else timezone.localdate()
        except ValidationError:
            day = timezone.localdate()
        return min(day, timezone.localdate())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, node=self.node())
        return kwargs

    def get_initial(self):
        node = self.node()
        return {"jurisdiction": node.pk if node else None, "visited_on": self.day(),
                "method": VisitMethod.UNANNOUNCED, "inspectors": str(getattr(self.request.user, "person", "") or "")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        node = self.node()
        ctx["node"], ctx["day"] = node, self.day()
        ctx["nodes"] = _communities(self.request.user, "add")
        ctx["checks"] = _labelled_checks(checks.facts(node, ctx["day"])) if node else []
        ctx["meta"] = SupervisionVisit._meta
        ctx["list_url"] = reverse("inspections:supervisionvisit_list")
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        found = form.findings()
        try:
            visit = services.record_visit(
                self.request.user, node=data["jurisdiction"], visited_on=data["visited_on"], method=data["method"],
                inspectors=data["inspectors"], summary=data["summary"], findings=found,
                judgements={c: {"ok": {"yes": True, "no": False}.get(data.get(f"{c}_ok")),
                                "note": data.get(f"{c}_note", "")} for c in Check.values},
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            rows = [f["row"] for f in found]
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            add_form_errors(form, ValidationError({_field_of_error(k, rows) if k else "__all__": v
                                                   for k, v in errors.items()}))
            return self.form_invalid(form)
        messages.success(self.request, _("Visit recorded."))
        return HttpResponseRedirect(visit.get_absolute_url())


class VisitPages:
    model = SupervisionVisit
    url_base = "inspections:supervisionvisit"
    select_related = ["jurisdiction", "led_by"]


class SupervisionVisitListView(VisitPages, ObjectListView):
    template_name = "inspections/visit_list.html"
    filterset_class = SupervisionVisitFilterSet
    columns = ["visited_on", "jurisdiction", "method", "inspectors", "led_by"]


class SupervisionVisitDetailView(VisitPages, ScopedMixin, generic.DetailView):
    template_name = "inspections/visit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visit, user = self.object, self.request.user
        ctx["checks"] = _labelled_checks(visit.checks or {})
        findings = list(visit.findings.select_related("place", "order__responsible_unit",
                                                      "order__responsible_person").order_by("pk"))
        ctx["findings"] = [(f, getattr(f, "order", None), _url_or_none(f.order) if hasattr(f, "order") else None,
                            [url for url in map(_photo_url, photos_of(f)) if url]) for f in findings]
        ctx["bulletins"] = visit.bulletins.restrict(user, "view").order_by("-pk")
        ctx["can_draft"] = can_at(user, AREA, "add", visit.scope_path)
        ctx["history"] = history_of(visit, user)
        return ctx


# --- Bulletins --------------------------------------------------------------------------------

class BulletinForm(forms.Form):
    title = forms.CharField(max_length=120, label=gettext_lazy("title"))
    issuer = forms.CharField(max_length=100, label=gettext_lazy("issuing office"))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}), label=gettext_lazy("text"))
    report_to = forms.CharField(required=False, max_length=95, label=gettext_lazy("report to (报)"))
    copy_to = forms.CharField(required=False, max_length=95, label=gettext_lazy("copy to (送)"))
    send_to = forms.CharField(required=False, max_length=95, label=gettext_lazy("send to (发)"))

    def values(self):
        data = self.cleaned_data
        return {"title": data["title"], "issuer": data["issuer"], "body": data["body"],
                "distribution": join_distribution(data["report_to"], data["copy_to"], data["send_to"])}


def _draft_text(visit):
    lines = [_("On %(day)s the inspectors (%(who)s) visited %(node)s (%(method)s).") % {
        "day": zh_date(visit.visited_on),
        "who": visit.inspectors, "node": visit.jurisdiction.name, "method": visit.get_method_display()}]
    for check in Check:
        entry = (visit.checks or {}).get(check.value) or {}
        verdict = _("in order") if entry.get("ok") else _("not in order")
        note = entry.get("note") or ""
        lines.append(f"{check.label}：{verdict}{'，' + note if note else ''}")
    if visit.summary:
        lines.append(visit.summary)
    return "\n".join(lines)


class BulletinFormMixin(LoginRequiredMixin):
    template_name = "inspections/bulletin_form.html"
    form_class = BulletinForm

    def form_valid(self, form):
        try:
            bulletin = self.save(form.values())
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(bulletin.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meta"] = Bulletin._meta
        ctx["list_url"] = reverse("inspections:bulletin_list")
        return ctx


class BulletinCreateView(BulletinFormMixin, generic.FormView):
    """A draft bulletin of a visit (?visit=<pk>), prefilled from the visit."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        raw = request.GET.get("visit") or request.POST.get("visit", "")
        self.visit = get_object_or_404(SupervisionVisit.objects.restrict(request.user, "view"),
                                       pk=raw if str(raw).isdigit() else 0)
        if not can_at(request.user, AREA, "add", self.visit.scope_path):
            raise PermissionDenied(_("You may not add records here."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        node = services.bulletin_node(self.visit, self.request.user)
        return {"title": _("Bulletin on the supervision of %(node)s") % {"node": self.visit.jurisdiction.name},
                "issuer": _("%(node)s safety office") % {"node": node.name}, "body": _draft_text(self.visit)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visit"] = self.visit
        return ctx

    def save(self, values):
        return services.create_bulletin(self.visit, user=self.request.user, **values)


class BulletinUpdateView(BulletinFormMixin, generic.FormView):
    """Only a draft is edited: an issued bulletin is refused (403) with the reason."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = get_object_or_404(Bulletin.objects.restrict(request.user, "view"), pk=kwargs["pk"])
        if self.object.state == BulletinState.ISSUED:
            raise PermissionDenied(_("An issued bulletin cannot be changed."))
        if not can_at(request.user, AREA, "change", self.object.scope_path):
            raise PermissionDenied(_("You may view this record but not change it."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        b = self.object
        return {"title": b.title, "issuer": b.issuer, "body": b.body, **split_distribution(b.distribution)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"], ctx["visit"] = self.object, self.object.visit
        return ctx

    def save(self, values):
        return services.update_bulletin(self.object, user=self.request.user, **values)


class BulletinPages:
    model = Bulletin
    url_base = "inspections:bulletin"
    select_related = ["jurisdiction", "visit", "issued_by"]


class BulletinListView(BulletinPages, ObjectListView):
    template_name = "inspections/bulletin_list.html"
    filterset_class = BulletinFilterSet
    columns = ["title", "jurisdiction", "year", "sequence", "state", "issuer", "issued_at"]


class BulletinDetailView(BulletinPages, ObjectDetailView):
    template_name = "inspections/bulletin_detail.html"
    fields = ["title", "issuer", "jurisdiction", "visit", "state", "issued_at", "issued_by", "body"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        bulletin = self.object
        draft = bulletin.state == BulletinState.DRAFT
        ctx["can_change"] = ctx["can_change"] and draft
        ctx["can_delete"] = ctx["can_delete"] and draft
        ctx["distribution"] = [line for line in (bulletin.distribution or "").splitlines() if line.strip()]
        ctx["findings"] = list(bulletin.visit.findings.select_related("place", "order").order_by("pk"))
        return ctx


class BulletinDeleteView(BulletinPages, ObjectDeleteView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if obj.state == BulletinState.ISSUED:
            raise PermissionDenied(_("An issued bulletin cannot be changed."))
        return obj

    def form_valid(self, form):
        try:
            services.delete_bulletin(self.object, user=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(reverse("inspections:bulletin_list"))


class IssueBulletinView(ObjectActionView):
    model = Bulletin

    def perform(self, bulletin, form):
        return services.issue_bulletin(bulletin, user=self.request.user)

    def get_success_message(self, bulletin, result):
        return _("Issued as %(number)s.") % {"number": result.number_text}


class BulletinDownloadView(LoginRequiredMixin, generic.View):
    """The issued bulletin as it was frozen when issued; a draft made now, marked unnumbered."""

    def get(self, request, pk):
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "view").select_related("visit"), pk=pk)
        if bulletin.state == BulletinState.ISSUED and bulletin.document:
            with bulletin.document.open("rb") as f:
                content = f.read()
            name = f"督查通报{bulletin.number_text}"
        else:
            content, name = bulletin_docx(bulletin), f"督查通报（草稿）{bulletin.title}"
        return docx_response(content, name)


urlpatterns = [
    *crud_urls("supervision/inspectors", "inspectorassignment", list=InspectorAssignmentListView,
               detail=InspectorAssignmentDetailView, create=InspectorAssignmentCreateView,
               edit=InspectorAssignmentUpdateView, delete=InspectorAssignmentDeleteView),
    path("supervision/coverage/", CoverageView.as_view(), name="coverage"),
    *crud_urls("supervision/visits", "supervisionvisit", list=SupervisionVisitListView,
               detail=SupervisionVisitDetailView, create=SupervisionVisitCreateView),
    *crud_urls("supervision/bulletins", "bulletin", list=BulletinListView, detail=BulletinDetailView,
               create=BulletinCreateView, edit=BulletinUpdateView, delete=BulletinDeleteView),
    path("supervision/bulletins/<int:pk>/issue/", IssueBulletinView.as_view(), name="bulletin_issue"),
    path("supervision/bulletins/<int:pk>/download/", BulletinDownloadView.as_view(), name="bulletin_download"),
]
