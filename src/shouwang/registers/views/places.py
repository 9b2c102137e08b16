"""Pages of the registers: key places, defences, hazardous stock, and their actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.core.scope import can_at
from shouwang.core.views.base import crud
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from .. import services
from ..choices import RiskColour
from ..filtersets import DefenceFilterSet, HazardousStockFilterSet, KeyPlaceFilterSet
from ..forms import (
    AttachmentForm,
    ColourForm,
    DefenceCheckForm,
    DefenceForm,
    HazardousStockForm,
    KeyPlaceForm,
    MovementForm,
)
from ..models import Attachment, Defence, HazardousStock, KeyPlace
from ..risk_signals import suggest

KEYPLACE_VIEWS = list(crud(
    KeyPlace, KeyPlaceForm, KeyPlaceFilterSet,
    ["name", "kind", "category", "jurisdiction", "responsible_unit", "review_period_days", "last_reviewed_at"],
    ["name", "kind", "category", "jurisdiction", "unit", "address", "lat", "lon", "responsible_unit",
     "responsible_person", "protective_forces", "special_precautions", "review_period_days", "last_reviewed_at"],
    "registers:keyplace", related=["jurisdiction", "responsible_unit"],
))
DEFENCE_VIEWS = list(crud(
    Defence, DefenceForm, DefenceFilterSet,
    ["name", "place", "kind", "type", "state", "last_checked_on", "jurisdiction"],
    ["name", "place", "kind", "type", "cctv_count", "coverage_percent", "guard_count", "state", "last_checked_on",
     "check_period_days", "notes", "jurisdiction"],
    "registers:defence", related=["jurisdiction", "place"],
))
STOCK_VIEWS = list(crud(
    HazardousStock, HazardousStockForm, HazardousStockFilterSet,
    ["substance", "place", "hazard_class", "quantity", "unit_of_measure", "keeper", "last_checked_on"],
    ["substance", "place", "hazard_class", "quantity", "unit_of_measure", "storage_place", "keeper",
     "last_checked_on", "jurisdiction"],
    "registers:hazardousstock", related=["jurisdiction", "place", "keeper"],
))


class KeyPlaceListView(KEYPLACE_VIEWS[0]):
    template_name = "registers/keyplace_list.html"


class KeyPlaceCreateView(KEYPLACE_VIEWS[2]):
    def get_initial(self):
        initial = super().get_initial()
        node = self.request.GET.get("jurisdiction")
        from shouwang.core.models import Jurisdiction

        node = Jurisdiction.objects.restrict(self.request.user, "view").filter(pk=node).first() if node and \
            node.isdigit() else None
        if node is not None:
            initial["review_period_days"] = services.policy_period(node, "keyplace_days")[0]
        return initial


class KeyPlaceDetailView(KEYPLACE_VIEWS[1]):
    template_name = "registers/keyplace_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        place = self.object
        ctx["defences"] = place.defences.all()
        ctx["stocks"] = place.stocks.all()
        ctx["attachments"] = place.attachments.all()
        ctx["ratings"] = place.ratings.select_related("set_by")[:30]
        ctx["rule_colour"], ctx["rule_reasons"] = suggest(place)
        ctx["rule_colour_label"] = RiskColour(ctx["rule_colour"]).label
        ctx["colour_form"] = ColourForm(initial={"colour": ctx["rule_colour"]})
        ctx["attachment_form"] = AttachmentForm()
        ctx["obligations"] = _obligations(place)
        return ctx


def _obligations(subject):
    rows = list(Obligation.objects.for_subject(subject).with_state().order_by("-due_at")[:10])
    for o in rows:
        o.state_label = State(o.state_db).label
    return rows


class DefenceDetailView(DEFENCE_VIEWS[1]):
    template_name = "registers/defence_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["check_form"] = DefenceCheckForm(initial={"state": self.object.state, "on": timezone.localdate()})
        ctx["obligations"] = _obligations(self.object)
        return ctx


class StockDetailView(STOCK_VIEWS[1]):
    template_name = "registers/hazardousstock_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["movements"] = self.object.movements.select_related("recorded_by")[:50]
        ctx["movement_form"] = kwargs.get("movement_form") or MovementForm()
        return ctx


KEYPLACE_VIEWS[0], KEYPLACE_VIEWS[1], KEYPLACE_VIEWS[2] = KeyPlaceListView, KeyPlaceDetailView, KeyPlaceCreateView
DEFENCE_VIEWS[1] = DefenceDetailView
STOCK_VIEWS[1] = StockDetailView


def _writable(request, model, pk):
    obj = get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk)
    if not can_at(request.user, model.permission_area, "change", obj.scope_path):
        raise PermissionDenied(_("You may view this record but not change it."))
    return obj


def _errors(request, exc):
    for field, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
        for e in errors:
            messages.error(request, f"{field}: {e}" if field and field != "__all__" else e)


@require_POST
def review(request, pk):
    place = _writable(request, KeyPlace, pk)
    try:
        services.review_place(place, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Review recorded; the next one is due in %(days)s days.")
                         % {"days": place.review_period_days})
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
    return HttpResponseRedirect(place.get_absolute_url())


@require_POST
def set_colour(request, pk):
    place = _writable(request, KeyPlace, pk)
    form = ColourForm(request.POST)
    back = request.POST.get("next") or place.get_absolute_url()
    if not back.startswith("/"):
        back = place.get_absolute_url()
    if form.is_valid():
        try:
            services.set_colour(place, colour=form.cleaned_data["colour"], reason=form.cleaned_data["reason"],
                                by=request.user)
            messages.success(request, _("Colour of %(place)s set.") % {"place": place.name})
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _errors(request, ValidationError(form.errors))
    return HttpResponseRedirect(back)


@require_POST
def check_defence(request, pk):
    defence = _writable(request, Defence, pk)
    form = DefenceCheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_defence(defence, state=form.cleaned_data["state"], on=form.cleaned_data["on"],
                                   notes=form.cleaned_data["notes"], by=request.user)
            messages.success(request, _("Check recorded."))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
    else:
        _errors(request, ValidationError(form.errors))
    return HttpResponseRedirect(defence.get_absolute_url())


@require_POST
def add_movement(request, pk):
    stock = _writable(request, HazardousStock, pk)
    form = MovementForm(request.POST)
    if form.is_valid():
        try:
            services.record_movement(stock, kind=form.cleaned_data["kind"], quantity=form.cleaned_data["quantity"],
                                     description=form.cleaned_data["description"], by=request.user)
            messages.success(request, _("Movement recorded."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _errors(request, ValidationError(form.errors))
    return HttpResponseRedirect(stock.get_absolute_url())


@require_POST
def add_attachment(request, pk):
    place = _writable(request, KeyPlace, pk)
    form = AttachmentForm(request.POST, request.FILES,
                          instance=Attachment(place=place, jurisdiction=place.jurisdiction))
    if form.is_valid():
        with transaction.atomic():
            attachment = form.save(commit=False)
            attachment.size = attachment.file.size
            attachment.save()
        messages.success(request, _("Attachment added."))
    else:
        _errors(request, ValidationError(form.errors))
    return HttpResponseRedirect(place.get_absolute_url())


def download_attachment(request, pk):
    from django.http import FileResponse

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=attachment.kind != "photo",
                        filename=attachment.file.name.rsplit("/", 1)[-1])


def _with_place_initial(view_class):
    class WithPlace(view_class):
        def get_initial(self):
            initial = super().get_initial()
            if "place" in self.request.GET:
                initial["place"] = self.request.GET["place"]
            return initial

    WithPlace.__name__ = view_class.__name__
    return WithPlace


DEFENCE_VIEWS[2] = _with_place_initial(DEFENCE_VIEWS[2])
STOCK_VIEWS[2] = _with_place_initial(STOCK_VIEWS[2])
