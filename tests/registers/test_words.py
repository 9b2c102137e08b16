"""The category words offices write (自来水, 天然气...) are a table the office edits: seeded with the
words the importer always knew, read by every import, each write in the change log, edited by
those who may import key places."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from shouwang.registers import importing
from shouwang.registers.models import CategoryWord
from tests.crud import log_rows


def sheet(rows):
    """A plain sheet with a node column, in the office's words."""
    wb = Workbook()
    ws = wb.active
    ws.append(["节点编码", "名称", "类别", "纬度", "经度"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def categories(user, rows):
    parsed = importing.parse(sheet(rows), user)
    return {r.data["name"]: (r.data["category"], r.errors, r.warnings) for r in parsed.rows}


@pytest.fixture
def office(org, units):
    return org.user("office")


def test_a_fresh_database_knows_the_words_the_importer_always_knew(office):
    assert CategoryWord.objects.filter(word="自来水", category="water").exists()
    assert CategoryWord.objects.filter(word="天然气", category="gas").exists()
    found = categories(office, [["C1", "一社区水厂泵站", "自来水", 31.23, 121.47],
                                ["C1", "一社区燃气调压站", "天然气", 31.231, 121.471],
                                ["C1", "一社区第一小学", "小学", "", ""]])
    assert {name: cat for name, (cat, _e, _w) in found.items()} == {
        "一社区水厂泵站": "water", "一社区燃气调压站": "gas", "一社区第一小学": "school"}
    assert all(not errors for _c, errors, _w in found.values())
    assert any("自来水" in w and "供水" in w for w in found["一社区水厂泵站"][2])  # the preview says what it matched


def test_the_import_reads_the_table_not_a_list_in_the_code(office):
    CategoryWord.objects.filter(word="自来水").delete()
    found = categories(office, [["C1", "一社区水厂泵站", "自来水", "", ""], ["C1", "一社区供水站", "供水", "", ""]])
    assert found["一社区水厂泵站"][0] is None and found["一社区水厂泵站"][1]  # unknown now
    assert found["一社区供水站"][0] == "water"  # the category's own name always works


def test_a_word_added_on_the_page_is_used_by_the_next_import(office, login, org):
    client = login(office)
    page = client.get(reverse("registers:import")).content.decode()
    assert reverse("registers:categoryword_list") in page  # the import page leads to the words
    response = client.post(reverse("registers:categoryword_create"), {"word": "净水厂", "category": "water"})
    assert response.status_code == 302
    assert categories(office, [["C1", "一社区净水厂", "净水厂", "", ""]])["一社区净水厂"][0] == "water"
    word = CategoryWord.objects.get(word="净水厂")
    assert client.post(reverse("registers:categoryword_edit", args=[word.pk]),
                       {"word": "净水厂", "category": "gas"}).status_code == 302
    assert categories(office, [["C1", "一社区净水厂", "净水厂", "", ""]])["一社区净水厂"][0] == "gas"
    # the preview page shows the word and the category it matched
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("words.xlsx", sheet([["C1", "一社区净水厂", "净 水 厂", "", ""]]).getvalue())
    preview = client.get(client.post(reverse("registers:import"), {"file": upload})["Location"]).content.decode()
    assert "净 水 厂 → 供气" in preview or "净水厂 → 供气" in preview


def test_a_duplicate_word_is_refused_on_its_field(office, login):
    client = login(office)
    before = CategoryWord.objects.count()
    # the same word once normalised (full-width letters, spaces, case) is the same word
    response = client.post(reverse("registers:categoryword_create"), {"word": "自 来　水", "category": "gas"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["word"] and "自来水" in errors["word"][0]
    page = response.content.decode()
    assert 'data-field="word"' in page and "词语“自来水”已在表中（按“供水”导入）" in page  # named, in Chinese
    # a category's own name cannot be given to another category
    response = client.post(reverse("registers:categoryword_create"), {"word": "供水", "category": "gas"})
    assert response.status_code == 200 and "word" in response.context["form"].errors
    assert CategoryWord.objects.count() == before


def test_every_write_is_in_the_change_log(office, login):
    client = login(office)
    client.post(reverse("registers:categoryword_create"), {"word": "净水厂", "category": "water"})
    word = CategoryWord.objects.get(word="净水厂")
    row = log_rows(word, "create").get()
    assert row.user == office and row.source == "web" and row.after["category"] == "water"
    client.post(reverse("registers:categoryword_edit", args=[word.pk]), {"word": "净水厂", "category": "gas"})
    row = log_rows(word, "update").get()
    assert row.before["category"] == "water" and row.after["category"] == "gas"
    assert client.post(reverse("registers:categoryword_delete", args=[word.pk])).status_code == 302
    assert not CategoryWord.objects.filter(pk=word.pk).exists()
    assert log_rows(word, "delete").get().before["word"] == "净水厂"


def test_the_list_shows_the_words_and_answers_htmx(office, login):
    client = login(office)
    page = client.get(reverse("registers:categoryword_list")).content.decode()
    assert "自来水" in page and "供水" in page
    only = client.get(reverse("registers:categoryword_list") + "?category=gas", HTTP_HX_REQUEST="true")
    assert b"<html" not in only.content and "天然气" in only.content.decode() and "自来水" not in only.content.decode()


@pytest.mark.parametrize("name", ["viewer", "patrol1"])
def test_those_who_may_not_import_may_not_edit_the_words(org, login, name):
    client = login(org.user(name))
    word = CategoryWord.objects.get(word="自来水")
    assert client.get(reverse("registers:categoryword_list")).status_code == 200  # they may read it
    assert client.get(reverse("registers:categoryword_create")).status_code == 403
    assert client.post(reverse("registers:categoryword_create"), {"word": "净水厂", "category": "water"}).status_code == 403
    assert client.get(reverse("registers:categoryword_edit", args=[word.pk])).status_code == 403
    assert client.post(reverse("registers:categoryword_edit", args=[word.pk]),
                       {"word": "自来水", "category": "gas"}).status_code == 403
    assert client.post(reverse("registers:categoryword_delete", args=[word.pk])).status_code == 403
    word.refresh_from_db()
    assert word.category == "water" and not CategoryWord.objects.filter(word="净水厂").exists()
    assert client.get(reverse("registers:import")).status_code == 403  # the same rule as the import


def test_anonymous_is_sent_to_login(client):
    for name in ("list", "create"):
        response = client.get(reverse(f"registers:categoryword_{name}"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_grid_worker_who_may_import_may_edit_the_words(org, login):
    response = login(org.user("grid1")).post(reverse("registers:categoryword_create"),
                                             {"word": "净水厂", "category": "water"})
    assert response.status_code == 302 and CategoryWord.objects.filter(word="净水厂").exists()
