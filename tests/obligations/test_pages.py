"""My obligations, the board, an obligation's page and its actions, the inbox."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from shouwang.obligations import escalation, services
from shouwang.obligations.choices import State
from shouwang.obligations.models import Notification, Obligation

from .conftest import DUE, T0

NOW = T0 + timedelta(hours=2, minutes=45)  # 08:45: the 09:00 report is due soon


@pytest.fixture
def board(org, people, units, make_obligation):
    """C1: grid1's report (due soon), one met late, one missed by the school; C2: one of its own."""
    a = make_obligation("a")
    late = make_obligation("late", due_at=T0 + timedelta(hours=1))
    missed = make_obligation("missed", kind="registers.review", person=None, due_at=T0 + timedelta(hours=1),
                             responsible_unit=units["c1"])
    other = make_obligation("other", node=org.c2, person=None)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        services.meet(late, by=org.user("grid1"), evidence="补报")
    return {"a": a, "late": late, "missed": missed, "other": other}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_my_obligations_lists_due_today_overdue_and_done(login, org, board, clock):
    response = login(org.user("grid1")).get(reverse("obligations:mine"))
    sections = {key: [o.key for o in items] for key, _label, items in response.context["sections"]}
    # grid1 holds no role that may change obligations at C1? it does (grid worker: vc), so the
    # unassigned C1 obligation counts as its too; C2's does not.
    assert sections == {"due_today": ["a"], "overdue": ["missed"], "done": ["late"]}
    assert "一社区晨报" in response.content.decode()


def test_office_staff_sees_only_unassigned_ones_on_its_own_node(login, org, board, clock):
    response = login(org.user("office")).get(reverse("obligations:mine"))
    assert all(not items for _key, _label, items in response.context["sections"])  # street has none


def test_board_counts_and_filters_with_one_filterset(login, org, board, clock, django_assert_max_num_queries):
    client = login(org.user("office"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("obligations:board"), {"node": org.c1.pk})
    counts = response.context["counts"]
    assert {key: n for _label, key, n in counts["state"]} == {"due_soon": 1, "met_late": 1, "missed": 1}
    assert dict(counts["kind"]) == {"briefing.daily_report": 2, "registers.review": 1}
    assert ("一社区学校", 1) in counts["unit"]
    assert {o.key for o in response.context["object_list"]} == {"a", "late", "missed"}
    only_missed = client.get(reverse("obligations:board"), {"state": "missed"})
    assert [o.key for o in only_missed.context["object_list"]] == ["missed"]
    by_person = client.get(reverse("obligations:board"), {"person": board["a"].responsible_person_id})
    assert {o.key for o in by_person.context["object_list"]} == {"a", "late"}
    period = client.get(reverse("obligations:board"), {"period_after": "2026-11-24", "period_before": "2026-11-25"})
    assert list(period.context["object_list"]) == []
    partial = client.get(reverse("obligations:board"), {"kind": "registers.review"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert f'data-obligation="{board["missed"].pk}"'.encode() in partial.content
    assert f'data-obligation="{board["a"].pk}"'.encode() not in partial.content


def test_board_is_scoped(login, org, board, clock):
    response = login(org.user("office1")).get(reverse("obligations:board"))
    assert "other" not in {o.key for o in response.context["object_list"]}


def test_detail_shows_state_lateness_and_sends(login, org, board, clock, policy_d):
    escalation.sweep(now=NOW + timedelta(minutes=30))
    client = login(org.user("office1"))
    response = client.get(board["missed"].get_absolute_url())
    assert response.status_code == 200
    assert response.context["state"] == State.MISSED and response.context["lateness"] == timedelta(hours=1, minutes=45)
    assert response.context["deliveries"].count() >= 1 and response.context["can_waive"]
    assert client.get(board["other"].get_absolute_url()).status_code == 404


def test_waive_needs_a_reason_and_the_right(login, org, board, clock):
    ob = board["missed"]
    url = reverse("obligations:obligation_waive", args=[ob.pk])
    response = login(org.user("office1")).post(url, {"reason": "  "}, follow=True)
    assert "需要理由" in response.content.decode() or "needs a reason" in response.content.decode()
    assert Obligation.objects.get(pk=ob.pk).waived_at is None
    assert login(org.user("grid1")).post(url, {"reason": "停电"}).status_code == 403  # grid workers may not waive
    assert login(org.user("office1")).post(url, {"reason": "停电无法上报"}).status_code == 302
    ob.refresh_from_db()
    assert ob.state_at() == State.WAIVED and ob.waived_by == org.user("office1")
    assert login(org.user("office1")).post(reverse("obligations:obligation_reopen", args=[ob.pk])).status_code == 302
    assert Obligation.objects.get(pk=ob.pk).waived_at is None


def test_meet_from_the_page_and_not_before_it_opens(login, org, people, make_obligation, clock):
    early = make_obligation("early", opens_at=NOW + timedelta(hours=1), due_at=NOW + timedelta(hours=3))
    client = login(org.user("grid1"))
    client.post(reverse("obligations:obligation_meet", args=[early.pk]), {"evidence": "提前报"})
    assert Obligation.objects.get(pk=early.pk).met_at is None
    ob = make_obligation("now")
    assert client.post(reverse("obligations:obligation_meet", args=[ob.pk]), {"evidence": "电话报值班室"}).status_code == 302
    assert Obligation.objects.get(pk=ob.pk).state_at() == State.MET
    assert login(org.user("viewer")).post(reverse("obligations:obligation_meet", args=[early.pk]),
                                          {"evidence": "x"}).status_code == 403


def test_inbox_badge_and_mark_read(login, org, board, policy_d):
    escalation.sweep(now=DUE + timedelta(minutes=1))
    client = login(org.user("grid1"))
    page = client.get(reverse("obligations:inbox"))
    assert page.context["badges"]["inbox"] == 1 and 'data-url="/obligations/inbox/count.json">1<' in page.content.decode()
    note = Notification.objects.get(recipient=org.user("grid1"))
    response = client.post(reverse("obligations:inbox_read"), {"notification": note.pk})
    assert response.status_code == 302 and response["Location"] == note.obligation.get_absolute_url()
    assert client.get(reverse("obligations:mine")).context["badges"]["inbox"] == 0
    # someone else's notification cannot be marked
    other = Notification.objects.filter(recipient=org.user("office1")).first()
    client.post(reverse("obligations:inbox_read"), {"notification": other.pk})
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_board_sorts_by_its_columns(login, org, make_obligation):
    import time_machine

    from tests.obligations.conftest import DUE, T0

    make_obligation(key="a", title="乙晨报", due_at=DUE + timedelta(hours=2))
    make_obligation(key="b", title="甲晨报", due_at=DUE)
    make_obligation(key="c", title="丙晨报", due_at=DUE - timedelta(hours=2))  # missed at T0 + 3 h
    client = login(org.user("office"))
    url = reverse("obligations:board")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        def titles(sort):
            return [ob.title for ob in client.get(f"{url}?sort={sort}").context["object_list"]]
        assert titles("due_at") == ["丙晨报", "甲晨报", "乙晨报"] and titles("-due_at") == ["乙晨报", "甲晨报", "丙晨报"]
        assert titles("title") == sorted(titles("title")) and titles("state")[0] == "丙晨报"  # missed first
        page = client.get(f"{url}?sort=-due_at").content.decode()
    assert 'data-sort="due_at"' in page and "▼" in page and 'data-sort="responsible_unit"' in page
