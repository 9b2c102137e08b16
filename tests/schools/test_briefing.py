"""The schools section of the office's briefings: gate windows held and missed, camera failures and
checks, visitors and vehicles by number only, guards short of the standard, a line per school."""

import uuid
from datetime import date, timedelta

from shouwang.briefings.period import Period
from shouwang.core.registry import BRIEFING_SECTIONS
from shouwang.schools import services
from shouwang.schools.models import GateWindow

from .conftest import NOW, visitor


def test_the_section_says_the_period_in_chinese_without_names(org, schools, clock):
    services.open_school_days(days=1)
    visitor(schools.user("guard_a"), schools.primary, schools.person("teacher_a"), name="张三丰")
    services.check_camera(schools.user("guard_b"), {"client_uuid": str(uuid.uuid4()), "result": "not_recording",
                                                    "camera": schools.middle.cameras.get().pk})
    clock.move_to(NOW + timedelta(minutes=80))
    window = GateWindow.objects.get(school=schools.primary, kind="arrival")
    for key in ("head_a", "guard_a", "teacher_a"):
        services.confirm_gate(schools.user(key), {"client_uuid": str(uuid.uuid4()), "window": window.pk})
    clock.move_to(NOW + timedelta(days=1))
    part = BRIEFING_SECTIONS["schools"].build(Period(org.street, date(2026, 12, 1), date(2026, 12, 1),
                                                     as_of=NOW + timedelta(days=1)))
    text = "".join(part["text"])
    assert "辖区学校（幼儿园）3所" in text and "三方到岗1次" in text
    assert "发现监控故障1处" in text and "登记来访人员1人次" in text
    assert "一社区中学（现有1名，应配4名）" in text
    assert "张三丰" not in str(part)
    rows = {row[0]: row for row in part["tables"][0]["rows"]}
    assert rows["一社区小学"][2]["text"] == 1  # its dismissal window passed with nobody at the gate
    assert rows["一社区中学"][3] == 1
