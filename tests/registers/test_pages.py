"""Standard page and API contracts for the registers' scoped models."""

from shouwang.registers.models import Defence, HazardousStock, KeyPlace
from tests.crud import ApiContract, PageContract


def _place(node, name=None):
    return KeyPlace.objects.get_or_create(
        jurisdiction=node, name=name or f"{node.name}加油站",
        defaults={"kind": "unit", "category": "petroleum", "lat": 31.2, "lon": 121.4},
    )[0]


class KeyPlaceContract:
    model = KeyPlace

    def make(self, org, node):
        return KeyPlace.objects.create(jurisdiction=node, name=f"{node.name}中学", kind="unit", category="school")

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": f"{node.name}农贸市场", "kind": "unit", "category": "market",
                "lat": "31.2", "lon": "121.4", "review_period_days": "30", "polygon": ""}

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": f"{node.name}广场", "kind": "area", "category": "square",
                "polygon": {"type": "Polygon", "coordinates": [[[121.4, 31.2], [121.41, 31.2], [121.41, 31.21],
                                                                [121.4, 31.2]]]}}


class TestKeyPlacePages(KeyPlaceContract, PageContract):
    url_base = "registers:keyplace"


class TestKeyPlaceApi(KeyPlaceContract, ApiContract):
    api_path = "/api/key-places/"


class DefenceContract:
    model = Defence

    def make(self, org, node):
        return Defence.objects.create(jurisdiction=node, place=_place(node), name=f"{node.name}监控", kind="technical",
                                      type="cctv", cctv_count=4)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "place": _place(node).pk, "name": "防撞护栏", "kind": "physical",
                "type": "barrier", "state": "working", "last_checked_on": "2026-01-05"}

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "place": _place(node).pk, "name": "保安", "kind": "staffed", "type": "guard",
                "guard_count": 2}


class TestDefencePages(DefenceContract, PageContract):
    url_base = "registers:defence"


class TestDefenceApi(DefenceContract, ApiContract):
    api_path = "/api/defences/"


class StockContract:
    model = HazardousStock
    edit_field = "substance"
    edit_value = "改过的品名"

    def make(self, org, node):
        return HazardousStock.objects.create(jurisdiction=node, place=_place(node), substance=f"{node.name}汽油",
                                             hazard_class="3", quantity=5)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "place": _place(node).pk, "substance": "液化石油气", "hazard_class": "2",
                "quantity": "3", "unit_of_measure": "t"}

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "place": _place(node).pk, "substance": "柴油", "hazard_class": "3",
                "quantity": "4.5", "unit_of_measure": "t"}


class TestStockPages(StockContract, PageContract):
    url_base = "registers:hazardousstock"


class TestStockApi(StockContract, ApiContract):
    api_path = "/api/hazardous-stock/"
