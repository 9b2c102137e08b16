"""Pages of supplies: the catalogue, the stores with their stock by lot (expiry colours, the
reserve standard), the ledger, a lot's rows, the stock card, and the store's actions (receive,
issue, transfer, write off, stock-take)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import queries, services
from ..filtersets import StockMovementFilterSet, StoreFilterSet, SupplyItemFilterSet
from ..forms import (
    IssueForm,
    ReceiveForm,
    StockTakeForm,
    StoreForm,
    SupplyItemForm,
    TransferForm,
    WriteOffForm,
)
from ..models import Lot, StockMovement, Store, SupplyItem
from ..querysets import bucket_of
from .base import RecordDetailView, RecordFormView

# --- catalogue ----------------------------------------------------------------------------------


class ItemPages:
    model = SupplyItem
    url_base = "resources:supplyitem"
    form_class = SupplyItemForm


class SupplyItemListView(ItemPages, ObjectListView):
    filterset_class = SupplyItemFilterSet
    columns = ["name", "code", "category", "unit", "specification", "shelf_life_days", "jurisdiction"]
    select_related = ["jurisdiction"]
    template_name = "resources/supplyitem_list.html"
    partial_template_name = "resources/supplyitem_table.html"  # cards on a phone, not a table to scroll sideways
    sort_columns = {
        "name": (gettext_lazy("name"), "name"),
        "category": (gettext_lazy("category"), "category"),
        "unit": (gettext_lazy("unit of measure"), "unit"),
        "shelf_life": (gettext_lazy("shelf life (days)"), "shelf_life_days"),
        "node": (gettext_lazy("node"), "jurisdiction__name"),
    }


class SupplyItemDetailView(ItemPages, ObjectDetailView):
    template_name = "resources/supplyitem_detail.html"
    fields = ["name", "code", "category", "unit", "specification", "shelf_life_days", "jurisdiction", "notes"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        stores = (Lot.objects.restrict(self.request.user, "view").filter(item=self.object).in_stock()
                  .values("store", "store__name").annotate(total=Sum("quantity"), lots=Count("pk"))
                  .order_by("store__name"))
        ctx["stores"] = [dict(row, total=queries.plain(row["total"])) for row in stores]
        return ctx


class SupplyItemCreateView(ItemPages, ObjectCreateView):
    pass


class SupplyItemUpdateView(ItemPages, ObjectUpdateView):
    pass


class SupplyItemDeleteView(ItemPages, ObjectDeleteView):
    pass


# --- stores -------------------------------------------------------------------------------------


class StorePages:
    model = Store
    url_base = "resources:store"
    form_class = StoreForm


class StoreListView(StorePages, ObjectListView):
    filterset_class = StoreFilterSet
    template_name = "resources/store_list.html"
    partial_template_name = "resources/store_table.html"
    select_related = ["jurisdiction", "keeper"]
    sort_columns = {
        "name": (gettext_lazy("name"), "name"),
        "node": (gettext_lazy("node"), "jurisdiction__path"),
        "stocktake": (gettext_lazy("last stock-take"), "last_stocktake_on"),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        stores = list(ctx["object_list"])
        short = {}
        for row in queries.shortfalls(stores, today):
            short.setdefault(row.store.pk, []).append(row)
        counts = {row["store"]: row for row in Lot.objects.filter(store__in=stores).in_stock().with_bucket(today)
                  .values("store").annotate(lots=Count("pk"), expired=Count("pk", filter=Q(bucket="expired")),
                                            soon=Count("pk", filter=Q(bucket="30")))}
        for store in stores:
            store.short = short.get(store.pk, [])
            store.counts = counts.get(store.pk, {"lots": 0, "expired": 0, "soon": 0})
        ctx["stores"] = stores
        return ctx


class StoreDetailView(StorePages, ObjectDetailView):
    template_name = "resources/store_detail.html"
    fields = ["name", "jurisdiction", "address", "keeper", "last_stocktake_on", "notes"]
    select_related = ["jurisdiction", "keeper"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        store, user = self.object, self.request.user
        ctx["stock"] = queries.store_stock(store)
        ctx["buckets"] = queries.bucket_counts(Lot.objects.filter(store=store))
        ctx["movements"] = (store.movements.select_related("item", "lot", "recorded_by__person", "cause_type")
                            .order_by("-at", "-pk")[:20])
        ctx["stocktakes"] = store.stocktakes.select_related("taken_by__person")[:5]
        ctx["may_move"] = can_at(user, "resources", "change", store.scope_path)
        ctx["equipment"] = store.equipment.count()
        return ctx


class StoreCreateView(StorePages, ObjectCreateView):
    pass


class StoreUpdateView(StorePages, ObjectUpdateView):
    pass


class StoreDeleteView(StorePages, ObjectDeleteView):
    pass


# --- the ledger ---------------------------------------------------------------------------------


class LedgerPages:
    model = StockMovement
    url_base = "resources:stockmovement"


class StockMovementListView(LedgerPages, ObjectListView):
    """The ledger: every movement in scope, newest first, with filters and the Excel export."""

    filterset_class = StockMovementFilterSet
    template_name = "resources/stockmovement_list.html"
    partial_template_name = "resources/stockmovement_table.html"
    select_related = ["item", "store", "lot", "recorded_by__person", "cause_type"]
    sort_columns = {
        "at": (gettext_lazy("time"), "at"),
        "item": (gettext_lazy("supply item"), "item__name"),
        "store": (gettext_lazy("store"), "store__name"),
    }

    def get_queryset(self):
        return super().get_queryset().prefetch_related("cause").order_by("-at", "-pk")


class StockMovementDetailView(LedgerPages, RecordDetailView):
    template_name = "resources/stockmovement_detail.html"
    fields = ["at", "kind", "item", "store", "lot", "quantity", "balance_after", "recipient", "reason", "description",
              "recorded_by", "stocktake"]
    select_related = ["item", "store", "lot", "recorded_by__person"]

class LotDetailView(RecordDetailView):
    """A lot and its rows of the ledger."""

    model = Lot
    url_base = "resources:lot"
    template_name = "resources/lot_detail.html"
    fields = ["item", "store", "lot_number", "expires_on", "received_on", "quantity"]
    select_related = ["item", "store"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["bucket"] = bucket_of(self.object.expires_on, timezone.localdate())
        ctx["movements"] = self.object.movements.select_related("recorded_by__person", "cause_type").order_by("at",
                                                                                                               "pk")
        ctx["list_url"] = self.object.store.get_absolute_url()
        return ctx


class StockCardView(ObjectDetailView):
    """The stock card of an item in one store: the running balance, movement by movement."""

    model = SupplyItem
    url_base = "resources:supplyitem"
    template_name = "resources/stock_card.html"

    def get_queryset(self):
        return SupplyItem.objects.restrict(self.request.user, "view")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        stores = Store.objects.restrict(self.request.user, "view").filter(lots__item=self.object).distinct()
        ctx["stores"] = stores.order_by("name")
        store = stores.filter(pk=_int(self.request.GET.get("store"))).first() or ctx["stores"].first()
        ctx["store"] = store
        if store is not None:
            ctx["opening"], ctx["rows"] = queries.stock_card(self.object, store)
        return ctx


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- a store's actions --------------------------------------------------------------------------


class StoreAction(RecordFormView):
    model = Store
    select_related = ("jurisdiction", "keeper")

    def form_context(self):
        return {"store": self.object, "user": self.request.user}


class ReceiveView(StoreAction):
    form_class = ReceiveForm
    title = gettext_lazy("Receive supplies")
    success_message = gettext_lazy("Received into the store.")

    def perform(self, store, form):
        d = form.cleaned_data
        return services.receive(store, d["item"], d["quantity"], by=self.request.user, lot_number=d["lot_number"],
                                expires_on=d.get("expires_on"), received_on=d.get("received_on"),
                                description=d["description"], client_id=d.get("client_id"))


class IssueView(StoreAction):
    form_class = IssueForm
    title = gettext_lazy("Issue supplies")
    template_name = "resources/issue_form.html"

    def get_initial(self):
        item = SupplyItem.objects.filter(pk=_int(self.request.GET.get("item"))).first()
        return {"item": item} if item else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        lots = list(ctx["form"].fields["lot"].queryset)
        for lot in lots:
            lot.bucket = bucket_of(lot.expires_on, today)
        ctx["lots"] = [lot for lot in lots if lot.bucket != "expired"]
        ctx["expired_lots"] = [lot for lot in lots if lot.bucket == "expired"]
        return ctx

    def perform(self, store, form):
        d = form.cleaned_data
        return services.issue(store, d["item"], d["quantity"], by=self.request.user, lot=d.get("lot"),
                              recipient=d["recipient"], reason=d["reason"], description=d["description"],
                              client_id=d.get("client_id"))

    def get_success_message(self, result):
        lots = "、".join(str(m.lot) for m in result)
        return _("Issued from %(lots)s.") % {"lots": lots}


class TransferView(StoreAction):
    form_class = TransferForm
    title = gettext_lazy("Transfer to another store")
    success_message = gettext_lazy("Transferred.")

    def perform(self, store, form):
        d = form.cleaned_data
        if d["lot"].store_id != store.pk:
            raise ValidationError({"lot": _("Choose a lot of this store.")})
        return services.transfer(d["lot"], d["to_store"], d["quantity"], by=self.request.user,
                                 description=d["description"], client_id=d.get("client_id"))


class WriteOffView(StoreAction):
    form_class = WriteOffForm
    title = gettext_lazy("Write off supplies")
    success_message = gettext_lazy("Written off.")

    def perform(self, store, form):
        d = form.cleaned_data
        return services.write_off(d["lot"], d["quantity"], reason=d["reason"], by=self.request.user,
                                  description=d["description"], client_id=d.get("client_id"))


class StockTakeView(StoreAction):
    form_class = StockTakeForm
    title = gettext_lazy("Stock-take")
    template_name = "resources/stocktake_form.html"

    def perform(self, store, form):
        return services.stocktake(store, form.counts(), by=self.request.user, note=form.cleaned_data["note"])

    def get_success_message(self, take):
        return _("Stock-take recorded: %(n)s lots counted, %(d)s differences entered in the ledger.") % {
            "n": take.lots_counted, "d": take.differences}


urlpatterns = [
    *crud_urls("items", "supplyitem", list=SupplyItemListView, detail=SupplyItemDetailView,
               create=SupplyItemCreateView, edit=SupplyItemUpdateView, delete=SupplyItemDeleteView),
    path("items/<int:pk>/card/", StockCardView.as_view(), name="stock_card"),
    *crud_urls("stores", "store", list=StoreListView, detail=StoreDetailView, create=StoreCreateView,
               edit=StoreUpdateView, delete=StoreDeleteView),
    path("stores/<int:pk>/receive/", ReceiveView.as_view(), name="receive"),
    path("stores/<int:pk>/issue/", IssueView.as_view(), name="issue"),
    path("stores/<int:pk>/transfer/", TransferView.as_view(), name="transfer"),
    path("stores/<int:pk>/write-off/", WriteOffView.as_view(), name="write_off"),
    path("stores/<int:pk>/stocktake/", StockTakeView.as_view(), name="stocktake"),
    path("lots/<int:pk>/", LotDetailView.as_view(), name="lot_detail"),
    *crud_urls("ledger", "stockmovement", list=StockMovementListView, detail=StockMovementDetailView),
]

