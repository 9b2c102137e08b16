"""Pages of awareness campaigns: the list, a campaign with its photos, and the year's counts rolled
up the tree against each node's target."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import queries, services
from ..filtersets import CampaignFilterSet
from ..forms import CampaignForm, CampaignPhotoForm, CampaignTargetForm
from ..models import Campaign, CampaignTarget


class CampaignPages:
    model = Campaign
    url_base = "plans:campaign"
    form_class = CampaignForm
    select_related = ["jurisdiction", "unit"]


class CampaignListView(CampaignPages, ObjectListView):
    filterset_class = CampaignFilterSet
    columns = ["title", "kind", "held_on", "audience", "unit", "jurisdiction"]
    template_name = "plans/campaign_list.html"


class CampaignDetailView(CampaignPages, ObjectDetailView):
    template_name = "plans/campaign_detail.html"
    fields = ["kind", "held_on", "audience", "unit", "jurisdiction", "description"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["photos"] = [(p, reverse("plans-campaign-photo-file", args=[p.pk])) for p in self.object.photos.all()]
        ctx["photo_form"] = CampaignPhotoForm()
        return ctx


class _WithPhoto:
    def save_form(self, form):
        campaign = form.save(commit=False)
        if campaign.created_by_id is None:
            campaign.created_by = self.request.user
        campaign.save()
        if form.cleaned_data.get("photo"):
            services.add_campaign_photo(campaign, user=self.request.user, photo=form.cleaned_data["photo"])
        return campaign


class CampaignCreateView(_WithPhoto, CampaignPages, ObjectCreateView):
    template_name = "plans/upload_form.html"


class CampaignUpdateView(_WithPhoto, CampaignPages, ObjectUpdateView):
    template_name = "plans/upload_form.html"


class CampaignDeleteView(CampaignPages, ObjectDeleteView):
    pass


class CampaignPhotoView(ObjectActionView):
    model = Campaign
    form_class = CampaignPhotoForm
    success_message = gettext_lazy("Photo added.")

    def perform(self, campaign, form):
        services.add_campaign_photo(campaign, user=self.request.user, photo=form.cleaned_data["photo"],
                                    caption=form.cleaned_data["caption"])


@login_required
def rollup(request):
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    rows = queries.rollup(request.user, year) if request.user.is_authenticated else []
    return render(request, "plans/campaign_rollup.html", {
        "rows": rows, "year": year, "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "can_target": can(request.user, "plans", "add"), "target_url": reverse("plans:campaigntarget_create")})


class TargetPages:
    model = CampaignTarget
    url_base = "plans:campaigntarget"
    form_class = CampaignTargetForm

    def get_success_url(self):
        return reverse("plans:campaigns_rollup") + f"?year={self.object.year}"


class CampaignTargetCreateView(TargetPages, ObjectCreateView):
    def get_initial(self):
        return {**super().get_initial(), "year": timezone.localdate().year}


class CampaignTargetUpdateView(TargetPages, ObjectUpdateView):
    pass


urlpatterns = [
    path("campaigns/rollup/", rollup, name="campaigns_rollup"),
    *crud_urls("campaigns", "campaign", list=CampaignListView, detail=CampaignDetailView,
               create=CampaignCreateView, edit=CampaignUpdateView, delete=CampaignDeleteView),
    path("campaigns/<int:pk>/photos/", CampaignPhotoView.as_view(), name="campaign_photos"),
    *crud_urls("campaign-targets", "campaigntarget", create=CampaignTargetCreateView,
               edit=CampaignTargetUpdateView),
]
