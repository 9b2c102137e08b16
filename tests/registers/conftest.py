import pytest

from shouwang.registers.models import Defence, HazardousStock, KeyPlace


@pytest.fixture
def place_factory(org):
    def make(node=None, name="一社区加油站", category="petroleum", kind="unit", **kwargs):
        kwargs.setdefault("lat", 31.23)
        kwargs.setdefault("lon", 121.47)
        return KeyPlace.objects.create(jurisdiction=node or org.c1, name=name, kind=kind, category=category, **kwargs)

    return make


@pytest.fixture
def place(place_factory):
    return place_factory()


@pytest.fixture
def defence(place):
    return Defence.objects.create(jurisdiction=place.jurisdiction, place=place, name="视频监控", kind="technical",
                                  type="cctv", cctv_count=8, coverage_percent=90)


@pytest.fixture
def stock(place):
    return HazardousStock.objects.create(jurisdiction=place.jurisdiction, place=place, substance="92号汽油",
                                         hazard_class="3", quantity=10, unit_of_measure="t")
