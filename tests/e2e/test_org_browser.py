"""A person logs in, walks the tree, and creates a unit — in Chromium."""

import pytest

from shouwang.core.models import ChangeLogEntry, Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_walk_tree_and_create_unit(org, units, log_in):
    user = org.user("office")
    user.set_password("pw-office")
    user.save()
    page = log_in("office", "pw-office")

    page.click("nav.sections >> text=组织")  # Chinese by default
    page.wait_for_selector("#tree")
    street = page.locator("li[data-node=S]")
    street.locator("button.toggle").click()
    page.wait_for_selector("li[data-node=C1]")
    assert page.locator("li[data-node=C2]").is_visible()
    page.locator("li[data-node=C1] > a").click()
    page.wait_for_selector("h1:has-text('一社区')")

    page.goto("/org/units/new/")
    page.select_option("#id_jurisdiction", str(org.c1.pk))
    page.fill("#id_name", "浏览器新建的便利店")
    page.select_option("#id_kind", "business")
    page.fill("#id_lat", "95")  # out of range: the form says which field and why
    page.click("main button[type=submit]")
    page.wait_for_selector("ul.errorlist[data-field=lat]")
    assert not Unit.objects.filter(name="浏览器新建的便利店").exists()
    page.fill("#id_lat", "31.2")
    page.fill("#id_lon", "121.4")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('浏览器新建的便利店')")
    unit = Unit.objects.get(name="浏览器新建的便利店")
    assert unit.jurisdiction_id == org.c1.pk
    assert ChangeLogEntry.objects.filter(object_id=str(unit.pk), action="create", source="web", user=user).exists()
