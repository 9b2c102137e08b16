"""Posture levels (a leader sets a node's level for a period with the reason) and the posture panel:
required against rostered per force and shift for the next 30 days, shortfalls flagged."""

from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.models import Jurisdiction
from shouwang.core.scope import can, can_at, scope_paths
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    crud_urls,
)

from .. import queries, services
from ..filtersets import PostureFilterSet
from ..forms import PostureForm
from ..models import Posture
from .common import DutyPage


class PosturePages(DutyPage):
    model = Posture
    url_base = "duty:posture"
    form_class = PostureForm
    select_related = ["jurisdiction", "set_by__person"]


class PostureListView(PosturePages, ObjectListView):
    filterset_class = PostureFilterSet
    template_name = "duty/object_list.html"
    columns = ["jurisdiction", "level", "starts_at", "ends_at", "reason", "set_by"]


class PostureDetailView(PosturePages, ObjectDetailView):
    template_name = "duty/posture_detail.html"
    fields = ["jurisdiction", "level", "starts_at", "ends_at", "reason", "set_by", "created_at"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posture = self.object
        ctx["may_end"] = (can_at(self.request.user, "duty", "change", posture.scope_path)
                          and posture.ends_at > timezone.now())
        ctx["can_change"] = ctx["can_delete"] = False
        return ctx


class PostureCreateView(PosturePages, ObjectCreateView):
    template_name = "duty/object_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "duty", "change"):
            raise PermissionDenied(_("Only a leader or the office sets the posture."))
        return super().dispatch(request, *args, **kwargs)

    def save_form(self, form):
        data = form.cleaned_data
        return services.set_posture(node=data["jurisdiction"], level=data["level"], starts_at=data["starts_at"],
                                    ends_at=data["ends_at"], reason=data["reason"], user=self.request.user)

    def get_success_url(self):
        return panel_url(self.object.jurisdiction)


def panel_url(node):
    return reverse("duty:posture_panel") + f"?node={node.pk}"


class PostureEndView(ObjectActionView):
    model = Posture
    success_message = gettext_lazy("The posture is lifted.")

    def perform(self, obj, form):
        return services.end_posture(obj, user=self.request.user)


class PosturePanelView(DutyPage, LoginRequiredMixin, generic.TemplateView):
    """Required against rostered per force and shift for 30 days from `?start=` at `?node=` (the
    user's highest node by default), the level of each day, shortfalls in red."""

    template_name = "duty/posture_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        nodes = Jurisdiction.objects.restrict(user, "view")
        wanted = self.request.GET.get("node", "")
        node = nodes.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if node is None:
            paths = scope_paths(user, "duty", "view")
            node = (nodes.filter(path__in=paths).order_by("depth", "path").first() if paths and not user.is_superuser
                    else nodes.order_by("depth", "path").filter(depth__gte=2).first() or nodes.first())
        try:
            start = date.fromisoformat(self.request.GET.get("start", ""))
        except ValueError:
            start = timezone.localdate()
        panel = queries.staffing_panel(node, start, 30) if node is not None else []
        level, posture = queries.posture_at(node) if node is not None else ("normal", None)
        ctx.update(node=node, start=start, panel=panel, posture=posture, short_days=sum(1 for d in panel if d.short),
                   short_list=[d.day for d in panel if d.short],
                   nodes=nodes.filter(depth__lte=(node.depth + 1) if node else 3).order_by("path")[:60],
                   may_set=node is not None and can_at(user, "duty", "change", node.path),
                   postures=Posture.objects.filter(jurisdiction__in=[*node.ancestors(), node], ends_at__gt=timezone.now())
                   .select_related("jurisdiction").order_by("starts_at") if node else [])
        return ctx


urlpatterns = [
    path("posture/", PosturePanelView.as_view(), name="posture_panel"),
    *crud_urls("postures", "posture", list=PostureListView, detail=PostureDetailView, create=PostureCreateView),
    path("postures/<int:pk>/end/", PostureEndView.as_view(), name="posture_end"),
]
