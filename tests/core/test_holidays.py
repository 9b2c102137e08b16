"""One holiday calendar in core: pages and API for offices, the school holidays moved in from
patrols (a data migration), and the demo street's calendar."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from shouwang.core import calendar
from shouwang.core.choices import HolidayKind
from shouwang.core.models import Holiday
from tests.crud import ApiContract, PageContract


def _day(n):
    """A day of this year (the list shows this year unless asked for another)."""
    return date(timezone.localdate().year, 3, 1 + n % 28)


class HolidayContract:
    model = Holiday
    url_base = "core:holiday"
    api_path = "/api/holidays/"

    def make(self, org, node):
        first = _day(Holiday.objects.count())
        return Holiday.objects.create(jurisdiction=node, name=f"{node.name}校运会", kind=HolidayKind.SCHOOL,
                                      starts_on=first, ends_on=first)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "劳动节", "kind": HolidayKind.PUBLIC,
                "starts_on": _day(20).isoformat(), "ends_on": _day(22).isoformat()}

    payload = form_data

    def shown_as(self, obj):
        return obj.name


class TestHolidayPages(HolidayContract, PageContract):
    def test_last_day_before_first_is_refused_on_its_field(self, login, org):
        data = self.form_data(org, org.c1) | {"ends_on": _day(10).isoformat()}
        response = login(org.user("office1")).post(self.url("create"), data)
        assert response.status_code == 200
        assert "ends_on" in response.context["form"].errors
        assert "结束日期早于开始日期" in response.content.decode()
        assert not Holiday.objects.filter(name="劳动节").exists()

    def test_one_day_holiday_needs_only_its_first_day(self, login, org):
        data = self.form_data(org, org.c1) | {"ends_on": ""}
        response = login(org.user("office1")).post(self.url("create"), data)
        assert response.status_code == 302
        made = Holiday.objects.get(name="劳动节")
        assert made.ends_on == made.starts_on == _day(20)

    def test_list_is_by_year(self, login, org):
        year = timezone.localdate().year
        Holiday.objects.create(jurisdiction=org.c1, name="明年国庆", starts_on=date(year + 1, 10, 1),
                               ends_on=date(year + 1, 10, 7))
        Holiday.objects.create(jurisdiction=org.c1, name="今年国庆", starts_on=date(year, 10, 1),
                               ends_on=date(year, 10, 7))
        client = login(org.user("office1"))
        page = client.get(self.url("list")).content.decode()
        assert "今年国庆" in page and "明年国庆" not in page
        page = client.get(self.url("list") + f"?year={year + 1}").content.decode()
        assert "明年国庆" in page and "今年国庆" not in page
        assert f"?year={year + 2}" in page  # the next year's link

    def test_linked_from_the_patrols_day_and_the_tree(self, login, org):
        client = login(org.user("office"))
        holidays = reverse("core:holiday_list")
        assert holidays in client.get(reverse("patrols:today")).content.decode()
        assert holidays in client.get(reverse("core:jurisdiction_tree")).content.decode()
        # the old school-holiday address leads to the calendar
        old = client.get("/patrols/holidays/")
        assert old.status_code == 301 and old["Location"] == holidays


class TestHolidayApi(HolidayContract, ApiContract):
    def test_last_day_before_first_is_400_on_its_field(self, api, org):
        payload = self.payload(org, org.c1) | {"ends_on": _day(10).isoformat()}
        response = api(org.user("office1")).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and "ends_on" in response.json()

    def test_filters_by_kind_and_day(self, api, org):
        Holiday.objects.create(jurisdiction=org.c1, name="国庆节", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 7))
        Holiday.objects.create(jurisdiction=org.c1, name="安保期", kind=HolidayKind.SENSITIVE,
                               starts_on=date(2026, 10, 5), ends_on=date(2026, 10, 20))
        client = api(org.user("office1"))
        names = [r["name"] for r in client.get(self.api_path, {"on": "2026-10-06"}).json()["results"]]
        assert sorted(names) == ["国庆节", "安保期"]
        names = [r["name"] for r in client.get(self.api_path, {"on": "2026-10-06", "kind": "sensitive"}).json()["results"]]
        assert names == ["安保期"]
        assert client.get(self.api_path, {"year": 2025}).json()["count"] == 0


def test_calendar_public_and_school_close_schools_sensitive_does_not(org):
    Holiday.objects.create(jurisdiction=org.street, name="国庆节", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 7))
    Holiday.objects.create(jurisdiction=org.c1, name="校运会", kind=HolidayKind.SCHOOL, starts_on=date(2026, 10, 9),
                           ends_on=date(2026, 10, 9))
    Holiday.objects.create(jurisdiction=org.street, name="安保期", kind=HolidayKind.SENSITIVE,
                           starts_on=date(2026, 10, 12), ends_on=date(2026, 10, 16))
    off = calendar.days_off(org.grid, date(2026, 9, 30), date(2026, 10, 16))
    assert date(2026, 10, 1) in off and date(2026, 10, 7) in off and date(2026, 10, 9) in off
    assert date(2026, 10, 8) not in off and date(2026, 10, 12) not in off
    assert date(2026, 10, 9) not in calendar.days_off(org.c2, date(2026, 10, 9), date(2026, 10, 9))
    assert calendar.public_days_off(org.c1, date(2026, 10, 9), date(2026, 10, 9)) == set()
    found = calendar.no_school_between(date(2026, 10, 1), date(2026, 10, 31))
    assert sorted(h.name for h in found) == ["国庆节", "校运会"]


@pytest.mark.django_db(transaction=True)
def test_migration_copies_school_holidays_into_core_then_drops_the_table(org):
    executor = MigrationExecutor(connection)
    before = [("patrols", "0006_checkin_acceptance")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    SchoolHoliday = old_apps.get_model("patrols", "SchoolHoliday")
    SchoolHoliday.objects.create(jurisdiction_id=org.c1.pk, date=date(2026, 11, 20), name="运动会")
    SchoolHoliday.objects.create(jurisdiction_id=org.street.pk, date=date(2026, 12, 31), name="校庆日")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    copied = {(h.jurisdiction_id, h.name, h.kind, h.starts_on, h.ends_on) for h in Holiday.objects.all()}
    assert copied == {(org.c1.pk, "运动会", "school", date(2026, 11, 20), date(2026, 11, 20)),
                      (org.street.pk, "校庆日", "school", date(2026, 12, 31), date(2026, 12, 31))}
    assert "patrols_schoolholiday" not in connection.introspection.table_names()


def test_demo_street_has_its_2026_and_2027_calendar(db):
    from shouwang.core import demo

    demo.load(out=lambda *_: None)
    street = demo.Jurisdiction.objects.get(code=demo.STREET_CODE)
    names = set(Holiday.objects.filter(jurisdiction=street, kind=HolidayKind.PUBLIC,
                                       starts_on__year=2027).values_list("name", flat=True))
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
    assert Holiday.objects.filter(jurisdiction=street, kind=HolidayKind.PUBLIC, starts_on__year=2026).count() == 7
    assert Holiday.objects.filter(kind=HolidayKind.SCHOOL).exists()
    assert Holiday.objects.filter(kind=HolidayKind.SENSITIVE).exists()
    count = Holiday.objects.count()
    demo.load(out=lambda *_: None)  # idempotent
    assert Holiday.objects.count() == count
