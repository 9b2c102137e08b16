import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openapi_spec_validator import validate

from shouwang.core.models import Group, Jurisdiction, Person, Unit


def test_healthz(client, db):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"] == "ok" and data["version"]


def test_openapi_schema_is_valid_and_covers_every_endpoint(api, org):
    response = api(org.user("admin")).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    from shouwang.api_urls import router

    for prefix, _viewset, _basename in router.registry:
        assert f"/api/{prefix}/" in schema["paths"], prefix


def test_api_docs_served_without_cdn(login, org):
    page = login(org.user("admin")).get("/api/docs/").content.decode()
    assert "swagger" in page.lower() and "cdn" not in page.lower() and "//unpkg" not in page


def test_token_authentication(client, org):
    from rest_framework.authtoken.models import Token

    org.user("grid1").set_password("secret-1")
    org.user("grid1").save()
    token = client.post("/api/token/", {"username": "grid1", "password": "secret-1"}).json()["token"]
    assert Token.objects.get(key=token).user == org.user("grid1")
    response = client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_chinese_by_default_english_on_switch(client, org):
    client.force_login(org.user("grid1"))
    page = client.get(reverse("core:unit_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "单位" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:unit_list")).content.decode()
    assert "Units" in page


def test_demo_loads_once(db):
    call_command("load_demo")
    counts = (Jurisdiction.objects.count(), Unit.objects.count(), Person.objects.count(), Group.objects.count())
    call_command("load_demo")
    assert counts == (Jurisdiction.objects.count(), Unit.objects.count(), Person.objects.count(), Group.objects.count())
    street = Jurisdiction.objects.get(code="QL-WC")
    assert len(street.children()) == 6
    assert 35 <= counts[1] <= 45 and 100 <= counts[2] <= 240  # 47 of them the street's reserve team (resources), the schools' staff
    assert Group.objects.filter(kind="working").count() == 8
    assert get_user_model().objects.filter(username__in=["leader", "office", "grid", "patrol", "inspector", "liaison", "viewer"]).count() == 7


def test_login_page(client, org):
    org.user("grid1").set_password("pw-x")
    org.user("grid1").save()
    response = client.post(reverse("login"), {"username": "grid1", "password": "pw-x"})
    assert response.status_code == 302
    bad = client.post(reverse("login"), {"username": "grid1", "password": "wrong"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_detail_pages_show_local_time(login, org, units):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from shouwang.core.tables import display

    unit = units["c1"]
    unit.created_at = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert display(unit, "created_at") == "2026-11-23 07:30"


def test_not_found_and_forbidden_pages_are_in_the_shell(client, org, units):
    client.force_login(org.user("grid1"))
    page = client.get(f"/org/units/{units['c2'].pk}/")
    assert page.status_code == 404 and "辖区" in page.content.decode() and "<nav" in page.content.decode()
    forbidden = client.get("/org/roles/new/")
    assert forbidden.status_code == 403 and "<nav" in forbidden.content.decode()
