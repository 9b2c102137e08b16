"""The duty demo on a fresh database, through the services: the street's month with a leader on duty
every day, the full-time patrol team on four teams three shifts, a 3-day enhanced posture with one
shortfall, one swap refused for rest; loaded at the end of a month too; a second run adds nothing."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from shouwang.core.models import ChangeLogEntry, Jurisdiction
from shouwang.duty import demo, queries, rosters
from shouwang.duty.choices import Post, SwapState
from shouwang.duty.models import Assignment, Posture, Roster, SwapRequest

from .conftest import CN


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _counts():
    return (Roster.objects.count(), Assignment.objects.count(), Posture.objects.count(), SwapRequest.objects.count(),
            ChangeLogEntry.objects.count())


@pytest.mark.parametrize("moment", [datetime(2026, 12, 7, 19, 30, tzinfo=CN), datetime(2026, 12, 30, 8, 0, tzinfo=CN)])
def test_the_demo_has_its_duties_and_a_second_run_adds_nothing(db, moment):
    with time_machine.travel(moment, tick=False):
        call_command("load_demo")
        today = timezone.localdate()
        street = Jurisdiction.objects.get(code="QL-WC")
        duty = Roster.objects.get(name=demo.STREET_ROSTER)
        rota = Roster.objects.get(name=demo.PATROL_ROSTER)
        assert all(r.is_published for r in Roster.objects.all()) and Roster.objects.filter(schools=None).count() == 4  # besides the schools' gate rosters
        assert duty.starts_on == today.replace(day=1) and duty.ends_on >= today + timedelta(days=29)
        leaders = Assignment.objects.filter(roster=duty, post=Post.LEADER)
        assert sorted({a.day for a in leaders}) == [duty.starts_on + timedelta(days=d) for d in range(duty.days)]
        assert rosters.check(duty)["ok"] and rosters.check(rota)["ok"]
        assert rota.team.kind == "full_time" and rota.members.count() == 12
        # the demo's patrol member finds his duties: six of every eight days
        mine = Assignment.objects.filter(roster=rota, person__user__username="patrol", day__gte=today,
                                         day__lt=today + timedelta(days=8))
        assert mine.count() == 6
        assert {a.shift for a in Assignment.objects.filter(roster=rota, day=today)} == {"early", "middle", "night"}
        posture = Posture.objects.get()
        assert posture.level == "enhanced" and posture.ends_at - posture.starts_at == timedelta(days=3)
        lacks = queries.shortfalls(queries.staffing_panel(street, today, 30))
        assert [(day, force) for day, force, *_rest in lacks] == [(today + timedelta(days=4), "平安志愿者")]
        swap = SwapRequest.objects.get()
        assert swap.state == SwapState.REFUSED and "两班之间最少休息" in swap.refusal
        counts = _counts()
        assert demo.load(out=lambda *_: None) is False
        call_command("load_demo")
        assert _counts() == counts
