"""Briefing pages: the list, making one from the data, reading it (each figure a link to the list
behind it, the charts drawn in the page), editing the remark and notes, review, issue, download."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.documents import docx_response, split_distribution
from shouwang.core.scope import can, can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectDetailView,
    ObjectListView,
    add_form_errors,
    crud_urls,
)
from shouwang.obligations.models import Obligation

from .. import document, services
from ..choices import BriefingState
from ..filtersets import BriefingFilterSet
from ..forms import BriefingEditForm, BriefingGenerateForm
from ..models import Briefing


class BriefingPages:
    model = Briefing
    url_base = "briefings:briefing"
    select_related = ["jurisdiction", "issued_by", "reviewed_by", "created_by"]


class BriefingListView(BriefingPages, ObjectListView):
    template_name = "briefings/briefing_list.html"
    filterset_class = BriefingFilterSet
    columns = ["title", "jurisdiction", "start", "end", "state", "sequence", "issued_at"]

    def get_queryset(self):
        return super().get_queryset().order_by("-end", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_make"], ctx["can_add"] = ctx["can_add"], False  # one button, named for what it does
        return ctx


class BriefingCreateView(LoginRequiredMixin, generic.FormView):
    """Make a briefing from the data (a draft to edit, review and issue)."""

    template_name = "briefings/briefing_generate.html"
    form_class = BriefingGenerateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "briefings", "add"):
            raise PermissionDenied(_("You may not add records here."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        for key in ("jurisdiction", "days", "end"):
            if key in self.request.GET:
                initial[key] = self.request.GET[key]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            briefing = services.generate_briefing(node=data["jurisdiction"], days=data["days"], end=data["end"],
                                                  user=self.request.user)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Made from the data as of %(time)s: add the remark, then review and issue it.")
                         % {"time": timezone.localtime(briefing.data_at).strftime("%H:%M")})
        return HttpResponseRedirect(briefing.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(meta=Briefing._meta, list_url=reverse("briefings:briefing_list"))
        return ctx


class BriefingDetailView(BriefingPages, ObjectDetailView):
    template_name = "briefings/briefing_detail.html"
    fields = ["jurisdiction", "start", "end", "data_at", "issuer", "state", "created_by", "reviewed_by", "reviewed_at",
              "issued_by", "issued_at"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        open_ = b.state != BriefingState.ISSUED
        ctx["can_change"] = ctx["can_change"] and open_
        ctx["can_delete"] = ctx["can_delete"] and b.state == BriefingState.DRAFT
        ctx["distribution"] = [f"{word}：{line}" for word, line in zip(
            "报送发", split_distribution(b.distribution).values(), strict=True) if line]
        ctx["notes"] = b.notes or {}
        ctx["charts"] = [(f"chart-{s['key']}-{i}", chart) for s in b.sections for i, chart in enumerate(s["charts"])]
        scheduled = Obligation.objects.with_keys([services.briefing_key(b.jurisdiction, b.days, b.start)]).first()
        ctx["scheduled"] = scheduled
        return ctx


class BriefingEditView(LoginRequiredMixin, generic.FormView):
    """Remark (按语), a note under each section, title, issuing office, distribution; a draft or a
    reviewed briefing only (an issued one is refused with the reason)."""

    template_name = "briefings/briefing_edit.html"
    form_class = BriefingEditForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = get_object_or_404(Briefing.objects.restrict(request.user, "view").select_related("jurisdiction"),
                                        pk=kwargs["pk"])
        if self.object.state == BriefingState.ISSUED:
            raise PermissionDenied(_("An issued briefing cannot be changed."))
        if not can_at(request.user, "briefings", "change", self.object.scope_path):
            raise PermissionDenied(_("You may view this record but not change it."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "briefing": self.object}

    def form_valid(self, form):
        try:
            services.edit_briefing(self.object, user=self.request.user, **form.values())
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(object=self.object, meta=Briefing._meta, list_url=reverse("briefings:briefing_list"),
                   note_fields=[ctx["form"][f"note_{k}"] for k in ctx["form"].section_keys])
        return ctx


class BriefingRegenerateView(ObjectActionView):
    model = Briefing
    success_message = gettext_lazy("The figures were read again from the data; review the briefing again.")

    def perform(self, briefing, form):
        return services.regenerate_briefing(briefing, user=self.request.user)


class BriefingReviewView(ObjectActionView):
    model = Briefing
    success_message = gettext_lazy("Reviewed: it may now be issued.")

    def perform(self, briefing, form):
        return services.review_briefing(briefing, user=self.request.user)


class BriefingIssueView(ObjectActionView):
    model = Briefing

    def perform(self, briefing, form):
        return services.issue_briefing(briefing, user=self.request.user)

    def get_success_message(self, briefing, result):
        return _("Issued as %(number)s.") % {"number": result.number_text}


class BriefingDeleteView(ObjectActionView):
    model = Briefing
    right = "delete"
    success_message = gettext_lazy("Deleted.")

    def perform(self, briefing, form):
        services.delete_briefing(briefing, user=self.request.user)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(reverse("briefings:briefing_list"))


class BriefingDownloadView(LoginRequiredMixin, generic.View):
    """The issued briefing as it was frozen when issued; a draft made now, marked unnumbered."""

    def get(self, request, pk):
        briefing = get_object_or_404(Briefing.objects.restrict(request.user, "view").select_related("jurisdiction"),
                                     pk=pk)
        if briefing.state == BriefingState.ISSUED and briefing.document:
            with briefing.document.open("rb") as f:
                content = f.read()
        else:
            content = document.briefing_docx(briefing)
        return docx_response(content, document.filename(briefing))


urlpatterns = [
    *crud_urls("briefings", "briefing", list=BriefingListView, detail=BriefingDetailView, create=BriefingCreateView,
               edit=BriefingEditView),
    path("briefings/<int:pk>/regenerate/", BriefingRegenerateView.as_view(), name="briefing_regenerate"),
    path("briefings/<int:pk>/review/", BriefingReviewView.as_view(), name="briefing_review"),
    path("briefings/<int:pk>/issue/", BriefingIssueView.as_view(), name="briefing_issue"),
    path("briefings/<int:pk>/delete/", BriefingDeleteView.as_view(), name="briefing_delete"),
    path("briefings/<int:pk>/document/", BriefingDownloadView.as_view(), name="briefing_download"),
]
