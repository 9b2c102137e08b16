"""Scope and change-log contracts of every resources record (both databases): the catalogue,
stores, equipment, assembly points, points and their vehicles in full (pages and API); lots read
in scope and written only by the ledger; the ledger, stock-takes, equipment issues and log,
call-outs and their answers, point checks and openings as evidence (scoped, in the change log,
never edited nor deleted)."""

from datetime import timedelta

from django.utils import timezone

from shouwang.core.choices import PersonKind, TeamKind
from shouwang.core.models import Person, Team
from shouwang.resources import services
from shouwang.resources.models import (
    AssemblyPoint,
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentEvent,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointCheck,
    PointOpening,
    PointVehicle,
    StockMovement,
    StockTake,
    Store,
    SupplyItem,
)
from tests.crud import (
    ApiContract,
    ApiDetail,
    ApiList,
    EvidenceContract,
    PageContract,
    PageDetail,
    PageList,
)


def _person(node, name="保管员"):
    return Person.objects.get_or_create(jurisdiction=node, name=f"{node.name}{name}",
                                        defaults={"kind": PersonKind.STAFF})[0]


def _store(node):
    return Store.objects.get_or_create(jurisdiction=node, name=f"{node.name}储备点",
                                       defaults={"keeper": _person(node)})[0]


def _item(org):
    return SupplyItem.objects.get_or_create(jurisdiction=org.street, name="棉被",
                                            defaults={"category": "daily", "unit": "床", "code": "blanket"})[0]


def _receipt(org, node):
    return services.receive(_store(node), _item(org), 5, by=org.user("admin"), lot_number=f"{node.code}-1",
                            expires_on=timezone.localdate() + timedelta(days=40))


def _equipment(node, serial="FC-1"):
    return Equipment.objects.get_or_create(jurisdiction=node, serial_number=f"{node.code}-{serial}",
                                           defaults={"kind": "radio", "name": "对讲机"})[0]


def _team(node):
    team, created = Team.objects.get_or_create(jurisdiction=node, name=f"{node.name}应急预备队",
                                               defaults={"kind": TeamKind.RESERVE})
    if created:
        team.members.set([_person(node, "队员")])
    return team


def _callout(org, node):
    team = _team(node)
    AssemblyPoint.objects.get_or_create(jurisdiction=node, team=team, defaults={"name": f"{node.name}集结点"})
    return services.call_out(team, by=org.user("admin"))


def _point(node):
    return EvacuationPoint.objects.get_or_create(
        jurisdiction=node, name=f"{node.name}分流点",
        defaults={"kind": "diversion", "address": "某路1号", "capacity": 300, "responsible": _person(node)})[0]


class NotWritten:
    """Read-only in the API: no create, edit or delete, whatever the role."""

    def test_no_writes_through_the_api(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json").status_code == 405
        assert self.model.objects.filter(pk=obj.pk).exists()


class ShownByLink:
    def shown_as(self, obj):
        return obj.get_absolute_url()


# --- records in full ------------------------------------------------------------------------------

class TestSupplyItem(PageContract, ApiContract):
    model = SupplyItem
    url_base = "resources:supplyitem"
    api_path = "/api/resources/items/"

    def make(self, org, node):
        return SupplyItem.objects.create(jurisdiction=node, name=f"{node.name}雨衣", category="protective", unit="件")

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "强光手电", "code": "torch", "category": "lighting", "unit": "支"}

    payload = form_data


class TestStore(PageContract, ApiContract):
    model = Store
    url_base = "resources:store"
    api_path = "/api/resources/stores/"
    list_max_queries = 20

    def make(self, org, node):
        return Store.objects.create(jurisdiction=node, name=f"{node.name}储备库", keeper=_person(node))

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "新储备点", "keeper": _person(node).pk, "address": "某路3号"}

    payload = form_data


class TestEquipment(PageContract, ApiContract):
    model = Equipment
    url_base = "resources:equipment"
    api_path = "/api/resources/equipment/"

    def make(self, org, node):
        return Equipment.objects.create(jurisdiction=node, kind="helmet", name=f"{node.name}头盔",
                                        serial_number=f"{node.code}-H1")

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "kind": "shield", "name": "防暴盾牌", "serial_number": "S-9", "condition": "good"}

    payload = form_data

    def shown_as(self, obj):
        return obj.serial_number


class TestEvacuationPoint(PageContract, ApiContract):
    model = EvacuationPoint
    url_base = "resources:evacuationpoint"
    api_path = "/api/resources/points/"

    def make(self, org, node):
        return _point(node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "kind": "evacuation", "name": "小学操场疏散点", "address": "某路5号",
                "capacity": 800, "responsible": _person(node).pk}

    payload = form_data


class TestAssemblyPoint(ApiContract):
    model = AssemblyPoint
    api_path = "/api/resources/assembly-points/"

    def make(self, org, node):
        return AssemblyPoint.objects.create(jurisdiction=node, team=_team(node), name=f"{node.name}广场")

    def payload(self, org, node):
        team = Team.objects.create(jurisdiction=node, name=f"{node.name}第二预备队", kind=TeamKind.RESERVE)
        return {"jurisdiction": node.pk, "team": team.pk, "name": "文化站门前"}


class TestPointVehicle(ApiContract):
    model = PointVehicle
    api_path = "/api/resources/vehicles/"
    edit_field = "plates"
    edit_value = "沪D·A0001"

    def make(self, org, node):
        return PointVehicle.objects.create(jurisdiction=node, point=_point(node), kind="bus", count=2,
                                           plates=f"{node.code}牌")

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "point": _point(node).pk, "kind": "van", "count": 1, "plates": "沪D·B1"}

    def test_create_bad_input_is_400_per_field(self, api, org):
        payload = self.payload(org, org.c1) | {"count": 0}
        response = api(org.user(self.writer)).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and "count" in response.json()


# --- read in scope, written by the ledger -----------------------------------------------------------

class TestLot(ApiList, ApiDetail, NotWritten):
    model = Lot
    api_path = "/api/resources/lots/"

    def make(self, org, node):
        return _receipt(org, node).lot

    def test_the_api_says_how_near_expiry(self, api, org, records):
        row = api(org.user("office1")).get(f"{self.api_path}{records['mine'].pk}/").json()
        assert row["expiry"] == "60" and row["quantity"] == "5.000" and row["unit"] == "床"


# --- evidence -------------------------------------------------------------------------------------

class TestStockMovement(ShownByLink, EvidenceContract, PageList, PageDetail):
    model = StockMovement
    api_path = "/api/resources/movements/"
    url_base = "resources:stockmovement"

    def make(self, org, node):
        return _receipt(org, node)


class TestStockTake(EvidenceContract):
    model = StockTake
    api_path = "/api/resources/stocktakes/"

    def make(self, org, node):
        lot = _receipt(org, node).lot
        return services.stocktake(lot.store, {lot: 4}, by=org.user("admin"))


class TestEquipmentIssue(EvidenceContract):
    model = EquipmentIssue
    api_path = "/api/resources/equipment-issues/"

    def make(self, org, node):
        return services.issue_equipment(_equipment(node), by=org.user("admin"), person=_person(node),
                                        purpose="patrol", due_back_at=timezone.now() + timedelta(hours=4))


class TestEquipmentEvent(EvidenceContract):
    model = EquipmentEvent
    api_path = "/api/resources/equipment-log/"

    def make(self, org, node):
        equipment = _equipment(node, "C1")
        services.check_equipment(equipment, by=org.user("admin"), condition="good")
        return equipment.events.get()


class TestCallOut(ShownByLink, EvidenceContract, PageList, PageDetail):
    model = CallOut
    api_path = "/api/resources/callouts/"
    url_base = "resources:callout"

    def make(self, org, node):
        return _callout(org, node)


class TestCallOutAnswer(EvidenceContract):
    model = CallOutAnswer
    api_path = "/api/resources/acknowledgements/"

    def make(self, org, node):
        return _callout(org, node).answers.get()


class TestPointCheck(EvidenceContract):
    model = PointCheck
    api_path = "/api/resources/point-checks/"

    def make(self, org, node):
        return services.check_point(_point(node), by=org.user("admin"), passed=True)


class TestPointOpening(ApiList, ApiDetail, NotWritten):
    model = PointOpening
    api_path = "/api/resources/openings/"

    def make(self, org, node):
        return services.open_point(_point(node), by=org.user("admin"), occupancy=20)

    def test_opening_is_in_the_change_log(self, records):
        from tests.crud import log_rows

        assert log_rows(records["mine"], "create").count() == 1
