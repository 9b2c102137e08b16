"""Daily counts per node per kind: rolled up by a periodic job, idempotently, corrected when late data
arrives (a check-in synced the next day), equal to what the raw rows give, drills left out."""

import uuid
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Q

from shouwang.briefings import rollups, tasks
from shouwang.briefings.models import DailyCount, RollupState
from shouwang.briefings.period import Period
from shouwang.core import scheduler
from shouwang.core.models import Jurisdiction
from shouwang.incidents import queries as incident_queries
from shouwang.incidents import services as incidents
from shouwang.incidents.models import Incident
from shouwang.obligations.models import Obligation
from shouwang.patrols import services as patrols
from shouwang.patrols.models import CheckIn
from tests.briefings.conftest import DEMO_NOW, TZ
from tests.patrols.conftest import patrol  # noqa: F401 - the fixture, shared

MONDAY = datetime(2026, 11, 16, 6, 0, tzinfo=TZ)


def _at(h, m=0, day=MONDAY):
    return day.replace(hour=h, minute=m)


def _stored(kind_prefix, day=None):
    rows = DailyCount.objects.filter(kind__startswith=kind_prefix)
    if day is not None:
        rows = rows.filter(day=day)
    return {r.kind: r.count for r in rows}


@pytest.fixture
def opened(patrol, org):  # noqa: F811
    with time_machine.travel(MONDAY, tick=False):
        patrols.open_patrol_windows()
    return patrol


def test_a_late_check_in_corrects_the_rollup(opened, org):
    """Monday's school-gate windows were missed; on Tuesday the phone that was offline syncs the
    check-in it made at 07:20 on Monday: the next run recomputes Monday (met, not missed)."""
    monday = MONDAY.date()
    with time_machine.travel(_at(9, 0, MONDAY + timedelta(days=1)), tick=False):
        first = rollups.refresh()
    assert first.rolled_up[1] == monday
    assert _stored("ob:patrols.checkin:", monday) == {"ob:patrols.checkin:missed": 2}
    assert _stored("checkin", monday) == {}

    with time_machine.travel(_at(9, 30, MONDAY + timedelta(days=1)), tick=False):
        result = patrols.record_checkins(org.user("patrol1"), [{
            "client_uuid": str(uuid.uuid4()), "method": "qr", "token": patrols.make_token(opened.gate),
            "lat": opened.gate.lat, "lon": opened.gate.lon, "device_time": _at(7, 20).isoformat()}],
            device_now=_at(9, 30, MONDAY + timedelta(days=1)).isoformat())
    assert [r.status for r in result] == ["created"]
    assert CheckIn.objects.get().at == _at(7, 20)

    with time_machine.travel(_at(9, 35, MONDAY + timedelta(days=1)), tick=False):
        again = rollups.refresh()
    assert monday in again.recomputed
    assert _stored("ob:patrols.checkin:", monday) == {"ob:patrols.checkin:met": 1, "ob:patrols.checkin:missed": 1}
    assert _stored("checkin", monday) == {"checkin": 1}
    # the periodic job is a Celery task on the scheduler, and running it again changes nothing
    assert scheduler.JOBS["refresh_rollups"].task is tasks.refresh_rollups
    before = sorted(DailyCount.objects.values_list("node_id", "day", "kind", "count"))
    with time_machine.travel(_at(9, 40, MONDAY + timedelta(days=1)), tick=False):
        tasks.refresh_rollups()
        tasks.refresh_rollups()
    assert sorted(DailyCount.objects.values_list("node_id", "day", "kind", "count")) == before
    assert RollupState.objects.get().through == monday


def test_rollups_equal_the_raw_rows_of_the_demo(demo):
    """Every ended day of the demo: the stored counts are what the records say, and reading a
    period gives the same from the rollups as from a live count."""
    with time_machine.travel(DEMO_NOW, tick=False):
        rollups.refresh()
        through = RollupState.objects.get().through
        assert through == DEMO_NOW.date() - timedelta(days=1)
        raw = Counter()
        for ob in Obligation.objects.real().filter(due_at__lt=datetime(2026, 11, 24, tzinfo=TZ)):
            raw[(ob.jurisdiction_id, ob.due_at.astimezone(TZ).date(), f"ob:{ob.kind}:{ob.state_at().value}")] += 1
        for c in CheckIn.objects.filter(at__lt=datetime(2026, 11, 24, tzinfo=TZ)):
            raw[(c.jurisdiction_id, c.at.astimezone(TZ).date(), "checkin")] += 1
        real = Incident.objects.real()  # the demo's school drill is an exercise incident: never counted
        for i in real.filter(received_at__lt=datetime(2026, 11, 24, tzinfo=TZ)).exclude(status="draft"):
            raw[(i.jurisdiction_id, i.received_at.astimezone(TZ).date(), f"incident:{i.category}:{i.level}")] += 1
        stored = {(r.node_id, r.day, r.kind): r.count for r in DailyCount.objects.filter(
            kind__regex=r"^(ob:|checkin$|incident:)")}
        assert stored == dict(raw) and len(stored) > 50
        # the same days read from the rollups and counted live agree
        nodes = list(Jurisdiction.objects.filter(path__startswith=demo.path).values_list("pk", flat=True))
        first = through - timedelta(days=6)
        from_rollups = rollups.read(nodes, first, through)
        RollupState.objects.update(through=first - timedelta(days=1))  # as if the job had not run
        assert rollups.read(nodes, first, through) == from_rollups


def test_a_drill_never_counts(demo, monkeypatch):
    """Statistics read incidents through incidents.queries (counted_condition), the one place that
    leaves drills out: an incident it drops is in no rollup, trend or briefing, nor are its clocks."""
    from django.contrib.auth import get_user_model

    office = get_user_model().objects.get(username="office")
    with time_machine.travel(DEMO_NOW, tick=False):  # recorded this morning: received yesterday at 10:00
        drill, _created = incidents.intake(user=office, jurisdiction=Jurisdiction.objects.get(code="QL-WC-YS"),
                                           title="演练：云杉购物广场大客流疏散", category="crowd_crush", level="III",
                                           address="云杉街100号", received_at=datetime(2026, 11, 23, 10, tzinfo=TZ))
    assert Obligation.objects.for_subject(drill).exists()
    real = incident_queries.counted_condition
    monkeypatch.setattr(incident_queries, "counted_condition", lambda: real() & ~Q(pk=drill.pk))
    with time_machine.travel(DEMO_NOW, tick=False):
        rollups.refresh()
        period = Period(demo, date(2026, 11, 23), date(2026, 11, 23))
        assert period.counts("incident:") == {}
        assert period.counts("ob:incidents.") == {}
    assert not DailyCount.objects.filter(kind__startswith="incident:", day=date(2026, 11, 23)).exists()
    monkeypatch.setattr(incident_queries, "counted_condition", real)
    with time_machine.travel(DEMO_NOW + timedelta(minutes=1), tick=False):  # were it counted, it would show
        day = date(2026, 11, 23)
        for source in rollups.SOURCES:
            rollups._write(source, day, day, DEMO_NOW)
        period = Period(demo, day, day)
        assert period.counts("incident:") == {"incident:crowd_crush:III": 1}
        assert sum(period.counts("ob:incidents.").values()) == Obligation.objects.for_subject(drill).count()
