"""The office corrects or withdraws a filed daily report, with a reason; the original is kept."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shouwang.briefings import queries, services
from shouwang.briefings.models import DailyReport
from shouwang.core.models import ChangeLogEntry
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from tests.briefings.conftest import DAY, at, report_fields


@pytest.fixture
def filed(org, reporting):
    with time_machine.travel(at(8), tick=False):
        report, _created = services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning",
                                                  user=org.user("grid1"), **report_fields(volunteers_on_duty=8))
    return report


def test_the_office_corrects_and_the_original_stays(org, filed):
    with pytest.raises(PermissionDenied):  # the sender may not change what he sent
        services.correct_report(filed, user=org.user("grid1"), reason="写错了", volunteers_on_duty=6)
    with pytest.raises(ValidationError):
        services.correct_report(filed, user=org.user("office1"), reason="", volunteers_on_duty=6)
    with time_machine.travel(at(10), tick=False):
        fixed = services.correct_report(filed, user=org.user("office1"), reason="志愿者人数报错", volunteers_on_duty=6)
        again = services.correct_report(filed, user=org.user("office1"), reason="再次核实", volunteers_on_duty=7)
    filed.refresh_from_db()
    assert filed.volunteers_on_duty == 8 and filed.submitted_at == at(8)
    assert fixed.corrects == filed and again.corrects == fixed and again.volunteers_on_duty == 7
    assert ChangeLogEntry.objects.filter(object_id=str(fixed.pk), action="create").exists()
    # the office's table shows the latest version, still on time (sent 08:00)
    with time_machine.travel(at(10), tick=False):
        rows, counts = queries.report_table(DAY, [org.c1], ["morning"])
    assert rows[0].cells[0].report == again and counts["on_time"] == 1


def test_a_withdrawn_report_opens_its_slot_again(org, filed):
    with time_machine.travel(at(10), tick=False):
        services.withdraw_report(filed, user=org.user("office1"), reason="报错了社区")
        with pytest.raises(ValidationError):
            services.withdraw_report(filed, user=org.user("office1"), reason="再撤")
    ob = Obligation.objects.get(key=queries.daily_key(org.c1, DAY, "morning"))
    assert ob.state_at(at(10)) == State.MISSED and DailyReport.objects.filter(pk=filed.pk).exists()
    with time_machine.travel(at(10, 5), tick=False):  # the right report, late now
        report, created = services.submit_report(jurisdiction=org.c1, date=DAY, slot="morning",
                                                 user=org.user("grid1"), **report_fields())
    ob.refresh_from_db()
    assert created and ob.state_at(at(11)) == State.MET_LATE


def test_the_office_corrects_and_withdraws_on_the_report_page(org, filed, login):
    page = f"/briefings/daily/reports/{filed.pk}/"
    sender = login(org.user("grid1"))
    shown = sender.get(page).content.decode()
    assert "办公室可以更正或撤回" in shown and "撤回此报告" not in shown
    assert sender.get(f"{page}correct/").status_code == 403
    assert sender.post(f"{page}withdraw/", {"withdraw_reason": "x"}).status_code == 403
    office = login(org.user("office1"))
    shown = office.get(page).content.decode()
    assert "更正此报告" in shown and "撤回此报告" in shown
    assert "daily_reports." not in shown  # the deadline's rule by its label, not its key
    no_reason = office.post(f"{page}correct/", {"correction_reason": "", **report_fields(volunteers_on_duty=6)})
    assert no_reason.status_code == 200 and "更正原因" in no_reason.content.decode()
    with time_machine.travel(at(10), tick=False):
        done = office.post(f"{page}correct/", {"correction_reason": "志愿者人数报错",
                                               **report_fields(volunteers_on_duty=6)})
    assert done.status_code == 302
    fixed = DailyReport.objects.get(corrects=filed)
    assert fixed.volunteers_on_duty == 6 and done["Location"] == fixed.get_absolute_url()
    filed.refresh_from_db()
    assert filed.volunteers_on_duty == 8
    assert "已被后续版本更正" in office.get(page).content.decode()
    assert "志愿者人数报错" in office.get(fixed.get_absolute_url()).content.decode()


def test_the_office_withdraws_on_the_page_with_a_reason(org, filed, login):
    page = f"/briefings/daily/reports/{filed.pk}/"
    office = login(org.user("office1"))
    empty = office.post(f"{page}withdraw/", {"withdraw_reason": ""}, follow=True).content.decode()
    assert "撤回原因：" in empty
    filed.refresh_from_db()
    assert filed.withdrawn_at is None
    with time_machine.travel(at(10), tick=False):
        assert office.post(f"{page}withdraw/", {"withdraw_reason": "报错了社区"}).status_code == 302
    filed.refresh_from_db()
    assert filed.withdrawn_at and filed.withdraw_reason == "报错了社区"
    assert "报错了社区" in office.get(page).content.decode()
