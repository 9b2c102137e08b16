"""In Chromium: the inbox shows the reminder and the miss of one obligation as one group."""

import pytest

from shouwang.obligations.choices import NotificationKind
from shouwang.obligations.notify import notify
from tests.e2e.conftest import log_in_page
from tests.obligations.conftest import make_obligation, people  # noqa: F401 - fixtures
from tests.obligations.test_pages import board  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_inbox_groups_two_escalations_of_one_obligation(page, org, board):  # noqa: F811
    office = org.user("office")
    notify([office], kind=NotificationKind.REMINDER, title="提醒：一社区晨报即将到期", obligation=board["a"], token=1)
    notify([office], kind=NotificationKind.MISSED, title="已超时：一社区晨报", obligation=board["a"], token=2)
    notify([office], kind=NotificationKind.MISSED, title="已超时：二社区晨报", obligation=board["other"], token=2)
    log_in_page(page, "office", "pw-office")
    page.goto("/obligations/inbox/")
    assert page.locator("section.inbox-group").count() == 2
    group = page.locator("section.inbox-group").filter(has_text="一社区晨报即将到期")
    assert group.locator("li[data-notification]").count() == 2
    assert "2 条未读" in group.locator("h2").inner_text()
    group.locator("text=标为已读").click()
    page.wait_for_url("**/obligations/inbox/")
    assert page.locator("#unread-count").inner_text() == "1"
