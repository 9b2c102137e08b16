"""The briefings demo builds through the services on a fresh database: yesterday's daily briefing
issued with its Word document, a 3-day draft, today's consultation and its decisions, the wall
screen, the rollups brought up to date; a second run adds nothing."""

from datetime import timedelta

import time_machine
from django.core.management import call_command

from shouwang.briefings.choices import KIND_BRIEFING, KIND_DECISION, BriefingState
from shouwang.briefings.models import (
    Briefing,
    Consultation,
    DailyCount,
    DailyReport,
    Decision,
    WallScreen,
)
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from tests.briefings.conftest import DEMO_NOW


def _counts():
    return tuple(m.objects.count() for m in (DailyReport, Briefing, Consultation, Decision, WallScreen, DailyCount,
                                             Obligation))


def test_the_demo_has_the_offices_briefings_and_a_second_run_adds_nothing(demo):
    counts = _counts()
    with time_machine.travel(DEMO_NOW + timedelta(minutes=5), tick=False):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == counts

    issued = Briefing.objects.get(state=BriefingState.ISSUED)
    assert issued.number_text == "2026年第1期" and issued.document and issued.days == 1
    assert issued.end == DEMO_NOW.date() - timedelta(days=1) and issued.remark and issued.notes["patrols"]
    assert [s["key"] for s in issued.sections][:3] == ["incidents", "daily_reports", "patrols"]
    scheduled = Obligation.objects.of_kind(KIND_BRIEFING).get(due_at__date=DEMO_NOW.date())
    assert scheduled.state_at(DEMO_NOW) == State.MET  # issued at 09:30, before 10:00
    draft = Briefing.objects.get(state=BriefingState.DRAFT)
    assert draft.days == 3 and draft.sequence is None
    consultation = Consultation.objects.get()
    assert consultation.briefing == issued and consultation.decisions.count() == 2
    decisions = Obligation.objects.of_kind(KIND_DECISION)
    assert decisions.count() == 2 and sorted(o.state_at(DEMO_NOW + timedelta(minutes=1)).value for o in decisions) == [
        "met", "open"]
    screen = WallScreen.objects.get()
    assert screen.user.username == "wall-ql-wc" and screen.active
    assert DailyCount.objects.exists()
