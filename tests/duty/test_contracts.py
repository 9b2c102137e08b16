"""Scope and change-log contracts of every duty record (both databases): rosters and leave in full,
pages and API; postures created and read; assignments, swaps, handovers, optimiser runs and
calendar links read in scope (written only through their actions)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.duty import layouts, services
from shouwang.duty.choices import Layout, Post
from shouwang.duty.models import (
    Assignment,
    FeedToken,
    Handover,
    Leave,
    Posture,
    Roster,
    SolveRun,
    SwapRequest,
)
from tests.conftest import make_user
from tests.crud import (
    ApiContract,
    ApiCreate,
    ApiDetail,
    ApiList,
    PageContract,
    PageDetail,
    PageList,
)


def _roster(org, node, name=None, days=7, publish=False):
    shifts, demand = layouts.build(Layout.DUTY_24, post=Post.DUTY_OFFICER, per_shift=1)
    return services.create_roster(node=node, name=name or f"{node.name}值班表", starts_on=timezone.localdate(),
                                  days=days, shifts=shifts, demand=demand, user=org.user("admin"))


def _duty(org, node):
    """A published one-day duty tomorrow: A on it, B his colleague, both with accounts."""
    roster = _roster(org, node, name=f"{node.name}明日值班", days=2)
    a = Person.objects.create(jurisdiction=node, name=f"{node.name}甲", kind=PersonKind.STAFF,
                              user=make_user(f"a-{node.code}"))
    b = Person.objects.create(jurisdiction=node, name=f"{node.name}乙", kind=PersonKind.STAFF,
                              user=make_user(f"b-{node.code}"))
    for d, person in enumerate((b, a)):
        services.fill_slot(roster, person=person, day=roster.starts_on + timedelta(days=d), shift="duty24",
                           post=Post.DUTY_OFFICER, user=org.user("admin"))
    services.publish(roster, user=org.user("admin"))
    return roster, Assignment.objects.get(roster=roster, person=a), a, b


class NotWritten:
    def test_no_writes_through_the_api(self, api, org, records):
        client = api(org.user("admin"))
        obj = records["mine"]
        for method in ("patch", "put", "delete"):
            assert getattr(client, method)(f"{self.api_path}{obj.pk}/", {}, format="json").status_code == 405
        assert self.model.objects.filter(pk=obj.pk).exists()


# --- Rosters ----------------------------------------------------------------------------------

class TestRosterApi(ApiContract):
    model = Roster
    api_path = "/api/duty/rosters/"

    def make(self, org, node):
        return _roster(org, node)

    def payload(self, org, node):
        shifts, demand = layouts.build(Layout.THREE_SHIFTS, post=Post.PATROL, per_shift=2)
        return {"jurisdiction": node.pk, "name": "新值班表", "starts_on": "2026-12-01", "days": 7, "shifts": shifts,
                "demand": demand, "rules": {"min_rest_hours": 11}}

    def test_bad_shifts_are_400_on_their_field_and_nothing_is_stored(self, api, org):
        payload = self.payload(org, org.c1) | {"shifts": [{"id": "a", "start": "25:00", "end": "08:00"}]}
        response = api(org.user("office1")).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and set(response.json()) == {"shifts", "demand"}
        assert not Roster.objects.exists()


class TestRosterPages(PageContract):
    model = Roster
    url_base = "duty:roster"

    def make(self, org, node):
        return _roster(org, node)

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "name": "新值班表", "starts_on": "2026-12-01", "days": 7,
                "layout": "three_shifts", "post": "patrol", "per_shift": 2, "min_rest_hours": 11,
                "max_shifts_per_7_days": 6}


# --- Leave ------------------------------------------------------------------------------------

def _person(node, name="请假人"):
    return Person.objects.get_or_create(jurisdiction=node, name=f"{node.name}{name}")[0]


class TestLeaveApi(ApiContract):
    model = Leave
    api_path = "/api/duty/leave/"
    edit_field = "reason"

    def make(self, org, node):
        return services.enter_leave(person=_person(node), starts_on=timezone.localdate(),
                                    ends_on=timezone.localdate() + timedelta(days=2), reason="年休",
                                    user=org.user("admin"))

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "person": _person(node).pk, "starts_on": "2026-12-10",
                "ends_on": "2026-12-12", "reason": "病假"}

    def test_a_leave_ending_before_it_starts_is_400_on_the_last_day(self, api, org):
        payload = self.payload(org, org.c1) | {"ends_on": "2026-12-01"}
        response = api(org.user("office1")).post(self.api_path, payload, format="json")
        assert response.status_code == 400 and "ends_on" in response.json()


class TestLeavePages(PageContract):
    model = Leave
    url_base = "duty:leave"
    edit_field = "reason"

    def make(self, org, node):
        return TestLeaveApi().make(org, node)

    def shown_as(self, obj):
        return obj.person.name

    def form_data(self, org, node):
        return {"jurisdiction": node.pk, "person": _person(node).pk, "starts_on": "2026-12-10",
                "ends_on": "2026-12-12", "reason": "病假"}


# --- Postures ---------------------------------------------------------------------------------

def _when(days):
    return (timezone.localtime() + timedelta(days=days)).replace(second=0, microsecond=0)


class TestPostureApi(ApiList, ApiDetail, ApiCreate):
    model = Posture
    api_path = "/api/duty/postures/"
    edit_field = "reason"

    def make(self, org, node):
        return services.set_posture(node=node, level="enhanced", starts_at=_when(0), ends_at=_when(3),
                                    reason=f"{node.name}加强", user=org.user("admin"))

    def payload(self, org, node):
        return {"jurisdiction": node.pk, "level": "extraordinary", "starts_at": _when(1).isoformat(),
                "ends_at": _when(2).isoformat(), "reason": "重大活动"}

    def test_the_viewer_may_not_set_a_posture(self, api, org):
        assert api(org.user("viewer")).post(self.api_path, self.payload(org, org.c1), format="json").status_code == 403


class TestPosturePages(PageList, PageDetail):
    model = Posture
    url_base = "duty:posture"

    def make(self, org, node):
        return TestPostureApi().make(org, node)

    def shown_as(self, obj):
        return obj.reason

    def test_the_office_sets_a_posture_from_the_page(self, login, org):
        data = {"jurisdiction": org.c1.pk, "level": "enhanced", "starts_at": _when(1).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": _when(4).strftime("%Y-%m-%dT%H:%M"), "reason": "节日加强"}
        response = login(org.user("office1")).post(reverse("duty:posture_create"), data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("duty:posture_panel"))
        assert Posture.objects.get().reason == "节日加强"
        bad = login(org.user("office1")).post(reverse("duty:posture_create"), data | {"reason": ""})
        assert bad.status_code == 200 and "reason" in bad.context["form"].errors
        page = bad.content.decode()  # the period said as a clerk says it
        assert ">生效时间" in page and ">截止时间" in page
        assert login(org.user("grid1")).get(reverse("duty:posture_create")).status_code == 403


# --- Read in scope ------------------------------------------------------------------------------

class TestAssignmentApi(ApiList, ApiDetail, NotWritten):
    model = Assignment
    api_path = "/api/duty/assignments/"

    def make(self, org, node):
        return _duty(org, node)[1]

    def test_the_page_of_a_shift_is_404_out_of_scope(self, login, org, records):
        client = login(org.user("office1"))
        assert client.get(records["mine"].get_absolute_url()).status_code == 200
        assert client.get(records["other"].get_absolute_url()).status_code == 404


class TestSwapRequestApi(ApiList, ApiDetail):
    model = SwapRequest
    api_path = "/api/duty/swaps/"

    def make(self, org, node):
        roster, assignment, a, b = _duty(org, node)
        return services.request_swap(assignment=assignment, colleague=b, user=a.user)


class TestSwapRequestPages(PageList, PageDetail):
    model = SwapRequest
    url_base = "duty:swaprequest"

    def make(self, org, node):
        return TestSwapRequestApi().make(org, node)

    def shown_as(self, obj):
        return obj.requester.name


class TestHandoverApi(ApiList, ApiDetail):
    model = Handover
    api_path = "/api/duty/handovers/"

    def make(self, org, node):
        roster, assignment, a, b = _duty(org, node)
        return services.write_handover(assignment=assignment, incoming=b, open_items="无", user=a.user)


class TestHandoverPages(PageList, PageDetail):
    model = Handover
    url_base = "duty:handover"

    def make(self, org, node):
        return TestHandoverApi().make(org, node)

    def shown_as(self, obj):
        return obj.written_by.name


class TestSolveRunApi(ApiList, ApiDetail, NotWritten):
    model = SolveRun
    api_path = "/api/duty/runs/"

    def make(self, org, node):
        roster, *_rest = _duty(org, node)
        return services.start_solve(roster, seconds=1, user=org.user("admin"))

    def test_the_page_of_a_run_is_404_out_of_scope(self, login, org, records):
        client = login(org.user("office1"))
        assert client.get(records["mine"].get_absolute_url()).status_code == 200
        assert client.get(records["other"].get_absolute_url()).status_code == 404


class TestFeedTokenApi(ApiList, ApiDetail, NotWritten):
    model = FeedToken
    api_path = "/api/duty/feeds/"

    def make(self, org, node):
        return services.make_feed(roster=_roster(org, node), user=org.user("admin"))

    def test_the_token_stays_out_of_the_change_log(self, records):
        from tests.crud import log_rows

        row = log_rows(records["mine"], "create").get()
        assert "token" not in row.after and records["mine"].token not in str(row.after)


@pytest.mark.parametrize("name", ["duty:mine", "duty:now", "duty:posture_panel", "duty:roster_list",
                                  "duty:swaprequest_list", "duty:handover_list", "duty:leave_list"])
def test_every_duty_page_answers_everyone_with_a_role(login, org, name):
    for user in ("office1", "patrol1", "viewer"):
        assert login(org.user(user)).get(reverse(name)).status_code == 200, (user, name)
