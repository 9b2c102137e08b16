import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core import demo as core_demo
from shouwang.core.models import Jurisdiction, Team, Unit
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.patrols import demo
from shouwang.patrols.models import CheckIn, Checkpoint
from shouwang.patrols.queries import coverage
from shouwang.policies import demo as policies_demo
from shouwang.registers.models import KeyPlace

PLACES = {"望川中学": "school", "柳岸小学": "school", "地铁明湖站": "transport_stop", "枫林110千伏变电站": "power"}
KINDS = {"school": "unit", "power": "unit", "transport_stop": "site"}


def _key_places():
    """The registers demo's key places when it is there; otherwise the same places made here."""
    try:
        importlib.import_module("shouwang.registers.demo").load(out=lambda *_: None)
    except ImportError:
        pass
    for name, category in PLACES.items():
        if not KeyPlace.objects.filter(name__contains=name).exists():
            unit = Unit.objects.get(name=name)
            KeyPlace.objects.create(jurisdiction=unit.jurisdiction, name=name, kind=KINDS[category], category=category,
                                    unit=unit, lat=unit.lat, lon=unit.lon)


def test_demo_patrols_cover_the_schools_station_and_substation(db):
    core_demo.load(out=lambda *_: None)
    policies_demo.load(out=lambda *_: None)
    _key_places()
    assert demo.load(out=lambda *_: None) is True
    counts = (Team.objects.count(), Checkpoint.objects.count(), CheckIn.objects.count())
    assert demo.load(out=lambda *_: None) is False
    assert counts == (Team.objects.count(), Checkpoint.objects.count(), CheckIn.objects.count())

    assert CheckIn.objects.filter(status="flagged").count() == 1
    states = [ob.state_at() for ob in Obligation.objects.filter(kind="patrols.checkin")]
    assert states.count(State.MISSED) >= 2 and states.count(State.MET_LATE) == 1 and states.count(State.MET) > 20
    assert Checkpoint.objects.filter(key_place__name__contains="望川中学").exists()

    street = Jurisdiction.objects.get(code="QL-WC")
    result = coverage(street)
    few = {p.name for p, _n in result.few_routes}
    assert any("望川中学" in n for n in few) and any("地铁明湖站" in n for n in few)
    assert any("枫林110千伏变电站" in n for n in few)
    assert not any("柳岸小学" in n for n in few)  # on the school route and the day route
    assert not any("枫林110千伏变电站" in p.name for p in result.no_night)  # the night route covers it


_CST = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("loaded_at", [datetime(2026, 12, 5, 12, 17, tzinfo=_CST), datetime(2026, 12, 7, 8, 40, tzinfo=_CST),
                                       datetime(2026, 12, 3, 18, 5, tzinfo=_CST),
                                       datetime(2026, 12, 8, 7, 15, 47, tzinfo=_CST)],
                         ids=["saturday-noon", "monday-rush", "thursday-evening", "tuesday-a-minute-after-the-gate"])
def test_demo_check_ins_meet_the_windows_they_were_made_for_whenever_loaded(db, loaded_at):
    """A check-in of the demo week lands on its own window, even where two windows of a point overlap
    (the roving windows are laid round the load time and can cross the rush-hour ones)."""
    with time_machine.travel(loaded_at, tick=False):
        core_demo.load(out=lambda *_: None)
        policies_demo.load(out=lambda *_: None)
        _key_places()
        demo.load(out=lambda *_: None)
        states = [ob.state_at() for ob in Obligation.objects.filter(kind="patrols.checkin")]
        today = Obligation.objects.filter(kind="patrols.checkin", window_start__date=loaded_at.date())
        roving_1 = [ob.state_at() for ob in today if "流动巡逻（一）" in ob.title]
    assert states.count(State.MET_LATE) == 1
    assert roving_1 and set(roving_1) == {State.MET}
    assert CheckIn.objects.filter(obligation__isnull=True).count() == 0
