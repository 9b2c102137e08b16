from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shouwang.core.choices import GroupKind, PersonKind
from shouwang.core.models import Group, Membership, Person
from shouwang.obligations import services
from shouwang.policies.services import assign, load_presets

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=TZ)  # opens 06:00, due 09:00 (a morning report)
DUE = T0 + timedelta(hours=3)


@pytest.fixture
def people(org):
    """grid1 answers for C1's morning report; the street has a leading-group office with one member."""
    grid1 = Person.objects.create(jurisdiction=org.c1, name="网格员甲", kind=PersonKind.GRID_WORKER,
                                  user=org.user("grid1"), email="grid1@example.org")
    director = Person.objects.create(jurisdiction=org.street, name="办公室主任", user=org.user("leader"))
    office = Group.objects.create(jurisdiction=org.street, name="综治办", kind=GroupKind.OFFICE)
    Membership.objects.create(group=office, person=director)
    return {"grid1": grid1, "director": director, "office": office}


@pytest.fixture
def policy_d(org):
    """Preset D on the street: remind 30 min before, supervisors on miss, office after 60 min."""
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-prevention-plan-d"])
    return presets["street-prevention-plan-d"]


@pytest.fixture
def make_obligation(org, people):
    def _make(key="morning", node=None, person="grid1", **kw):
        fields = {"kind": "briefing.daily_report", "title": "一社区晨报", "jurisdiction": node or org.c1,
                  "opens_at": T0, "due_at": DUE, "key": key,
                  "responsible_person": people[person] if person else None, **kw}
        return services.open_obligation(**fields)

    return _make


@pytest.fixture(autouse=True)
def _webhook_targets(settings):
    """The tests' receivers run on 127.0.0.1 and example.org stands for a public platform: both
    allowed here, as an administrator would list them (no DNS needed in the suite)."""
    settings.WEBHOOK_ALLOW = ["127.0.0.0/8", "example.org"]
