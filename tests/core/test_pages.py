"""Units, people, groups and contacts: the page and API contracts."""

from shouwang.core.choices import GroupKind, PersonKind, UnitKind
from shouwang.core.models import Contact, Group, Person, Unit
from tests.crud import ApiContract, PageContract


class UnitContract:
    model = Unit
    url_base = "core:unit"
    api_path = "/api/units/"

    def make(self, org, node):
        return Unit.objects.create(jurisdiction=node, name=f"{node.code}的超市", kind=UnitKind.BUSINESS)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "新开的药店", "kind": UnitKind.BUSINESS, "address": "一路1号",
                "lat": "31.2", "lon": "121.4", "phone": "021-50001111"}

    payload = form_data


class TestUnitPages(UnitContract, PageContract):
    def test_latitude_out_of_range_shows_field_and_reason(self, login, org):
        data = self.form_data(org, org.c1) | {"lat": "95"}
        response = login(org.user("office1")).post(self.url("create"), data)
        assert response.status_code == 200
        assert "lat" in response.context["form"].errors
        assert "纬度" in response.content.decode() or "Latitude" in response.content.decode()


class TestUnitApi(UnitContract, ApiContract):
    def test_half_a_coordinate_is_refused(self, api, org):
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c1) | {"lon": None}, format="json")
        assert response.status_code == 400 and "lon" in response.json()


class PersonContract:
    model = Person
    url_base = "core:person"
    api_path = "/api/people/"

    def make(self, org, node):
        return Person.objects.create(jurisdiction=node, name=f"{node.code}张三", kind=PersonKind.VOLUNTEER)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "李四", "kind": PersonKind.VOLUNTEER, "phone": "13900000000", "active": "on"}

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "name": "李四", "kind": PersonKind.VOLUNTEER, "phone": "13900000000"}


class TestPersonPages(PersonContract, PageContract):
    pass


class TestPersonApi(PersonContract, ApiContract):
    pass


class GroupContract:
    model = Group
    url_base = "core:group"
    api_path = "/api/groups/"

    def make(self, org, node):
        return Group.objects.create(jurisdiction=node, name=f"{node.code}领导小组", kind=GroupKind.LEADING)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "自然灾害工作组", "kind": GroupKind.WORKING, "working_kind": "natural_disasters"}

    payload = form_data


class TestGroupPages(GroupContract, PageContract):
    def test_working_group_needs_its_kind(self, login, org):
        data = self.form_data(org, org.c1) | {"working_kind": ""}
        response = login(org.user("office1")).post(self.url("create"), data)
        assert "working_kind" in response.context["form"].errors


class TestGroupApi(GroupContract, ApiContract):
    def test_working_group_needs_its_kind(self, api, org):
        response = api(org.user("office1")).post(self.api_path, self.payload(org, org.c1) | {"working_kind": ""}, format="json")
        assert response.status_code == 400 and "working_kind" in response.json()


class ContactContract:
    model = Contact
    url_base = "core:contact"
    api_path = "/api/contacts/"
    edit_field = "label"
    edit_value = "夜间值班"

    def make(self, org, node):
        return Contact.objects.create(jurisdiction=node, label=f"{node.code}值班室", phone="110", call_order=1)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "label": "值班室", "phone": "021-50001111", "call_order": 1}

    payload = form_data


class TestContactPages(ContactContract, PageContract):
    pass


class TestContactApi(ContactContract, ApiContract):
    pass
