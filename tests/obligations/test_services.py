from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.obligations import services
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=TZ)


def _open(org, **kw):
    return services.open_obligation(kind="test", title="晨报", jurisdiction=org.c1, opens_at=T0,
                                    due_at=T0 + timedelta(hours=3), **kw)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (T0 - timedelta(hours=1), State.UPCOMING),
        (T0 + timedelta(hours=1), State.OPEN),
        (T0 + timedelta(hours=2, minutes=45), State.DUE_SOON),
        (T0 + timedelta(hours=3, minutes=1), State.MISSED),
    ],
)
def test_state_follows_the_clock_in_python_and_sql(org, now, state):
    ob = _open(org)
    assert ob.state_at(now) == state
    assert list(Obligation.objects.in_state(state, now=now)) == [ob]
    assert Obligation.objects.with_state(now=now).get().state_db == state


def test_met_on_time_late_and_waived(org):
    on_time, late, waived = _open(org, key="a"), _open(org, key="b"), _open(org, key="c")
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        services.meet(on_time, at=T0 + timedelta(hours=2))
        services.meet(late)
        services.waive(waived, reason="停电无法上报", by=org.user("leader"))
    now = T0 + timedelta(hours=5)
    states = {o.key: o.state_at(now) for o in Obligation.objects.all()}
    assert states == {"a": State.MET, "b": State.MET_LATE, "c": State.WAIVED}
    assert Obligation.objects.get(key="b").lateness() == timedelta(hours=1)


def test_key_makes_opening_idempotent(org):
    assert _open(org, key="same").pk == _open(org, key="same").pk
    assert Obligation.objects.count() == 1


def test_bad_input_is_refused(org):
    ob = _open(org)
    with pytest.raises(ValidationError):
        services.waive(ob, reason="  ", by=org.user("leader"))
    with pytest.raises(ValidationError):
        services.meet(ob, at=T0 - timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        services.meet(ob, at=T0 + timedelta(minutes=1), by=org.user("grid2"))
    with pytest.raises(ValidationError):
        services.open_obligation(kind="x", title="x", jurisdiction=org.c1, opens_at=T0, due_at=T0 - timedelta(1))
    ob.refresh_from_db()
    assert ob.met_at is None and ob.waived_at is None


def test_reopen_and_reschedule(org):
    ob = _open(org)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        services.meet(ob)
        services.reopen(ob, due_at=T0 + timedelta(hours=6))
        ob.refresh_from_db()
        assert ob.state == State.OPEN
        services.reschedule(ob, due_at=T0 + timedelta(hours=2))
        ob.refresh_from_db()
        assert ob.due_at == T0 + timedelta(hours=2)
