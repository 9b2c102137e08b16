"""The incident workflow in fewer steps: a report returns to the incident, the next report starts
from the last one's elements, and the page says before closing what is still missing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.incidents import services

from .conftest import make_incident, preset_b, report_fields  # noqa: F401 - fixture


def _report(org, incident, **kw):
    fields = {"kind": "first", "means": "phone", "reported_by": "值班员", "reported_to": "领导小组", **report_fields(), **kw}
    return services.submit_report(incident, user=org.user("office"), **fields)[0]


def test_the_final_report_starts_from_the_last_report(login, org, preset_b):  # noqa: F811
    incident = make_incident(org)
    _report(org, incident, progress="伤者已送医，嫌疑人已带离", seriously_injured=2)
    form = login(org.user("office")).get(reverse("incidents:report_create", args=[incident.pk]) + "?kind=final")
    initial = form.context["form"].initial
    assert initial["kind"] == "final"
    assert initial["progress"] == "伤者已送医，嫌疑人已带离" and initial["seriously_injured"] == 2
    assert "伤者已送医，嫌疑人已带离" in form.content.decode()


def test_the_page_says_what_closing_still_needs(login, org, preset_b):  # noqa: F811
    incident = make_incident(org)
    client = login(org.user("office"))
    page = client.get(incident.get_absolute_url()).content.decode()
    assert 'id="close-check"' in page and "还没有终报" in page
    assert "data-close" not in page  # no close button that the service would refuse
    assert reverse("incidents:report_create", args=[incident.pk]) + "?kind=final" in page
    _report(org, incident, kind="final", means="written")
    services.add_task(incident, user=org.user("office"), title="清点现场", due_at=timezone.now() + timedelta(hours=1),
                      person=Person.objects.create(jurisdiction=org.c1, name="队员甲", kind=PersonKind.STAFF))
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "还没有终报" not in page and "data-close" in page
    check = page.split('id="close-check"', 1)[1].split("</p>", 1)[0]
    assert "还有 1 项任务未完成" in check  # a loose end, said before ...
    assert 'data-confirm="还有 1 项任务未完成' in page and "仍要结束事件吗" in page  # ... and asked to confirm


def test_intake_takes_a_key_place_position_so_the_incident_is_on_the_board(login, org, preset_b):  # noqa: F811
    from shouwang.incidents.models import Incident
    from shouwang.registers.models import KeyPlace

    place = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区菜场", kind="market", address="柳岸路30号",
                                    lat=31.2301, lon=121.4702)
    client = login(org.user("office"))
    page = client.get(reverse("incidents:intake"))
    assert place.name in page.content.decode() and 'id="intake-map"' in page.content.decode()
    response = client.post(reverse("incidents:intake"), {
        "title": "菜场门口纠纷", "address": "柳岸路30号", "jurisdiction": org.c1.pk, "category": "violent_attack",
        "level": "IV", "key_place": place.pk, "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    incident = Incident.objects.get(title="菜场门口纠纷")
    assert (incident.lat, incident.lon) == (place.lat, place.lon)
    response = client.post(reverse("incidents:intake"), {
        "title": "路口积水", "address": "柳岸路口", "jurisdiction": org.c1.pk, "category": "violent_attack",
        "level": "IV", "lat": "31.2400", "lon": "121.4800",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert Incident.objects.get(title="路口积水").lat == 31.24  # a tap on the map
