"""Plans' pages as people read them: a plan with its checklist, versions and what changed; the drill
console live (its timeline, the injects' states and scores, the exercise incident's clocks) and its
HTMX refresh; the phone where a player logs his action and an evaluator rates it; the after-action
report as a Word file read back; the home tiles; every page marked 【演练】 where it shows a drill."""

import io
import re
import uuid
from datetime import timedelta

import time_machine
from django.urls import reverse

from shouwang.plans import services
from shouwang.plans.models import Evaluation, ExpectedAction, Improvement, Inject

from .conftest import CHECKLIST, T0


def test_a_plan_page_reads_its_checklist_versions_and_changes(login, org, plan):
    services.save_draft(plan, user=org.user("office"), actions=[*CHECKLIST, {"text": "通知学校", "offset_minutes": 20}],
                        note="增加校园联动")
    services.approve(services.draft_of(plan), user=org.user("leader"), approver="周振华")
    html = login(org.user("office")).get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "派出所先期处置，封控现场" in html and "5分钟内" in html
    assert "v1至v2的修改内容" in html and "通知学校" in html and 'class="diff-new"' in html
    assert "防刺背心 20件" in html and "增加校园联动" in html
    old = login(org.user("office")).get(reverse("plans:plan_detail", args=[plan.pk]) + "?version=1").content.decode()
    assert "通知学校" not in old.split("检验本预案的演练")[0].split("专家评审")[0]


def test_the_drill_console_live(login, org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        services.sweep_drills()
        client = login(org.user("office"))
        page = client.get(drill.get_absolute_url())
        html = page.content.decode()
        assert page.status_code == 200 and "【演练】这是演练" in html
        assert 'hx-trigger="every 10s"' in html and "0:06:00" in html
        assert html.count('class="badge inject-delivered"') == 2 and "待下达" in html
        assert "S-YL-2026-0001" in html and "1小时内口头报告综治（城运）指挥平台" in html
        assert "因为“电话报告城运中心”未在时限内完成" in html  # the contingency offered
        partial = client.get(reverse("plans:drill_console", args=[drill.pk]), HTTP_HX_REQUEST="true")
        assert partial.status_code == 200 and b"<html" not in partial.content and "注入事件时间线".encode() in partial.content
    assert login(org.user("grid2")).get(drill.get_absolute_url()).status_code == 404


def test_the_console_starts_pauses_and_ends_the_drill(login, org, drill):
    client = login(org.user("office"))
    with time_machine.travel(T0, tick=False):
        assert client.post(reverse("plans:drill_start", args=[drill.pk])).status_code == 302
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        client.post(reverse("plans:drill_evacuation", args=[drill.pk]), {"what": "signal"})
        client.post(reverse("plans:drill_pause", args=[drill.pk]))
        drill.refresh_from_db()
        assert drill.state == "paused" and drill.evacuation_signal_at == T0 + timedelta(minutes=1)
        response = client.post(reverse("plans:drill_pause", args=[drill.pk]), follow=True)
        assert "只有进行中的演练才能暂停。" in response.content.decode()  # refused with its reason
        client.post(reverse("plans:drill_resume", args=[drill.pk]))
        client.post(reverse("plans:drill_end", args=[drill.pk]))
    drill.refresh_from_db()
    assert drill.state == "ended"
    viewer = login(org.user("viewer")).post(reverse("plans:drill_start", args=[drill.pk]))
    assert viewer.status_code == 403


def test_a_player_logs_his_action_on_the_phone_and_the_evaluator_rates_it(client, org, drill, people):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    action = ExpectedAction.objects.get(inject__drill=drill, inject__offset_minutes=0)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        client.force_login(org.user("grid1"))
        listing = client.get(reverse("plans:phone")).content.decode()
        assert "1条发给您的注入事件" in listing
        page = client.get(reverse("plans:phone_drill", args=[drill.pk])).content.decode()
        assert "东门有人持刀伤人。" in page and "电话报告城运中心" in page
        key = re.search(r'name="client_uuid" value="([0-9a-f-]{36})"', page).group(1)
        url = reverse("plans:phone_log", args=[action.pk])
        assert client.post(url, {"client_uuid": key, "note": "已报告"}).status_code == 302
        assert client.post(url, {"client_uuid": key}).status_code == 302  # the retry
        action.refresh_from_db()
        assert action.done_at == T0 + timedelta(minutes=1) and action.done_note == "已报告"
        after = client.get(reverse("plans:phone_drill", args=[drill.pk])).content.decode()
        assert "已完成 09:01:00" in after
        client.force_login(org.user("inspector1"))
        rating_page = client.get(reverse("plans:phone_drill", args=[drill.pk])).content.decode()
        assert "保存评估" in rating_page
        client.post(reverse("plans:phone_evaluate", args=[action.pk]),
                    {"rating": "S", "observation": "报告要素不全", "client_uuid": str(uuid.uuid4())})
    assert Evaluation.objects.get(action=action).rating == "S"
    client.force_login(org.user("grid2"))
    assert client.get(reverse("plans:phone_drill", args=[drill.pk])).status_code == 404


def test_the_after_action_report_is_a_chinese_word_document(login, org, drill, people):
    from docx import Document

    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        services.log_action(ExpectedAction.objects.get(inject__drill=drill, inject__offset_minutes=0),
                            user=org.user("grid1"))
    with time_machine.travel(T0 + timedelta(minutes=40), tick=False):
        services.end_drill(drill, user=org.user("office"))
        client = login(org.user("office"))
        response = client.post(reverse("plans:drill_after_action", args=[drill.pk]), {
            "strengths": "首报及时", "area_1": "封控慢", "action_1": "增加封控演练", "owner_1": people["grid1"].pk,
            "deadline_1": (T0 + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        item = Improvement.objects.get(drill=drill)
        assert item.is_open and item.owner == people["grid1"]
        document = client.get(reverse("plans:drill_report", args=[drill.pk]))
    assert document["Content-Disposition"].startswith("attachment") and "docx" in document["Content-Disposition"]
    doc = Document(io.BytesIO(document.content))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "【演练】涉恐涉暴事件处置演练" in text and "演练总结评估报告" in text
    assert "预期行动：电话报告城运中心" in text and "时限内" in text
    assert "1小时内口头报告综治（城运）指挥平台" in text and "未完成" in text
    assert "封控慢" in text and "增加封控演练" in text and "首报及时" in text
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_the_home_tiles(login, org, drill, people):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
        desk = login(org.user("office")).get("/").content.decode()
        assert 'data-tile="plans.desk"' in desk and "正在进行" in desk and "【演练】涉恐涉暴事件处置演练" in desk
        player = login(org.user("grid1")).get("/").content.decode()
        assert 'data-tile="plans.player"' in player and "【演练】接警：市场有人持刀伤人" in player


def test_the_injects_arrive_on_the_incident_board_apart_from_the_real_incidents(login, org, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        services.sweep_drills()
        html = login(org.user("office")).get("/incidents/", HTTP_HX_REQUEST="true").content.decode()
    drills = html.split('id="board-drills"', 1)[1]
    assert "嫌疑人逃入市场内部" in drills and "接警：市场有人持刀伤人" in drills
    real_rows = html.split('id="board-table"', 1)[1].split("</table>", 1)[0]
    assert "嫌疑人逃入市场内部" not in real_rows and "S-YL-" not in real_rows


def test_adding_an_inject_on_the_page_keeps_the_field_and_reason(login, org, drill):
    client = login(org.user("office"))
    url = reverse("plans:drill_add_inject", args=[drill.pk])
    response = client.post(url, {"offset_minutes": "15", "title": "补充注入", "message": "x"}, follow=True)
    assert "接收人：请指定注入事件的接收方：工作组或人员。" in response.content.decode()
    assert not Inject.objects.filter(title="补充注入").exists()
    client.post(url, {"offset_minutes": "15", "title": "补充注入", "message": "x",
                      "recipient_person": drill.injects.first().recipient_person_id,
                      "action_1": "回复", "action_1_points": "5", "action_1_window": "3"})
    inject = Inject.objects.get(title="补充注入")
    assert inject.actions.get().points == 5
