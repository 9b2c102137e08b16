"""The dashboard of a node (today, trends over 7 / 30 / 90 days, its children side by side), the
wall for the command centre's screen, and the wall screens' accounts."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.home import chart
from shouwang.core.scope import can, nodes_where
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectDetailView,
    ObjectListView,
    add_form_errors,
    partial_or_page,
)
from shouwang.registers.choices import RiskColour

from .. import dashboard, services
from ..choices import Trend
from ..filtersets import WallScreenFilterSet
from ..forms import WallScreenForm
from ..models import WallScreen

# A wall screen's session lasts this long (the screen is never asked to log in again while it runs).
WALL_SESSION_SECONDS = 10 * 365 * 24 * 3600


class NodeForm(forms.Form):
    node = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("node (with subtree)"))
    days = forms.TypedChoiceField(coerce=int, choices=Trend.choices, required=False, label=gettext_lazy("trend over"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes_where(user, "briefings", "view").exclude(level__in=["area", "grid"])


def _node_for(request, form):
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    node = data.get("node")
    if node is None:
        node = nodes_where(request.user, "briefings", "view").exclude(level__in=["area", "grid"]).order_by("depth", "path").first()
    return node, data.get("days") or Trend.WEEK


def _charts(board):
    t = board.trend
    return [
        ("trend-incidents", chart("bar", t["labels"], [{"name": _("incidents"), "data": t["incidents"], "state": "open"}],
                                  summary=_("Incidents received per day"))),
        ("trend-reports", chart("line", t["labels"], [{"name": _("on time (%)"), "data": t["punctuality"], "state": "met"}],
                                summary=_("Share of daily reports sent on time, per day"))),
        ("trend-patrols", chart("line", t["labels"], [{"name": _("windows met (%)"), "data": t["coverage"], "state": "met"}],
                                summary=_("Share of patrol check-in windows met, per day"))),
        ("trend-hazards", chart("bar", t["labels"], [{"name": _("hazards found"), "data": t["found"], "state": "missed"},
                                                     {"name": _("rectified and closed"), "data": t["closed"], "state": "met"}],
                                summary=_("Hazards found and closed per day"))),
    ]


class DashboardView(LoginRequiredMixin, generic.TemplateView):
    """A node's dashboard: today at a glance, the trends, and its children compared."""

    template_name = "briefings/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "briefings", "view"):
            raise PermissionDenied(_("You may not see the dashboards."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = NodeForm(self.request.GET or None, user=self.request.user)
        node, days = _node_for(self.request, form)
        board = dashboard.build(node, days) if node is not None else None
        tally = [(c, RiskColour(c).label, n) for c, n in board.today["colours"]] if board else []
        ctx.update(form=form, node=node, board=board, days=days, trends=Trend.choices, colour_tally=tally,
                   charts=_charts(board) if board else [], colours=RiskColour,
                   wall_url=f"{reverse('briefings:wall')}?node={node.pk}" if node else None)
        return ctx


class WallView(LoginRequiredMixin, generic.TemplateView):
    """The command centre's wall: full screen, large type, the node's children in their colours,
    refreshed every minute (a partial the page fetches; a wall screen never logs out)."""

    template_name = "briefings/wall.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "briefings", "view"):
            raise PermissionDenied(_("You may not see the dashboards."))
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [partial_or_page(self.request, "briefings/_wall.html", self.template_name)]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = NodeForm(self.request.GET or None, user=self.request.user)
        node, _days = _node_for(self.request, form)
        if node is None:
            raise Http404(_("No node to show."))
        screen = WallScreen.objects.filter(user=self.request.user, revoked_at__isnull=True).first()
        board = dashboard.build(node, 7)
        ctx.update(node=node, board=board, now=timezone.localtime(board.now), screen=screen,
                   refresh=screen.refresh_seconds if screen else 60, colours=RiskColour,
                   self_url=f"{reverse('briefings:wall')}?node={node.pk}")
        return ctx


class WallOpenView(generic.View):
    """The screen's secret link: logs the screen in as its wall account, for good, and shows the wall."""

    def get(self, request, token):
        screen = WallScreen.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
        if screen is None or not screen.user.is_active:
            raise Http404(_("This wall link is not valid any more; ask the office for a new one."))
        login(request, screen.user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.set_expiry(WALL_SESSION_SECONDS)
        request.session["wall_screen"] = screen.pk
        return HttpResponseRedirect(f"{reverse('briefings:wall')}?node={screen.jurisdiction_id}")


class WallScreenPages:
    model = WallScreen
    url_base = "briefings:wallscreen"
    select_related = ["jurisdiction", "user", "created_by"]


class WallScreenListView(WallScreenPages, ObjectListView):
    template_name = "briefings/wallscreen_list.html"
    filterset_class = WallScreenFilterSet
    columns = ["name", "jurisdiction", "refresh_seconds", "revoked_at", "created_at"]


class WallScreenCreateView(LoginRequiredMixin, generic.FormView):
    template_name = "core/object_form.html"
    form_class = WallScreenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (can(request.user, "briefings", "add") and can(request.user, "access", "add")):
            raise PermissionDenied(_("Only who manages the accounts may make a wall screen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            screen = services.create_wall_screen(node=data["jurisdiction"], name=data["name"],
                                                 refresh_seconds=data["refresh_seconds"], user=self.request.user)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Open the link below once on the screen's computer."))
        return HttpResponseRedirect(screen.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(meta=WallScreen._meta, list_url=reverse("briefings:wallscreen_list"))
        return ctx


class WallScreenDetailView(WallScreenPages, ObjectDetailView):
    template_name = "briefings/wallscreen_detail.html"
    fields = ["name", "jurisdiction", "user", "refresh_seconds", "created_by", "created_at", "revoked_at"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        screen = self.object
        manage = ctx["can_change"] and screen.active
        ctx["link"] = self.request.build_absolute_uri(reverse("briefings:wall_open", args=[screen.token])) \
            if manage else None
        ctx["can_change"], ctx["can_delete"] = manage, False
        return ctx


class WallScreenRenewView(ObjectActionView):
    model = WallScreen
    success_message = gettext_lazy("A new link: the old one no longer opens the wall.")

    def perform(self, screen, form):
        return services.renew_wall_link(screen, user=self.request.user)


class WallScreenRevokeView(ObjectActionView):
    model = WallScreen
    success_message = gettext_lazy("Revoked: the screen's account is switched off.")

    def perform(self, screen, form):
        return services.revoke_wall_screen(screen, user=self.request.user)


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("wall/", WallView.as_view(), name="wall"),
    path("wall/open/<str:token>/", WallOpenView.as_view(), name="wall_open"),
    path("wall/screens/", WallScreenListView.as_view(), name="wallscreen_list"),
    path("wall/screens/new/", WallScreenCreateView.as_view(), name="wallscreen_create"),
    path("wall/screens/<int:pk>/", WallScreenDetailView.as_view(), name="wallscreen_detail"),
    path("wall/screens/<int:pk>/renew/", WallScreenRenewView.as_view(), name="wallscreen_renew"),
    path("wall/screens/<int:pk>/revoke/", WallScreenRevokeView.as_view(), name="wallscreen_revoke"),
]
