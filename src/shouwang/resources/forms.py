"""Forms of resources: records (catalogue, stores, equipment, points, vehicles, assembly points)
and the actions on them (receive, issue, transfer, write off, count; issue and return equipment;
call out and check in; check, open and close a point)."""

import uuid
from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Person, Team

from .choices import CallOutKind, Condition, Purpose
from .models import (
    AssemblyPoint,
    Equipment,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointOpening,
    PointVehicle,
    Store,
    SupplyItem,
)
from .querysets import bucket_of
from .services import dispatch_key

DT_FORMAT = "%Y-%m-%dT%H:%M"


def dt_widget(**attrs):
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DT_FORMAT)


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def client_id_field():
    return forms.UUIDField(required=False, widget=forms.HiddenInput)


class ClientIdMixin:
    """A hidden client id made when the form is drawn: a resubmitted form is the first submission."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "client_id" in self.fields and not self.is_bound:
            self.fields["client_id"].initial = uuid.uuid4()


# --- records ------------------------------------------------------------------------------------

class SupplyItemForm(ScopedModelForm):
    class Meta:
        model = SupplyItem
        fields = ["jurisdiction", "code", "name", "category", "unit", "specification", "shelf_life_days", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class StoreForm(ScopedModelForm):
    class Meta:
        model = Store
        fields = ["jurisdiction", "name", "address", "lat", "lon", "keeper", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keeper"].required = True


class EquipmentForm(ScopedModelForm):
    class Meta:
        model = Equipment
        fields = ["jurisdiction", "kind", "name", "serial_number", "store", "condition", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class EvacuationPointForm(ScopedModelForm):
    class Meta:
        model = EvacuationPoint
        fields = ["jurisdiction", "kind", "name", "grade", "address", "lat", "lon", "capacity", "area_m2", "radius_m",
                  "facilities", "responsible", "notes"]
        widgets = {"facilities": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].required = True


class PointVehicleForm(forms.ModelForm):
    class Meta:
        model = PointVehicle
        fields = ["kind", "count", "plates", "contact"]


class AssemblyPointForm(ScopedModelForm):
    class Meta:
        model = AssemblyPoint
        fields = ["name", "address", "lat", "lon", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


# --- supplies -----------------------------------------------------------------------------------

class ReceiveForm(ClientIdMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("supply item"), queryset=SupplyItem.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    lot_number = forms.CharField(label=_("lot number"), max_length=60, required=False)
    received_on = forms.DateField(label=_("received on"), required=False, widget=date_widget())
    expires_on = forms.DateField(label=_("expires on"), required=False, widget=date_widget(),
                                 help_text=_("Left empty: the received date plus the item's shelf life."))
    description = forms.CharField(label=_("description"), required=False, max_length=500)
    client_id = client_id_field()

    def __init__(self, *args, store=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = SupplyItem.objects.restrict(user, "view").order_by("category", "name")

    def clean(self):
        data = super().clean()
        item, received = data.get("item"), data.get("received_on") or timezone.localdate()
        if item is not None and not data.get("expires_on") and item.shelf_life_days:
            data["expires_on"] = received + timedelta(days=item.shelf_life_days)
        return data


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lot):
        text = f"{lot} · {_('left')} {lot.quantity.normalize():f} {lot.item.unit}"
        if lot.expires_on and lot.expires_on < timezone.localdate():
            text += f" · {_('expired')}"
        return text


class IssueForm(ClientIdMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("supply item"), queryset=SupplyItem.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    lot = LotChoiceField(label=_("lot"), queryset=Lot.objects.none(), required=False,
                         empty_label=_("earliest expiry first (proposed)"))
    recipient = forms.CharField(label=_("issued to"), max_length=120, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False,
                             help_text=_("Needed when an expired lot is issued."))
    description = forms.CharField(label=_("description"), required=False, max_length=500)
    client_id = client_id_field()

    def __init__(self, *args, store=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        lots = Lot.objects.filter(store=store).in_stock().select_related("item").picking_order()
        self.fields["lot"].queryset = lots
        self.fields["item"].queryset = SupplyItem.objects.filter(pk__in=lots.values("item")).order_by("name")

    def clean(self):
        data = super().clean()
        lot, item = data.get("lot"), data.get("item")
        if lot is not None and item is not None and lot.item_id != item.pk:
            self.add_error("lot", _("Choose a lot of this item."))
        return data


class TransferForm(ClientIdMixin, forms.Form):
    lot = LotChoiceField(label=_("lot"), queryset=Lot.objects.none())
    to_store = forms.ModelChoiceField(label=_("to store"), queryset=Store.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    description = forms.CharField(label=_("description"), required=False, max_length=500)
    client_id = client_id_field()

    def __init__(self, *args, store=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = Lot.objects.filter(store=store).in_stock().select_related("item").picking_order()
        self.fields["to_store"].queryset = Store.objects.restrict(user, "change").order_by("name")


class WriteOffForm(ClientIdMixin, forms.Form):
    lot = LotChoiceField(label=_("lot"), queryset=Lot.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    reason = forms.CharField(label=_("reason"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, max_length=500)
    client_id = client_id_field()

    def __init__(self, *args, store=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = Lot.objects.filter(store=store).in_stock().select_related("item").picking_order()


class StockTakeForm(forms.Form):
    """One field per lot of the store (in stock, or empty but recent), holding the count."""

    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, store=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.lots = list(Lot.objects.filter(store=store).in_stock().select_related("item").picking_order())
        for lot in self.lots:
            lot.bucket = bucket_of(lot.expires_on, today)
            self.fields[f"lot_{lot.pk}"] = forms.DecimalField(
                label=str(lot), max_digits=14, decimal_places=3, min_value=0, initial=lot.quantity.normalize(),
                help_text=_("book: %(quantity)s %(unit)s") % {"quantity": f"{lot.quantity.normalize():f}",
                                                               "unit": lot.item.unit})

    def counts(self):
        return {lot: self.cleaned_data[f"lot_{lot.pk}"] for lot in self.lots
                if self.cleaned_data.get(f"lot_{lot.pk}") is not None}

    def rows(self):
        return [(lot, self[f"lot_{lot.pk}"]) for lot in self.lots]


# --- equipment ----------------------------------------------------------------------------------

class IssueEquipmentForm(ClientIdMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("issued to (person)"), queryset=Person.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("issued to (team)"), queryset=Team.objects.none(), required=False)
    purpose = forms.ChoiceField(label=_("purpose"), choices=Purpose.choices)
    due_back_at = forms.DateTimeField(label=_("due back"), widget=dt_widget())
    note = forms.CharField(label=_("note"), required=False, max_length=500)
    client_id = client_id_field()

    def __init__(self, *args, equipment=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.restrict(user, "view").filter(active=True).order_by("name")
        self.fields["team"].queryset = Team.objects.restrict(user, "view").order_by("name")
        if not self.is_bound:
            self.fields["due_back_at"].initial = (timezone.localtime() + timedelta(hours=8)).replace(
                minute=0, second=0, microsecond=0).strftime(DT_FORMAT)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("team"):
            self.add_error("person", _("Issue it to a person or a team."))
        due = data.get("due_back_at")
        if due is not None and due <= timezone.now():
            self.add_error("due_back_at", _("It must be due back in the future."))
        return data


class ReturnEquipmentForm(forms.Form):
    condition = forms.ChoiceField(label=_("condition on return"), choices=Condition.choices, initial=Condition.GOOD)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class CheckEquipmentForm(forms.Form):
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices, initial=Condition.GOOD)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class EquipmentNoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, max_length=500)


# --- the reserve team ---------------------------------------------------------------------------

class CallOutForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CallOutKind.choices, initial=CallOutKind.TEST)
    message = forms.CharField(label=_("message"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Left empty: “assemble at the assembly point now”."))
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["client_uuid"].initial = uuid.uuid4()


class CheckInForm(forms.Form):
    persons = forms.ModelMultipleChoiceField(label=_("members arrived"), queryset=Person.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    at = forms.DateTimeField(label=_("arrived at"), required=False, widget=dt_widget(),
                             help_text=_("Left empty: now."))

    def __init__(self, *args, callout=None, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = callout.answers.filter(arrived_at__isnull=True).values("person")
        self.fields["persons"].queryset = Person.objects.filter(pk__in=waiting).order_by("name", "pk")


# --- points -------------------------------------------------------------------------------------

class PointCheckForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("result"), choices=[("1", _("passed")), ("0", _("failed"))],
                                    coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1")
    findings = forms.CharField(label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    checked_on = forms.DateField(label=_("checked on"), required=False, widget=date_widget())


class OpenPointForm(forms.Form):
    occupancy = forms.IntegerField(label=_("people there"), min_value=0, max_value=200000, initial=0)
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class OccupancyForm(forms.Form):
    occupancy = forms.IntegerField(label=_("people there"), min_value=0, max_value=200000)


# --- import -------------------------------------------------------------------------------------

class ImportForm(forms.Form):
    file = forms.FileField(label=_("supplies ledger (.xlsx)"))
    store = forms.ModelChoiceField(label=_("store for rows that name none"), queryset=Store.objects.none(),
                                   required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = Store.objects.restrict(user, "change").order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        return upload



# --- using resources for a record (an incident: the incident page's actions) --------------------

class UseSuppliesForm(ClientIdMixin, forms.Form):
    title = _("Issue supplies")
    store = forms.ModelChoiceField(label=_("store"), queryset=Store.objects.none())
    item = forms.ModelChoiceField(label=_("supply item"), queryset=SupplyItem.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=14, decimal_places=3, min_value=0)
    recipient = forms.CharField(label=_("issued to"), max_length=120, required=False)
    client_id = client_id_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        stores = Store.objects.restrict(user, "change")
        self.fields["store"].queryset = stores.order_by("name")
        in_stock = Lot.objects.filter(store__in=stores, quantity__gt=0).values("item")
        self.fields["item"].queryset = SupplyItem.objects.filter(pk__in=in_stock).order_by("category", "name")


class AvailableEquipmentField(forms.ModelChoiceField):
    def label_from_instance(self, equipment):
        named = equipment.name and equipment.name != equipment.get_kind_display()
        return f"{equipment}" + (f" · {equipment.name}" if named else "") + (
            f" · {equipment.store.name}" if equipment.store_id else "")


class AvailableEquipmentPieces(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, equipment):
        return AvailableEquipmentField.label_from_instance(self, equipment)


class DispatchEquipmentForm(IssueEquipmentForm):
    title = _("Dispatch equipment")
    equipment = AvailableEquipmentPieces(label=_("equipment"), queryset=Equipment.objects.none(),
                                         help_text=_("Tick every piece that goes out."))
    field_order = ["equipment", "person", "team", "due_back_at", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # a resubmitted dispatch names pieces now out under its own key: they stay choosable, and are replayed
        sent = self._sent_before(user)
        self.fields["equipment"].queryset = (Equipment.objects.restrict(user, "change")
                                             .filter(Q(state="available") | Q(pk__in=sent))
                                             .select_related("store").order_by("kind", "serial_number"))
        self.fields["purpose"].initial = Purpose.INCIDENT
        self.fields["purpose"].widget = forms.HiddenInput()


    def _sent_before(self, user):
        if not self.is_bound:
            return []
        try:
            client_id = uuid.UUID(str(self.data.get("client_id")))
        except ValueError:
            return []
        keys = [dispatch_key(client_id, pk) for pk in self.data.getlist("equipment") if str(pk).isdigit()]
        return list(EquipmentIssue.objects.filter(client_uuid__in=keys, issued_by=user, returned_at__isnull=True)
                    .values_list("equipment_id", flat=True))


class CallOutTeamForm(forms.Form):
    title = _("Call out the reserve team")
    team = forms.ModelChoiceField(label=_("reserve team"), queryset=Team.objects.none())
    message = forms.CharField(label=_("message"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Left empty: “assemble at the assembly point now”."))
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.restrict(user, "view").filter(kind="reserve").order_by("name")
        if not self.is_bound:
            self.fields["client_uuid"].initial = uuid.uuid4()


class UsePointForm(OpenPointForm):
    title = _("Open an evacuation or diversion point")
    point = forms.ModelChoiceField(label=_("point"), queryset=EvacuationPoint.objects.none())
    field_order = ["point", "occupancy", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = (EvacuationPoint.objects.restrict(user, "change")
                                         .exclude(pk__in=PointOpening.objects.filter(closed_at__isnull=True)
                                                  .values("point"))
                                         .order_by("kind", "name"))
        self.fields["note"].help_text = _("Needed when the point's last check failed.")
