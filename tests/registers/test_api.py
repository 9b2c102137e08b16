"""Wall, colour setting, review, movements and attachments through pages and API; filters; ledger."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shouwang.registers import services
from shouwang.registers.models import Attachment, RiskRating


def test_setting_a_colour_on_the_wall_needs_a_reason_when_it_differs(org, login, place):
    client = login(org.user("office1"))
    response = client.post(f"/registers/places/{place.pk}/colour/", {"colour": "red", "next": "/registers/wall/"})
    assert response.status_code == 302 and not RiskRating.objects.exists()
    page = client.get("/registers/wall/").content.decode()
    assert "reason" in page or "原因" in page  # the message says why
    client.post(f"/registers/places/{place.pk}/colour/", {"colour": "red", "reason": "周边施工", "next": "/registers/wall/"})
    page = client.get("/registers/wall/").content.decode()
    red = page.split('wall-col wall-red"')[1].split("</section>")[0]
    assert place.name in red
    assert RiskRating.objects.get().set_by == org.user("office1")


def test_viewer_cannot_set_a_colour_and_out_of_scope_is_404(org, login, place_factory):
    mine, other = place_factory(), place_factory(node=org.c2, name="别处")
    assert login(org.user("viewer")).post(f"/registers/places/{mine.pk}/colour/", {"colour": "green"}).status_code == 403
    assert login(org.user("office1")).post(f"/registers/places/{other.pk}/colour/", {"colour": "green"}).status_code == 404


def test_wall_compares_today_with_yesterday(org, login, place):
    import datetime

    from django.utils import timezone

    services.set_colour(place, colour="blue", reason="常态", day=timezone.localdate() - datetime.timedelta(days=1))
    services.set_colour(place, colour="red", reason="活动")
    page = login(org.user("office1")).get("/registers/wall/").content.decode()
    assert "↑" in page


def test_review_page_action_meets_the_obligation(org, login, place):
    from shouwang.obligations.models import Obligation

    ob = Obligation.objects.for_subject(place).get()
    assert login(org.user("office1")).post(f"/registers/places/{place.pk}/review/").status_code == 302
    ob.refresh_from_db()
    assert ob.met_at is not None and Obligation.objects.for_subject(place).count() == 2


def test_movement_page_refuses_going_below_zero(org, login, stock):
    client = login(org.user("office1"))
    client.post(f"/registers/stock/{stock.pk}/move/", {"kind": "out", "quantity": "11"})
    stock.refresh_from_db()
    assert stock.quantity == 10
    client.post(f"/registers/stock/{stock.pk}/move/", {"kind": "loss", "quantity": "1", "description": "泄漏"})
    stock.refresh_from_db()
    assert stock.quantity == 9
    assert "泄漏" in client.get(f"/registers/stock/{stock.pk}/").content.decode()


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def test_attachments_photos_must_be_images(org, login, place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(org.user("office1"))
    fake = SimpleUploadedFile("photo.jpg", b"not an image")
    client.post(f"/registers/places/{place.pk}/attachments/", {"kind": "photo", "title": "门口", "file": fake})
    assert not Attachment.objects.exists()
    exe = SimpleUploadedFile("plan.exe", b"MZ")
    client.post(f"/registers/places/{place.pk}/attachments/", {"kind": "plan", "title": "预案", "file": exe})
    assert not Attachment.objects.exists()
    photo = SimpleUploadedFile("gate.png", _png())
    client.post(f"/registers/places/{place.pk}/attachments/", {"kind": "photo", "title": "门口", "file": photo})
    attachment = Attachment.objects.get()
    assert attachment.size > 0 and attachment.jurisdiction == place.jurisdiction
    assert (tmp_path / attachment.file.name).exists()
    response = client.get(f"/registers/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == _png()
    assert login(org.user("grid2")).get(f"/registers/attachments/{attachment.pk}/").status_code == 404


def test_api_filters_by_kind_colour_node_and_review_state(org, api, place_factory):
    import time_machine

    school = place_factory(name="学校", category="school")
    square = place_factory(name="广场", kind="area", category="square", node=org.grid)
    other = place_factory(node=org.c2, name="二社区学校", category="school")
    services.set_colour(square, colour="red", reason="活动")
    client = api(org.user("office"))

    def names(query):
        return {row["name"] for row in client.get(f"/api/key-places/?{query}").json()["results"]}

    assert names("kind=area") == {"广场"}
    assert names("colour=red") == {"广场"}
    assert names(f"node={org.c1.pk}") == {"学校", "广场"}
    assert names(f"node={org.grid.pk}") == {"广场"}
    assert names("review_state=overdue") == set()
    with time_machine.travel(school.created_at.timestamp() + 31 * 86400, tick=False):
        services.review_place(other)
        assert names("review_state=overdue") == {"学校", "广场"}
        assert names("review_state=current") == {"二社区学校"}
        row = client.get(f"/api/key-places/{square.pk}/").json()
        assert row["colour"] == "red" and row["review_overdue"] is True


def test_api_colour_and_movement_actions(org, api, place, stock):
    import uuid

    client = api(org.user("office1"))
    response = client.post(f"/api/key-places/{place.pk}/colour/", {"colour": "green"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post("/api/risk-ratings/", {"place": place.pk, "colour": "blue"}, format="json")
    assert response.status_code == 201 and response.json()["rule_colour"] == "blue"
    cid = str(uuid.uuid4())
    for _ in range(2):
        response = client.post("/api/stock-movements/", {"stock": stock.pk, "kind": "out", "quantity": "2",
                                                         "client_id": cid}, format="json")
        assert response.status_code == 201
    stock.refresh_from_db()
    assert stock.quantity == 8
    response = client.post("/api/stock-movements/", {"stock": stock.pk, "kind": "out", "quantity": "20"}, format="json")
    assert response.status_code == 400 and "quantity" in response.json()
    response = client.post("/api/stock-movements/", {"stock": stock.pk, "kind": "in", "quantity": "-1"}, format="json")
    assert response.status_code == 400 and "quantity" in response.json()
    assert api(org.user("viewer")).post("/api/stock-movements/", {"stock": stock.pk, "kind": "in", "quantity": "1"},
                                        format="json").status_code == 403


@pytest.mark.parametrize("payload, field", [
    ({"lat": 95, "lon": 121}, "lat"),
    ({"category": "spaceport"}, "category"),
    ({"category": "school", "kind": "area"}, "category"),
    ({"polygon": {"type": "Polygon", "coordinates": [[[121.4, 31.2], [121.41, 31.21], [121.41, 31.2], [121.4, 31.21],
                                                      [121.4, 31.2]]]}}, "polygon"),
])
def test_api_refuses_bad_key_places_per_field(org, api, payload, field):
    body = {"jurisdiction": org.c1.pk, "name": "新场所", "kind": "unit", "category": "school", **payload}
    response = api(org.user("office1")).post("/api/key-places/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_api_refuses_negative_stock(org, api, place):
    body = {"jurisdiction": org.c1.pk, "place": place.pk, "substance": "x", "hazard_class": "3", "quantity": "-1"}
    response = api(org.user("office1")).post("/api/hazardous-stock/", body, format="json")
    assert response.status_code == 400 and "quantity" in response.json()


def test_ledger_rolls_up_and_prints_as_word(org, login, place_factory, defence, units):
    from docx import Document

    place_factory(node=org.grid, name="网格里的桥", kind="site", category="bridge")
    place_factory(node=org.c2, name="二社区学校", category="school")
    client = login(org.user("office"))
    response = client.get(f"/registers/ledger/?node={org.street.pk}")
    rows = {r[0]: r for r in response.context["rows"]}
    titles = response.context["titles"]
    places_col = titles.index(next(t for t in titles if t in ("key places", "重点场所")))
    assert rows["一社区"][places_col] == "2" and rows["二社区"][places_col] == "1"
    assert response.context["total"][places_col] == "3"
    response = client.get(f"/registers/ledger.docx?node={org.street.pk}")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "综合防控台账" in text and "测试街道" in text
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "辖区" and table.rows[-1].cells[0].text == "合计"
    assert login(org.user("office1")).get(f"/registers/ledger/?node={org.c2.pk}").status_code == 404


def test_api_uploads_an_attachment_and_refuses_a_fake_photo(org, api, place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api(org.user("office1"))
    fake = SimpleUploadedFile("x.jpg", b"nope")
    response = client.post("/api/attachments/", {"place": place.pk, "kind": "photo", "title": "门", "file": fake},
                           format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    photo = SimpleUploadedFile("gate.png", _png())
    response = client.post("/api/attachments/", {"place": place.pk, "kind": "photo", "title": "门", "file": photo},
                           format="multipart")
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    assert attachment.jurisdiction == place.jurisdiction and attachment.size == len(_png())


def test_hazardous_stock_is_kept_at_a_key_unit(org, api, place_factory):
    square = place_factory(name="广场", kind="area", category="square")
    body = {"jurisdiction": org.c1.pk, "place": square.pk, "substance": "x", "hazard_class": "3", "quantity": "1"}
    response = api(org.user("office1")).post("/api/hazardous-stock/", body, format="json")
    assert response.status_code == 400 and "place" in response.json()


def test_new_place_form_takes_the_review_period_from_policy(org, login):
    from shouwang.policies.models import Policy
    from shouwang.policies.services import assign, new_version

    policy = Policy.objects.create(code="p", name="p")
    new_version(policy, {"review_periods": {"keyplace_days": 14}})
    assign(org.street, policy)
    response = login(org.user("office1")).get(f"/registers/places/new/?jurisdiction={org.c1.pk}")
    assert response.context["form"].initial["review_period_days"] == 14
