"""The inbox groups messages by the record they are about, shows each escalation step once,
links each message, filters by kind; its badge refreshes from a small JSON endpoint."""

import re

from django.urls import reverse

from shouwang.obligations.choices import NotificationKind
from shouwang.obligations.notify import notify
from shouwang.obligations.services import send_message

from .test_pages import board  # noqa: F401 - fixture


def groups(html):
    return re.findall(r'data-group="([^"]+)"', html)


def test_two_escalations_of_one_obligation_are_one_group(login, org, board):  # noqa: F811
    ob, other = board["a"], board["other"]
    office = org.user("office")
    notify([office], kind=NotificationKind.REMINDER, title="提醒：一社区晨报", obligation=ob, token=1)
    notify([office], kind=NotificationKind.MISSED, title="已超时：一社区晨报", obligation=ob, token=2)
    notify([office], kind=NotificationKind.MISSED, title="已超时：二社区晨报", obligation=other, token=2)
    send_message([office], title="QL-1 火情", body="请到场", url="/incidents/all/1/")
    client = login(office)
    html = client.get(reverse("obligations:inbox")).content.decode()
    assert len(groups(html)) == 3
    first = re.search(rf'data-group="{re.escape(ob.get_absolute_url())}".*?</section>', html, re.S).group(0)
    assert first.count("data-notification") == 2  # the reminder and the miss, each once
    note = ob.notifications.get(kind=NotificationKind.MISSED)
    opened = client.get(reverse("obligations:inbox_open", args=[note.pk]))  # read, then its record
    assert opened.url == ob.get_absolute_url() and ob.notifications.get(pk=note.pk).read_at is not None
    message = office.notifications.get(title="QL-1 火情")
    assert client.get(reverse("obligations:inbox_open", args=[message.pk])).url == "/incidents/all/1/"
    assert login(org.user("grid2")).get(reverse("obligations:inbox_open", args=[message.pk])).status_code == 404
    client = login(office)
    missed_only = client.get(reverse("obligations:inbox") + "?kind=missed").content.decode()
    assert "提醒：" not in missed_only and "已超时：一社区晨报" in missed_only
    assert client.get(reverse("obligations:inbox_count")).json() == {"unread": 2}
    assert groups(login(org.user("grid2")).get(reverse("obligations:inbox")).content.decode()) == []  # only one's own


def test_a_group_is_marked_read_at_once(login, org, board):  # noqa: F811
    office = org.user("office")
    ob = board["a"]
    notify([office], kind=NotificationKind.REMINDER, title="提醒", obligation=ob, token=1)
    notify([office], kind=NotificationKind.MISSED, title="超时", obligation=ob, token=2)
    client = login(office)
    html = client.get(reverse("obligations:inbox")).content.decode()
    ids = re.findall(r'name="notification" value="(\d+)"', html)
    assert len(ids) == 2
    client.post(reverse("obligations:inbox_read"), {"notification": ids})
    assert client.get(reverse("obligations:inbox_count")).json() == {"unread": 0}
