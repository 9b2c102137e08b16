"""Scheduled daily reports: obligations opened from the policy, states with a moved clock, submission."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.briefings import queries, services
from shouwang.briefings.choices import Cell
from shouwang.briefings.models import DailyReport
from shouwang.core import scheduler
from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.obligations import kinds
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.policies.models import Policy

from .conftest import DAY, at, report_fields


def test_opening_follows_the_policy_and_is_idempotent(org, reporting):
    opened = services.open_daily_obligations(DAY)
    assert len(opened) == 4  # two communities x two slots; the grid does not report
    again = services.open_daily_obligations(DAY)
    assert {o.pk for o in again} == {o.pk for o in opened} and Obligation.objects.count() == 4
    morning = Obligation.objects.get(key=f"daily:{org.c1.pk}:2026-11-23:morning")
    assert (morning.opens_at, morning.due_at) == (at(6), at(9))
    assert morning.kind == "briefings.morning_report" and morning.rule == "daily_reports.morning"
    assert morning.policy_version.policy.code == "community-patrol-measures-b"
    assert morning.responsible_unit == reporting["c1"] and morning.responsible_person == reporting["c1"].liaison
    evening = Obligation.objects.get(key=f"daily:{org.c2.pk}:2026-11-23:evening")
    assert (evening.opens_at, evening.due_at) == (at(15), at(18))
    assert kinds.label("briefings.evening_report") != "briefings.evening_report"


def test_without_a_committee_a_grid_worker_answers(org):
    from shouwang.policies.services import assign, load_presets

    with time_machine.travel(at(0) - timedelta(days=30), tick=False):
        load_presets(out=lambda *_: None)
    assign(org.street, Policy.objects.get(code="community-patrol-measures-b"))
    worker = Person.objects.create(jurisdiction=org.grid, name="网格员甲", kind=PersonKind.GRID_WORKER)
    ob = services.obligation_for(org.c1, DAY, "morning")
    assert ob.responsible_unit is None and ob.responsible_person == worker


def test_no_policy_no_obligations(org):
    assert services.open_daily_obligations(DAY) == []


def test_done_when_open_due_soon_missed_and_met_late(org, reporting):
    """The issue's Done-when: a daily report going open -> due soon -> missed; met late after the deadline."""
    with time_machine.travel(at(5, 55), tick=False):
        services.open_upcoming_daily_obligations()
        morning = Obligation.objects.get(key=queries.daily_key(org.c1, DAY, "morning"))
        assert morning.state == State.UPCOMING
    with time_machine.travel(at(6, 30), tick=False):
        assert morning.state == State.OPEN
        assert queries.cell_of(morning) == Cell.OPEN
    with time_machine.travel(at(8, 45), tick=False):
        assert morning.state == State.DUE_SOON
        assert list(Obligation.objects.in_state(State.DUE_SOON).filter(kind__startswith="briefings.")
                    .values_list("key", flat=True).order_by("key")) == sorted(
            [queries.daily_key(org.c1, DAY, "morning"), queries.daily_key(org.c2, DAY, "morning")])
    with time_machine.travel(at(9, 1), tick=False):
        assert morning.state == State.MISSED
        rows, counts = queries.report_table(DAY, [org.c1, org.c2], ["morning", "evening"])
        assert [c.state for c in rows[0].cells] == [Cell.MISSING, Cell.NOT_YET_DUE]
        assert counts[Cell.MISSING] == 2 and counts[Cell.NOT_YET_DUE] == 2
    # The evening report comes in twenty minutes after its 18:00 deadline.
    with time_machine.travel(at(18, 20), tick=False):
        report, created = services.submit_report(jurisdiction=org.c1, date=DAY, slot="evening",
                                                 user=org.user("grid1"), **report_fields())
    assert created and report.submitted_at == at(18, 20) and report.submitted_by == org.user("grid1")
    evening = Obligation.objects.get(key=queries.daily_key(org.c1, DAY, "evening"))
    assert evening.met_at == at(18, 20) and evening.met_by == org.user("grid1")
    assert evening.state_at(at(23)) == State.MET_LATE and evening.lateness() == timedelta(minutes=20)
    rows, counts = queries.report_table(DAY, [org.c1], ["morning", "evening"], now=at(23))
    assert [c.state for c in rows[0].cells] == [Cell.MISSING, Cell.LATE]
    assert rows[0].cells[1].report == report and rows[0].cells[1].lateness == timedelta(minutes=20)


def test_on_time_report_meets_and_explicit_past_time(org, reporting):
    with time_machine.travel(at(20), tick=False):
        report, _ = services.submit_report(jurisdiction=org.c2, date=DAY, slot="morning", submitted_at=at(8, 10),
                                           **report_fields())
    ob = Obligation.objects.get(key=queries.daily_key(org.c2, DAY, "morning"))
    assert ob.state_at(at(20)) == State.MET and ob.met_at == at(8, 10) and str(report.pk) in ob.evidence


def test_submission_is_idempotent_and_refuses_bad_input(org, reporting):
    import uuid

    key = uuid.uuid4()
    with time_machine.travel(at(7), tick=False):
        first, created = services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning", client_uuid=key,
                                                user=org.user("grid1"), **report_fields())
        again, created_again = services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning", client_uuid=key,
                                                      user=org.user("grid1"), **report_fields(situation="重发"))
        assert created and not created_again and again.pk == first.pk
        with pytest.raises(ValidationError) as exc:  # one report per slot; no edits
            services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning", user=org.user("grid1"), **report_fields())
        assert "slot" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:  # the evening report opens at 15:00
            services.submit_report(jurisdiction=org.c1, date=DAY, slot="evening", user=org.user("grid1"), **report_fields())
        assert "15:00" in exc.value.message_dict["slot"][0]
        with pytest.raises(PermissionDenied):
            services.submit_report(jurisdiction=org.c2, date=DAY, slot="morning", user=org.user("grid1"), **report_fields())
        with pytest.raises(ValidationError) as exc:  # numbers of forces are not negative
            services.submit_report(jurisdiction=org.c2, date=DAY, slot="morning", user=org.user("grid2"),
                                   **report_fields(police_on_duty=-1))
        assert "police_on_duty" in exc.value.message_dict
        for bad_day in (DAY + timedelta(days=1), DAY - timedelta(days=8)):  # not yet begun; too old
            with pytest.raises(ValidationError) as exc:
                services.submit_report(jurisdiction=org.c2, date=bad_day, slot="morning", user=org.user("grid2"),
                                       **report_fields())
            assert "date" in exc.value.message_dict
        with pytest.raises(ValidationError):  # the grid is not a reporting node
            services.submit_report(jurisdiction=org.grid, date=DAY, slot="morning", user=org.user("grid1"), **report_fields())
    assert DailyReport.objects.count() == 1
    # Nothing half-written: the refused reports met nothing.
    assert Obligation.objects.filter(met_at__isnull=False).count() == 1


def test_periodic_job_is_registered_and_opens_today_and_tomorrow(org, reporting):
    interval, task_name, _func = scheduler.JOBS["open_daily_reports"]
    assert interval == 300 and task_name == "shouwang.briefings.tasks.open_daily_reports"
    with time_machine.travel(at(5), tick=False):
        assert scheduler.run_job("open_daily_reports") == 8
        scheduler.run_job("open_daily_reports")
    assert Obligation.objects.count() == 8
    assert Obligation.objects.filter(key__contains="2026-11-24").count() == 4
    from shouwang.core.models import ChangeLogEntry

    assert ChangeLogEntry.objects.filter(source="task", action="create").count() >= 8


def test_celery_task_runs_the_same_job(org, reporting):
    from shouwang.briefings.tasks import open_daily_reports as open_daily_reports_task

    with time_machine.travel(at(5), tick=False):
        assert open_daily_reports_task.apply().get() == 8


def test_a_missing_daily_report_is_reminded_and_escalated_exactly_once(org, reporting):
    """Done-when: reminder before 09:00, missed at 09:00, the office after 60 minutes — once each,
    however often the sweep runs (preset B's escalation section)."""
    from collections import Counter

    from shouwang.obligations.escalation import sweep
    from shouwang.obligations.models import Notification

    liaison = reporting["c1"].liaison
    liaison.user = org.user("grid1")
    liaison.save()
    with time_machine.travel(at(5, 55), tick=False):
        services.open_upcoming_daily_obligations()
    morning = Obligation.objects.get(key=queries.daily_key(org.c1, DAY, "morning"))

    def sent(kind):
        return Counter(Notification.objects.filter(obligation=morning, kind=kind).values_list("recipient__username", flat=True))

    for minute in (at(8, 31), at(8, 40)):
        with time_machine.travel(minute, tick=False):
            sweep()
            sweep()
    assert sent("reminder") == {"grid1": 1}
    for minute in (at(9, 1), at(9, 30)):
        with time_machine.travel(minute, tick=False):
            sweep()
            sweep()
    missed = sent("missed")
    assert missed["grid1"] == 1 and missed["office1"] == 1 and set(missed.values()) == {1}
    assert not sent("escalated")
    for minute in (at(10, 1), at(11, 0)):
        with time_machine.travel(minute, tick=False):
            sweep()
            sweep()
    escalated = sent("escalated")
    assert escalated and set(escalated.values()) == {1}
    assert sent("reminder") == {"grid1": 1}  # nothing repeated by the later sweeps


def test_a_community_added_in_the_evening_owes_nothing_due_before_it_existed(org, reporting):
    from datetime import timedelta

    from shouwang.core.choices import NodeLevel
    from shouwang.core.services import create_node
    from shouwang.obligations.escalation import sweep
    from shouwang.obligations.models import Notification

    with time_machine.travel(at(21, 58), tick=False):
        late = create_node(parent=org.street, code="C9", name="新建社区", level=NodeLevel.COMMUNITY)
    with time_machine.travel(at(22, 0), tick=False):
        services.open_upcoming_daily_obligations()
    with time_machine.travel(at(23, 30), tick=False):
        sweep()
    mine = Obligation.objects.under(late)
    assert not mine.filter(due_at__lt=at(22, 0)).exists()  # not that day's 09:00 or 18:00
    assert mine.filter(due_at__gte=at(0, 0) + timedelta(days=1)).exists()  # tomorrow's, yes
    assert not Notification.objects.filter(obligation__jurisdiction=late).exists()
