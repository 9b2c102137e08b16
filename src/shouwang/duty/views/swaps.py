"""Swap requests: who asked whom to take which shift, the colleague's acceptance, the office's
decision; a refusal shows the rule it breaks."""

from django.urls import path
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import ObjectActionView, ObjectDetailView, ObjectListView, crud_urls

from .. import services
from ..choices import SwapState
from ..filtersets import SwapRequestFilterSet
from ..forms import ReasonForm
from ..models import SwapRequest
from .common import DutyPage


class SwapPages(DutyPage):
    model = SwapRequest
    url_base = "duty:swaprequest"
    select_related = ["assignment__roster", "requester", "colleague", "jurisdiction"]


class SwapRequestListView(SwapPages, ObjectListView):
    filterset_class = SwapRequestFilterSet
    template_name = "duty/object_list.html"
    columns = ["assignment", "requester", "colleague", "state", "created_at"]


class SwapRequestDetailView(SwapPages, ObjectDetailView):
    template_name = "duty/swaprequest_detail.html"
    fields = ["assignment", "requester", "colleague", "reason", "state", "created_at", "accepted_at", "decided_at",
              "decided_by"]

    def url_name(self, suffix):
        return super().url_name("detail" if suffix in ("edit", "delete") else suffix)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        swap, user = self.object, self.request.user
        me = getattr(getattr(user, "person", None), "pk", None)
        office = can_at(user, "duty", "change", swap.scope_path)
        ctx.update(
            can_change=False, can_delete=False,
            may_accept=swap.state == SwapState.REQUESTED and me == swap.colleague_id,
            may_approve=swap.state == SwapState.ACCEPTED and office,
            may_refuse=swap.is_open and office,
            may_withdraw=swap.is_open and (me == swap.requester_id or office),
            refuse_form=ReasonForm(),
        )
        return ctx


class _SwapAction(ObjectActionView):
    model = SwapRequest
    right = None  # each step's service says who may take it


class SwapAcceptView(_SwapAction):
    success_message = gettext_lazy("Accepted: the office decides next.")

    def perform(self, obj, form):
        return services.accept_swap(obj, user=self.request.user)


class SwapApproveView(_SwapAction):
    right = "change"
    success_message = gettext_lazy("Approved: the shift is the colleague's.")

    def perform(self, obj, form):
        return services.decide_swap(obj, approve=True, user=self.request.user)


class SwapRefuseView(_SwapAction):
    right = "change"
    form_class = ReasonForm
    success_message = gettext_lazy("Refused.")

    def perform(self, obj, form):
        return services.decide_swap(obj, approve=False, reason=form.cleaned_data["reason"], user=self.request.user)


class SwapWithdrawView(_SwapAction):
    success_message = gettext_lazy("Withdrawn.")

    def perform(self, obj, form):
        return services.withdraw_swap(obj, user=self.request.user)


urlpatterns = [
    *crud_urls("swaps", "swaprequest", list=SwapRequestListView, detail=SwapRequestDetailView),
    path("swaps/<int:pk>/accept/", SwapAcceptView.as_view(), name="swaprequest_accept"),
    path("swaps/<int:pk>/approve/", SwapApproveView.as_view(), name="swaprequest_approve"),
    path("swaps/<int:pk>/refuse/", SwapRefuseView.as_view(), name="swaprequest_refuse"),
    path("swaps/<int:pk>/withdraw/", SwapWithdrawView.as_view(), name="swaprequest_withdraw"),
]
