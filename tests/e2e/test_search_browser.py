"""In Chromium: a list sorts when its header is clicked; the header's search box finds an
incident by its number."""

import pytest

from shouwang.core.choices import UnitKind
from shouwang.core.models import Unit
from tests.e2e.conftest import log_in_page
from tests.incidents.conftest import make_incident, preset_b  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_list_sorts_by_a_clicked_header(page, org):
    for name in ("乙单位", "甲单位", "丙单位"):
        Unit.objects.create(jurisdiction=org.c1, name=name, kind=UnitKind.SCHOOL)
    log_in_page(page, "office", "pw-office")
    page.goto("/org/units/")
    first_column = "#object-table tbody tr td:first-child"
    page.click('a[data-sort="name"]')
    page.wait_for_url("**sort=name**")
    page.wait_for_function("document.querySelector('a[data-sort=name]').textContent.includes('▲')")
    ascending = page.locator(first_column).all_inner_texts()
    page.click('a[data-sort="name"]')
    page.wait_for_url("**sort=-name**")
    page.wait_for_function("document.querySelector('a[data-sort=name]').textContent.includes('▼')")
    descending = page.locator(first_column).all_inner_texts()
    assert ascending == sorted(ascending) and descending == ascending[::-1]


def test_global_search_finds_an_incident_by_number(page, org, preset_b):  # noqa: F811
    incident = make_incident(org, node=org.c1)
    log_in_page(page, "office", "pw-office")
    page.goto("/")
    page.fill(".global-search input[name=q]", incident.number)
    page.press(".global-search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=**")
    page.click(f"text={incident.number}")
    page.wait_for_url(f"**{incident.get_absolute_url()}")
    assert incident.title in page.content()
