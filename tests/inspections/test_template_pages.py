"""The checklist template pages: list and detail in scope, the item editor through the services
(a used version is never changed: its edit is the next version), a bad row's error on its row."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shouwang.inspections import services
from shouwang.inspections.forms import ChecklistTemplateForm, split_choices
from shouwang.inspections.models import ChecklistTemplate, TemplateItem, TemplateVersion

from .conftest import inspect

ROW_FIELDS = ("section", "text", "answer_type", "min_value", "max_value", "unit_label", "options",
              "failing_options", "severity", "weight", "guidance")


def post_data(node, name="学校检查表", category="school", rows=(), active=True, note="", extra=1, **more):
    """The editor's POST: the template's fields and the item rows as the formset names them."""
    data = {"jurisdiction": node.pk, "name": name, "category": category, "description": "", "note": note,
            "items-TOTAL_FORMS": len(rows) + extra, "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000}
    if active:
        data["active"] = "on"
    for n, row in enumerate(rows):
        for key in ROW_FIELDS:
            value = row.get(key, {"answer_type": "yes_no", "severity": "general", "weight": 1}.get(key, ""))
            if isinstance(value, list):
                value = "\n".join(value)
            data[f"items-{n}-{key}"] = "" if value is None else value
        if row.get("photo_required"):
            data[f"items-{n}-photo_required"] = "on"
        if row.get("DELETE"):
            data[f"items-{n}-DELETE"] = "on"
    for n in range(len(rows), len(rows) + extra):  # an untouched empty row, as the page offers it
        data.update({f"items-{n}-answer_type": "yes_no", f"items-{n}-severity": "general", f"items-{n}-weight": 1})
    data.update(more)
    return data


TWO = [
    {"section": "安防", "text": "校门口监控摄像头工作正常", "answer_type": "yes_no", "severity": "serious",
     "photo_required": True, "weight": 5},
    {"section": "值守", "text": "门卫值守情况", "answer_type": "choice", "options": "在岗、脱岗、无人值守",
     "failing_options": "脱岗、无人值守", "severity": "general", "weight": 3},
]


def test_list_and_detail_in_scope(org, login, template):
    services.create_template(node=org.c2, name="二社区市场检查表", category="market",
                             items=[{"section": "消防", "text": "通道畅通", "answer_type": "yes_no"}])
    page = login(org.user("office")).get(reverse("inspections:checklisttemplate_list")).content.decode()
    assert "加油站检查表" in page and "二社区市场检查表" in page
    row = page.split(f'data-template="{template.pk}"')[1].split("</tr>")[0]
    assert '<td class="wide items">5</td>' in row and "第 1 版" in row and "5 个检查项" in row
    assert "安装标准检查表" in page and reverse("inspections:install_checklists") in page
    assert reverse("inspections:hazard_import") in page
    filtered = login(org.user("office")).get(reverse("inspections:checklisttemplate_list"),
                                             {"category": "market"}).content.decode()
    assert "二社区市场检查表" in filtered and "加油站检查表" not in filtered
    by_name = login(org.user("office")).get(reverse("inspections:checklisttemplate_list"),
                                            {"name": "加油"}).content.decode()
    assert "加油站检查表" in by_name and "二社区市场检查表" not in by_name

    detail = login(org.user("office")).get(template.get_absolute_url()).content.decode()
    assert "油罐区可燃气体浓度（%LEL）" in detail and "≤ 20 %LEL" in detail  # the limit with its unit
    assert 'class="choice-fail"' in detail and "✗ 缺失" in detail  # the failing choice marked
    assert 'sev-major">重大隐患' in detail and "须拍照" in detail
    assert detail.index("<h3>消防</h3>") < detail.index("<h3>油罐</h3>") < detail.index("<h3>管理</h3>")
    assert "已用于检查的版本不再改动" in detail


def test_out_of_scope(org, login, template):
    client = login(org.user("office1"))  # a community office sees its community's checklists only
    page = client.get(reverse("inspections:checklisttemplate_list")).content.decode()
    assert "加油站检查表" not in page
    assert client.get(template.get_absolute_url()).status_code == 404
    assert client.get(reverse("inspections:checklisttemplate_edit", args=[template.pk])).status_code == 404


def test_create_with_two_items(org, login):
    client = login(org.user("office"))
    assert client.get(reverse("inspections:checklisttemplate_create")).status_code == 200
    response = client.post(reverse("inspections:checklisttemplate_create"), post_data(org.street, rows=TWO))
    made = ChecklistTemplate.objects.get(name="学校检查表")
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    version = made.current
    assert version.number == 1 and made.jurisdiction == org.street and made.category == "school"
    first, second = version.items.order_by("order")
    assert (first.text, first.severity, first.photo_required, first.weight) == ("校门口监控摄像头工作正常", "serious", True, 5)
    assert second.options == ["在岗", "脱岗", "无人值守"] and second.failing_options == ["脱岗", "无人值守"]
    shown = client.get(response["Location"]).content.decode()
    assert "第 1 版" in shown and "2 个检查项" in shown


def test_edit_of_used_version_makes_v2_and_v1_keeps_its_items(org, login, station, template):
    v1 = template.current
    inspect(org.user("inspector1"), station, v1)
    before = list(v1.items.values_list("pk", "text", "severity"))
    client = login(org.user("office"))
    page = client.get(reverse("inspections:checklisttemplate_edit", args=[template.pk])).content.decode()
    assert "第 1 版已在检查中使用" in page and "第 2 版" in page
    rows = services.items_of(v1)
    rows[0] = rows[0] | {"text": "灭火器在有效期内且压力正常"}
    rows.append({"section": "安防", "text": "监控录像保存30天以上", "answer_type": "yes_no", "severity": "serious"})
    data = post_data(org.street, name=template.name, category="petroleum", rows=rows, note="加了监控一项",
                     **{"items-INITIAL_FORMS": 5})  # as the page says: five stored rows, then new ones
    response = client.post(reverse("inspections:checklisttemplate_edit", args=[template.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == template.get_absolute_url()
    assert "已另存为第 2 版" in response.content.decode()
    template.refresh_from_db()
    v2 = template.current
    assert v2.number == 2 and v2.note == "加了监控一项" and v2.items.count() == 6
    assert v2.items.order_by("order").first().text == "灭火器在有效期内且压力正常"
    assert list(v1.items.values_list("pk", "text", "severity")) == before  # untouched
    old = client.get(template.get_absolute_url(), {"version": 1}).content.decode()
    assert "灭火器在有效期内<" in old and "灭火器在有效期内且压力正常" not in old
    assert "监控录像保存30天以上" not in old and "你正在查看第 1 版" in old
    assert client.get(template.get_absolute_url(), {"version": 9}).status_code == 404

    # saving again without touching the items makes no third version
    again = post_data(org.street, name="加油站检查表（2027）", category="petroleum", rows=services.items_of(v2))
    client.post(reverse("inspections:checklisttemplate_edit", args=[template.pk]), again)
    template.refresh_from_db()
    assert template.name == "加油站检查表（2027）" and template.versions.count() == 2


def test_edit_of_unused_version_changes_it_in_place(org, login, template):
    client = login(org.user("office"))
    rows = services.items_of(template.current)[:2]
    response = client.post(reverse("inspections:checklisttemplate_edit", args=[template.pk]),
                           post_data(org.street, name=template.name, category="petroleum", rows=rows), follow=True)
    assert "尚未使用" in response.content.decode()
    assert template.versions.count() == 1 and template.current.items.count() == 2


def test_bad_rows_show_their_errors_and_nothing_is_stored(org, login):
    rows = [TWO[0],
            {"section": "安防", "text": "周界报警温度", "answer_type": "number", "unit_label": "℃"},
            {"section": "值守", "text": "门卫值守情况", "answer_type": "choice", "options": "在岗"}]
    client = login(org.user("office"))
    response = client.post(reverse("inspections:checklisttemplate_create"), post_data(org.street, rows=rows))
    assert response.status_code == 200
    page = response.content.decode()
    number_row = page.split('data-row="2"')[1].split("</fieldset>")[0]
    choice_row = page.split('data-row="3"')[1].split("</fieldset>")[0]
    assert 'data-field="items-1-min_value"' in number_row and "合格下限或上限" in number_row
    assert 'data-field="items-2-options"' in choice_row and "至少要有两个选项" in choice_row
    assert "has-error" not in page.split('data-row="1"')[0].rsplit("<fieldset", 1)[1]  # the good row is not marked
    assert "第 2、3 项" in page
    assert not ChecklistTemplate.objects.exists() and not TemplateItem.objects.exists()

    # an edit with a bad row changes nothing either
    template = services.create_template(node=org.street, name="学校检查表", category="school", items=[TWO[0]])
    bad = post_data(org.street, rows=[TWO[0] | {"text": "改了的问题"}, rows[1]])
    response = client.post(reverse("inspections:checklisttemplate_edit", args=[template.pk]), bad)
    assert response.status_code == 200 and 'data-field="items-1-min_value"' in response.content.decode()
    assert list(template.current.items.values_list("text", flat=True)) == ["校门口监控摄像头工作正常"]
    assert TemplateVersion.objects.count() == 1


def test_a_service_error_keyed_by_item_goes_to_its_row(org):
    """What the service says about items.<n>.<field> lands on the n-th kept row (blank and removed
    rows do not count)."""
    rows = [TWO[0] | {"DELETE": True}, TWO[0], {"section": "", "text": ""}, TWO[1]]
    form = ChecklistTemplateForm(post_data(org.street, rows=rows), user=org.user("office"))
    assert form.is_valid()
    assert len(form.item_values()) == 2
    form.add_service_errors(ValidationError({"items.2.failing_options": ["坏的"], "name": ["重名"]}))
    assert form.items.forms[3].errors["failing_options"] == ["坏的"] and not form.items.forms[1].errors
    assert form.errors["name"] == ["重名"]
    assert split_choices("甲、乙\n丙\r\n 甲 ") == ["甲", "乙", "丙"]


def test_viewer_gets_no_edit_button_and_403(org, login, template):
    client = login(org.user("viewer"))
    detail = client.get(template.get_absolute_url()).content.decode()
    edit_url = reverse("inspections:checklisttemplate_edit", args=[template.pk])
    assert "加油站检查表" in detail and edit_url not in detail
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, post_data(org.street, rows=TWO)).status_code == 403
    assert client.get(reverse("inspections:checklisttemplate_create")).status_code == 403
    page = client.get(reverse("inspections:checklisttemplate_list")).content.decode()
    assert "安装标准检查表" not in page and reverse("inspections:checklisttemplate_create") not in page
    assert template.versions.count() == 1


@pytest.mark.parametrize("who", ["office", "inspector1"])
def test_who_may_edit_sees_the_edit_button(org, login, station, template, who):
    detail = login(org.user(who)).get(template.get_absolute_url()).content.decode()
    assert reverse("inspections:checklisttemplate_edit", args=[template.pk]) in detail


def test_a_checklist_made_not_in_use_and_put_in_use_again(org, login):
    client = login(org.user("office"))
    client.post(reverse("inspections:checklisttemplate_create"), post_data(org.street, rows=TWO, active=False))
    made = ChecklistTemplate.objects.get(name="学校检查表")
    assert made.active is False and made.current.items.count() == 2
    assert "停用" in client.get(reverse("inspections:checklisttemplate_list")).content.decode()
    client.post(reverse("inspections:checklisttemplate_edit", args=[made.pk]),
                post_data(org.street, rows=services.items_of(made.current), active=True))
    made.refresh_from_db()
    assert made.active is True and made.versions.count() == 1  # the items unchanged: no new version
