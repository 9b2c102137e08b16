"""Pages of the registers: key places, defences, hazardous stock, and their actions."""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.models import Jurisdiction
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)
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


class KeyPlacePages:
    model = KeyPlace
    url_base = "registers:keyplace"
    form_class = KeyPlaceForm
    select_related = ["jurisdiction", "responsible_unit"]


class KeyPlaceListView(KeyPlacePages, ObjectListView):
    template_name = "registers/keyplace_list.html"
    filterset_class = KeyPlaceFilterSet
    columns = ["name", "kind", "category", "jurisdiction", "responsible_unit", "review_period_days", "last_reviewed_at"]


class KeyPlaceDetailView(KeyPlacePages, ObjectDetailView):
    template_name = "registers/keyplace_detail.html"
    fields = ["name", "kind", "category", "jurisdiction", "unit", "address", "lat", "lon", "responsible_unit",
              "responsible_person", "protective_forces", "special_precautions", "review_period_days",
              "last_reviewed_at"]

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


class KeyPlaceCreateView(KeyPlacePages, ObjectCreateView):
    def get_initial(self):
        """The review period the node's policy asks for, when the page is opened from a node."""
        initial = super().get_initial()
        node = self.request.GET.get("jurisdiction", "")
        node = Jurisdiction.objects.restrict(self.request.user, "view").filter(pk=node).first() \
            if node.isdigit() else None
        if node is not None:
            initial["review_period_days"] = services.policy_period(node, "keyplace_days")[0]
        return initial


class KeyPlaceUpdateView(KeyPlacePages, ObjectUpdateView):
    pass


class KeyPlaceDeleteView(KeyPlacePages, ObjectDeleteView):
    pass


def _obligations(subject):
    rows = list(Obligation.objects.for_subject(subject).with_state().order_by("-due_at")[:10])
    for o in rows:
        o.state_label = State(o.state_db).label
    return rows


class PlaceInitialMixin:
    """Opened from a key place's page: the place is filled in."""

    def get_initial(self):
        initial = super().get_initial()
        if "place" in self.request.GET:
            initial["place"] = self.request.GET["place"]
        return initial


class DefencePages:
    model = Defence
    url_base = "registers:defence"
    form_class = DefenceForm
    select_related = ["jurisdiction", "place"]


class DefenceListView(DefencePages, ObjectListView):
    filterset_class = DefenceFilterSet
    columns = ["name", "place", "kind", "type", "state", "last_checked_on", "jurisdiction"]


class DefenceDetailView(DefencePages, ObjectDetailView):
    template_name = "registers/defence_detail.html"
    fields = ["name", "place", "kind", "type", "cctv_count", "coverage_percent", "guard_count", "state",
              "last_checked_on", "check_period_days", "notes", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["check_form"] = DefenceCheckForm(initial={"state": self.object.state, "on": timezone.localdate()})
        ctx["obligations"] = _obligations(self.object)
        return ctx


class DefenceCreateView(DefencePages, PlaceInitialMixin, ObjectCreateView):
    pass


class DefenceUpdateView(DefencePages, ObjectUpdateView):
    pass


class DefenceDeleteView(DefencePages, ObjectDeleteView):
    pass


class StockPages:
    model = HazardousStock
    url_base = "registers:hazardousstock"
    form_class = HazardousStockForm
    select_related = ["jurisdiction", "place", "keeper"]


class StockListView(StockPages, ObjectListView):
    filterset_class = HazardousStockFilterSet
    columns = ["substance", "place", "hazard_class", "quantity", "unit_of_measure", "keeper", "last_checked_on"]


class StockDetailView(StockPages, ObjectDetailView):
    template_name = "registers/hazardousstock_detail.html"
    fields = ["substance", "place", "hazard_class", "quantity", "unit_of_measure", "storage_place", "keeper",
              "last_checked_on", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["movements"] = self.object.movements.select_related("recorded_by")[:50]
        ctx["movement_form"] = kwargs.get("movement_form") or MovementForm()
        return ctx


class StockCreateView(StockPages, PlaceInitialMixin, ObjectCreateView):
    pass


class StockUpdateView(StockPages, ObjectUpdateView):
    pass


class StockDeleteView(StockPages, ObjectDeleteView):
    pass


class RegisterAction(ObjectActionView):
    """Actions on a register record need the right to change it."""

    forbidden_message = gettext_lazy("You may view this record but not change it.")


class ReviewPlaceView(RegisterAction):
    model = KeyPlace

    def perform(self, place, form):
        services.review_place(place, by=self.request.user, note=self.request.POST.get("note", ""))

    def get_success_message(self, place, result):
        return _("Review recorded; the next one is due in %(days)s days.") % {"days": place.review_period_days}


class SetColourView(RegisterAction):
    model = KeyPlace
    form_class = ColourForm

    def perform(self, place, form):
        services.set_colour(place, colour=form.cleaned_data["colour"], reason=form.cleaned_data["reason"],
                            by=self.request.user)

    def get_success_message(self, place, result):
        return _("Colour of %(place)s set.") % {"place": place.name}


class CheckDefenceView(RegisterAction):
    model = Defence
    form_class = DefenceCheckForm
    success_message = gettext_lazy("Check recorded.")

    def perform(self, defence, form):
        services.check_defence(defence, state=form.cleaned_data["state"], on=form.cleaned_data["on"],
                               notes=form.cleaned_data["notes"], by=self.request.user)


class AddMovementView(RegisterAction):
    model = HazardousStock
    form_class = MovementForm
    success_message = gettext_lazy("Movement recorded.")

    def perform(self, stock, form):
        services.record_movement(stock, kind=form.cleaned_data["kind"], quantity=form.cleaned_data["quantity"],
                                 description=form.cleaned_data["description"], by=self.request.user)


class AddAttachmentView(RegisterAction):
    model = KeyPlace
    form_class = AttachmentForm
    success_message = gettext_lazy("Attachment added.")

    def get_form_kwargs(self, place):
        return {"instance": Attachment(place=place, jurisdiction=place.jurisdiction)}

    def perform(self, place, form):
        attachment = form.save(commit=False)
        attachment.size = attachment.file.size
        attachment.save()


def download_attachment(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=attachment.kind != "photo",
                        filename=attachment.file.name.rsplit("/", 1)[-1])
