"""The pages and the API of resources as people use them: the store's stock by lot with expiry
colours and the standard, the issue page proposing the earliest-expiring lot and a refusal shown
on its field with nothing written, the stock card's running balance, the call-out's check-in,
the phone's acknowledgement through the API (201, 200 again, 409 for another's key, 403 for
someone not called out), bad input answered 400 by field."""

import re
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shouwang.resources import services
from shouwang.resources.models import CallOutAnswer, Lot, StockMovement

from .conftest import days


def test_the_store_page_shows_lots_earliest_expiry_first_with_their_colours(client, org, standard, stocked):
    client.force_login(org.user("office1"))
    html = client.get(stocked["store"].get_absolute_url()).content.decode()
    buckets = re.findall(r'data-lot="\d+" data-bucket="([^"]+)"', html)
    assert buckets == ["none", "expired", "30", "later"]  # blankets; water by expiry date
    assert "expiry-expired" in html and "expiry-30" in html
    assert "储备标准 20 箱" in html and "达到标准" in html  # 40 boxes not expired against 20
    assert "储备标准 50 床" in html


def test_the_issue_page_proposes_the_earliest_lot_and_a_refusal_shows_on_its_field(client, org, items, stocked):
    client.force_login(org.user("office1"))
    url = reverse("resources:issue", args=[stocked["store"].pk])
    page = client.get(url + f"?item={items['water'].pk}").content.decode()
    proposed = re.findall(r'data-item="{}" data-lot="(\d+)"'.format(items["water"].pk), page)
    assert proposed[0] == str(stocked["soon"].pk) and str(stocked["old"].pk) not in proposed
    before = StockMovement.objects.count()
    response = client.post(url, {"item": items["water"].pk, "quantity": "100", "client_id": str(uuid.uuid4())})
    assert response.status_code == 200
    assert response.context["form"].errors == {"quantity": ["本仓库未过期的瓶装饮用水仅剩40箱。"]}
    response = client.post(url, {"item": items["water"].pk, "quantity": "2", "lot": stocked["old"].pk})
    assert list(response.context["form"].errors) == ["reason"]
    assert StockMovement.objects.count() == before
    key = str(uuid.uuid4())
    for _twice in range(2):  # a resubmitted form is the first submission
        response = client.post(url, {"item": items["water"].pk, "quantity": "12", "recipient": "安置点", "client_id": key})
        assert response.status_code == 302
    assert StockMovement.objects.count() == before + 2  # W-SOON 10 and W-LATE 2, once


def test_the_stock_card_runs_the_balance_of_the_item_in_the_store(client, org, items, stocked):
    services.issue(stocked["store"], items["water"], 12, by=org.user("office1"), recipient="安置点")
    services.receive(stocked["store"], items["water"], 2, by=org.user("office1"), lot_number="W-LATE",
                     expires_on=stocked["late"].expires_on, description="年度采购入库")
    client.force_login(org.user("office1"))
    html = client.get(reverse("resources:stock_card", args=[items["water"].pk]) + f"?store={stocked['store'].pk}")
    balances = re.findall(r'data-label="结存" class="num"><b>([\d.]+)</b>', html.content.decode())
    assert balances == ["5", "15", "45", "35", "33", "35"]
    details = re.findall(r'data-label="详情">(.*?)</td>', html.content.decode(), re.S)
    assert "年度采购入库" in details[-1] and "安置点" in details[-2]  # what each line was for, as the store shows it
    export = client.get(reverse("resources:stock_card_export", args=[items["water"].pk]) + f"?store={stocked['store'].pk}")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(export.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:7] == ("日期时间", "摘要", "批号", "有效期至", "收入", "发出", "结存")
    assert rows[1][1] == "期初结存" and [r[6] for r in rows[2:]] == [5, 15, 45, 35, 33, 35]
    assert rows[-1][7] == "年度采购入库"
    assert export["Content-Disposition"].startswith("attachment")


def test_the_ledger_exports_what_the_filter_shows(client, org, items, stocked, stores):
    services.receive(stores["c2"], items["blanket"], 7, by=org.user("office"))
    client.force_login(org.user("office1"))
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get(reverse("resources:ledger_export") + f"?item={items['water'].pk}")
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("日期时间", "仓库", "物资名称", "规格型号")
    assert {r[2] for r in rows[1:]} == {"瓶装饮用水"} and len(rows) == 4
    everything = client.get(reverse("resources:ledger_export"))
    names = {r[1] for r in list(load_workbook(BytesIO(everything.content)).worksheets[0].iter_rows(values_only=True))[1:]}
    assert names == {"一社区储备点"}  # not the other community's store


def test_the_call_out_page_checks_members_in_and_shows_the_shares(client, org, reserve):
    callout = services.call_out(reserve, by=org.user("office1"))
    client.force_login(org.user("office1"))
    members = list(reserve.members.order_by("name")[:2])
    response = client.post(reverse("resources:checkin", args=[callout.pk]), {"persons": [m.pk for m in members]})
    assert response.status_code == 302
    html = client.get(callout.get_absolute_url()).content.decode()
    assert "到达2人" in html and re.search(r'data-share="arrived_30".*?2/5 \(40%\)', html, re.S)
    assert CallOutAnswer.objects.filter(arrived_at__isnull=False).count() == 2


def test_the_readiness_summary_is_a_chinese_a4_word_document(client, org, standard, stocked, reserve, point):
    services.call_out(reserve, by=org.user("office1"))
    client.force_login(org.user("office"))
    response = client.get(reverse("resources:readiness_docx") + f"?node={org.street.pk}")
    from io import BytesIO

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "测试街道应急资源准备情况" in text and "一、应急物资" in text and "三、应急预备队" in text
    assert "一社区应急预备队：在册5人" in text
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1) and abs(section.page_height - Cm(29.7)) < Cm(0.1)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "一社区第二储备点" in cells and "已过期" in cells and "一社区分流点" in cells
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"宋体"}


def test_the_phone_page_and_its_data_are_the_members(client, org, reserve):
    callout = services.call_out(reserve, by=org.user("office1"), message="集合测试")
    client.force_login(org.user("member0"))
    assert client.get(reverse("resources:phone")).status_code == 200
    data = client.get(reverse("resources:phone_data")).json()
    assert [c["id"] for c in data["callouts"]] == [callout.pk] and data["callouts"][0]["message"] == "集合测试"
    assert data["callouts"][0]["sent_at"].endswith("+08:00")
    client.force_login(org.user("patrol1"))
    assert client.get(reverse("resources:phone_data")).json()["callouts"] == []
    sw = client.get(reverse("resources:phone_sw"))
    assert sw["Content-Type"] == "application/javascript" and b"resources/phone.js" in sw.content


# --- API ------------------------------------------------------------------------------------------

def test_an_acknowledgement_from_the_phone_is_201_then_200_and_others_are_refused(api, org, reserve):
    callout = services.call_out(reserve, by=org.user("office1"))
    key = str(uuid.uuid4())
    body = {"callout": callout.pk, "client_uuid": key, "device_time": timezone.localtime().isoformat()}
    first = api(org.user("member0")).post("/api/resources/acknowledgements/", body, format="json")
    assert first.status_code == 201 and first.json()["acknowledged_at"].endswith("+08:00")
    again = api(org.user("member0")).post("/api/resources/acknowledgements/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    taken = api(org.user("member1")).post("/api/resources/acknowledgements/", body, format="json")
    assert taken.status_code == 409 and key not in taken.content.decode()
    stranger = api(org.user("patrol1")).post("/api/resources/acknowledgements/",
                                              {**body, "client_uuid": str(uuid.uuid4())}, format="json")
    assert stranger.status_code == 403
    assert CallOutAnswer.objects.filter(acknowledged_at__isnull=False).count() == 1


def test_movements_through_the_api_refuse_by_field_and_replay_by_client_id(api, org, items, stocked, stores):
    client = api(org.user("office1"))
    store = stocked["store"]
    too_much = client.post("/api/resources/movements/", {"store": store.pk, "item": items["water"].pk, "kind": "out",
                                                         "quantity": "99"}, format="json")
    assert too_much.status_code == 400 and list(too_much.json()) == ["quantity"]
    expired = client.post("/api/resources/movements/", {"store": store.pk, "kind": "out", "quantity": "1",
                                                        "lot": stocked["old"].pk}, format="json")
    assert expired.status_code == 400 and list(expired.json()) == ["reason"]
    same = client.post("/api/resources/movements/transfer/", {"lot": stocked["soon"].pk, "to_store": store.pk,
                                                              "quantity": "1"}, format="json")
    assert same.status_code == 400 and list(same.json()) == ["to_store"]
    key = str(uuid.uuid4())
    body = {"store": store.pk, "item": items["water"].pk, "kind": "out", "quantity": "12", "client_id": key}
    first = client.post("/api/resources/movements/", body, format="json")
    assert first.status_code == 201 and [m["quantity"] for m in first.json()["movements"]] == ["10.000", "2.000"]
    again = client.post("/api/resources/movements/", body, format="json")
    assert again.status_code == 200 and again.json() == first.json()
    assert api(org.user("office")).post("/api/resources/movements/", body, format="json").status_code == 409
    received = client.post("/api/resources/movements/", {"store": store.pk, "item": items["kit"].pk, "kind": "in",
                                                         "quantity": "4", "lot_number": "K9",
                                                         "expires_on": days(300).isoformat()}, format="json")
    assert received.status_code == 201
    assert Lot.objects.get(lot_number="K9").quantity == 4


def test_equipment_actions_through_the_api(api, org, equipment, keepers):
    client = api(org.user("office1"))
    base = f"/api/resources/equipment/{equipment.pk}"
    not_issued = client.post(f"{base}/return/", {"condition": "good"}, format="json")
    assert not_issued.status_code == 400 and list(not_issued.json()) == ["equipment"]
    due = (timezone.now() + timedelta(hours=3)).isoformat()
    issued = client.post(f"{base}/issue/", {"person": keepers["c1"].pk, "purpose": "patrol", "due_back_at": due},
                         format="json")
    assert issued.status_code == 201 and issued.json()["returned_at"] is None
    assert client.post(f"{base}/return/", {"condition": "damaged"}, format="json").json()["state"] == "available"
    viewer = api(org.user("viewer")).post(f"{base}/issue/", {}, format="json")
    assert viewer.status_code == 403


def test_the_filters_keep_their_labels_after_the_api_schema_is_read(client, org, point):
    """The schema generator builds a form field on each FilterSet class's own filters; those were
    copied into every page's filters afterwards, and the points page read "Kind" and "Grade"."""
    client.force_login(org.user("office1"))
    assert client.get(reverse("schema")).status_code == 200
    html = client.get(reverse("resources:evacuationpoint_list")).content.decode()
    labels = re.findall(r"<label>([^<]+)<select", html)
    assert labels[:2] == ["类别", "避难场所类别"], labels
