import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.models import Person, Unit
from shouwang.policies.models import Policy
from shouwang.policies.services import assign, load_presets

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)


def at(hh, mm=0, day=DAY):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


@pytest.fixture
def reporting(org):
    """Preset B (morning 06:00–09:00, evening 15:00–18:00) on the street; a residents' committee per community."""
    with time_machine.travel(at(0, day=DAY - timedelta(days=30)), tick=False):  # policies in force well before DAY
        load_presets(out=lambda *_: None)
    assign(org.street, Policy.objects.get(code="community-patrol-measures-b"))
    committees = {}
    for key, node in (("c1", org.c1), ("c2", org.c2)):
        unit = Unit.objects.create(jurisdiction=node, name=f"{node.name}居委会", kind=UnitKind.RESIDENTS_COMMITTEE)
        unit.liaison = Person.objects.create(jurisdiction=node, name=f"{node.name}联络员", kind=PersonKind.CONTACT, unit=unit)
        unit.save()
        committees[key] = unit
    return committees


def report_fields(**kw):
    fields = {"situation": "辖区平稳", "police_on_duty": 1, "patrol_team_on_duty": 4, "volunteers_on_duty": 8,
              "events": "无", "problems": ""}
    fields.update(kw)
    return fields


# The demo loaded at a fixed moment: Tuesday 2026-11-24 10:30 in Shanghai.
DEMO_NOW = datetime(2026, 11, 24, 10, 30, tzinfo=TZ)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def demo(db, media):
    """The demo district, loaded with the clock at DEMO_NOW; the street."""
    from django.core.management import call_command

    from shouwang.core.models import Jurisdiction

    with time_machine.travel(DEMO_NOW, tick=False):
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Jurisdiction.objects.get(code="QL-WC")
