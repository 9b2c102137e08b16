"""Duty through the API: the documented roster problem solved on demand with its penalty terms and the
checker's verdict; a roster generated, solved in the background (the run polled) and published;
swaps refused with the rule named; the posture panel and who is on duty now; bad input as 400
with the field, times at +08:00."""

from datetime import date, timedelta

from shouwang.core.models import Person
from shouwang.duty import services
from shouwang.duty.choices import Post
from shouwang.duty.models import Assignment, SolveRun

from .conftest import FIRST, make_rota

PROBLEM = {
    "start": "2026-12-01", "days": 7,
    "shifts": [{"id": "day", "start": "08:00", "end": "16:00"}, {"id": "night", "start": "22:00", "end": "08:00"}],
    "staff": [{"id": f"p{i}", "name": f"人员{i}", "roles": ["patrol"] + (["leader"] if i < 2 else [])}
              for i in range(6)],
    "demand": [{"shift": "day", "role": "patrol", "count": 2}, {"shift": "night", "role": "patrol", "count": 1}],
    "unavailable": [{"staff": "p0", "day": "2026-12-03"}],
    "wishes": [{"staff": "p1", "day": "2026-12-05", "want": False, "weight": 3}],
    "rules": {"min_rest_hours": 11, "max_shifts_per_7_days": 5},
    "sensitive_days": ["2026-12-06"],
}


def test_the_documented_problem_is_solved_with_its_terms_and_the_checkers_verdict(api, org):
    response = api(org.user("office")).post("/api/duty/solve/", {"problem": PROBLEM, "seconds": 5}, format="json")
    assert response.status_code == 200, response.json()
    out = response.json()
    assert out["status"] in ("optimal", "feasible") and out["checker"]["ok"] and out["checker"]["violations"] == []
    assert set(out["terms"]) == {"wishes", "fair_shifts", "fair_nights", "fair_holidays", "fair_leader", "changes"}
    assert out["checker"]["penalty"] == out["penalty"]
    days = [a for a in out["assignments"] if a["day"] == "2026-12-06"]
    assert any(a["role"] == "leader" for a in days if a["shift"] == "day")  # a sensitive day has its leader
    assert not [a for a in out["assignments"] if a["staff"] == "p0" and a["day"] == "2026-12-03"]


def test_a_bad_problem_is_400_with_every_error_and_where(api, org):
    bad = {**PROBLEM, "days": 400, "shifts": [{"id": "day", "start": "8h", "end": "16:00"}]}
    response = api(org.user("office")).post("/api/duty/solve/", {"problem": bad}, format="json")
    assert response.status_code == 400
    errors = response.json()["problem"]
    assert "days: must be a whole number from 1 to 92" in errors
    assert any(e.startswith("shifts[0]: “8h” is not a time") for e in errors)
    assert api(org.user("viewer")).post("/api/duty/solve/", {"problem": PROBLEM}, format="json").status_code == 403


def test_a_roster_generated_solved_in_the_background_and_published(api, org, team, owner, crew, clock):
    client = api(org.user("office1"))
    roster = make_rota(org, team, owner, days=7, generate=False)
    groups = [[p.pk for p in crew[i:i + 2]] for i in range(0, 8, 2)]
    response = client.post(f"/api/duty/rosters/{roster.pk}/generate/", {"pattern": "four_teams", "groups": groups},
                           format="json")
    assert response.status_code == 200, response.json()
    response = client.post(f"/api/duty/rosters/{roster.pk}/solve/", {"seconds": 3}, format="json")
    assert response.status_code == 202 and response.json()["state"] == "queued"
    run_id = response.json()["id"]
    services.run_solve(run_id)
    run = client.get(f"/api/duty/runs/{run_id}/").json()
    assert run["state"] == "done" and run["percent"] == 100 and run["best_penalty"] is not None
    assert run["started_at"].endswith("+08:00") and run["result"]["checker"]["ok"]
    assert client.post(f"/api/duty/runs/{run_id}/apply/", {}, format="json").status_code == 200
    check = client.get(f"/api/duty/rosters/{roster.pk}/check/").json()
    assert check["ok"] and client.get(f"/api/duty/rosters/{roster.pk}/").json()["state"] == "published"
    assert SolveRun.objects.get(pk=run_id).state == "published"


def test_an_invalid_time_limit_is_400_on_its_field(api, org, rota):
    response = api(org.user("office1")).post(f"/api/duty/rosters/{rota.pk}/solve/", {"seconds": 0}, format="json")
    assert response.status_code == 400 and "seconds" in response.json()
    assert not SolveRun.objects.exists()


def test_a_swap_through_the_api_refused_with_the_rule(api, org, published, crew):
    early = Assignment.objects.live().get(roster=published, person=crew[6], day=date(2026, 12, 3))
    response = api(org.user("office1")).post("/api/duty/swaps/", {"assignment": early.pk, "colleague": crew[4].pk},
                                             format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "refused" and body["state_label"] == "未准"
    assert body["refusal"].startswith("不予同意：两班之间最少休息")


def test_a_patrol_member_asks_for_his_own_shift_but_not_for_anothers(api, org, published, crew):
    client = api(org.user("patrol1"))
    mine = Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 4))
    theirs = Assignment.objects.live().get(roster=published, person=crew[2], day=date(2026, 12, 4))
    listed = {a["id"] for a in client.get("/api/duty/assignments/?since=2026-12-04&until=2026-12-04").json()["results"]}
    assert {mine.pk, theirs.pk} <= listed  # his community's roster, whole
    refused = client.post("/api/duty/swaps/", {"assignment": theirs.pk, "colleague": crew[3].pk}, format="json")
    assert refused.status_code == 403 and "一社区" in refused.json()["detail"]
    response = client.post("/api/duty/swaps/", {"assignment": mine.pk, "colleague": crew[5].pk, "reason": "调休"},
                           format="json")
    assert response.status_code == 201, response.json()


def test_the_posture_panel_and_who_is_on_duty_now(api, org, posture_c, published, crew, clock):
    client = api(org.user("office1"))
    panel = client.get(f"/api/duty/posture-panel/?node={org.c1.pk}&days=3").json()
    assert [d["day"] for d in panel] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    full = panel[0]["forces"][0]
    assert full["force"] == "full_time" and full["required"] == 6 and full["rostered"] == 6 and full["short"] == 0
    assert client.get("/api/duty/posture-panel/?days=200").status_code == 400
    assert client.get(f"/api/duty/posture-panel/?node={org.c2.pk}").status_code == 400
    now = client.get("/api/duty/on-duty/").json()
    early = set(Assignment.objects.live().filter(roster=published, day=FIRST, shift="early").values_list("person", flat=True))
    assert {row["person"] for row in now} == early
    assert all(row["ends_at"] == "2026-12-01T14:00:00+08:00" for row in now)


def test_the_office_stands_a_person_down_and_fills_the_slot_the_rules_allow(api, org, published, crew):
    client = api(org.user("office1"))
    absent = Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 2))
    response = client.post(f"/api/duty/assignments/{absent.pk}/stand_down/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(f"/api/duty/assignments/{absent.pk}/stand_down/", {"reason": "病假"}, format="json")
    assert response.status_code == 200 and response.json()["removed_at"].endswith("+08:00")
    again = client.post(f"/api/duty/assignments/{absent.pk}/override/", {"person": crew[6].pk}, format="json")
    assert again.status_code == 400  # already off the roster: nothing to hand on
    slot = {"person": crew[4].pk, "day": "2026-12-03", "shift": "early", "post": Post.PATROL}
    refused = client.post(f"/api/duty/rosters/{published.pk}/fill/", slot, format="json")
    assert refused.status_code == 400 and refused.json()["person"][0].startswith("不予同意：")
    reserve = Person.objects.create(jurisdiction=org.c1, name="备班")
    slot = {"person": reserve.pk, "day": "2026-12-02", "shift": "early", "post": Post.PATROL}
    response = client.post(f"/api/duty/rosters/{published.pk}/fill/", slot, format="json")
    assert response.status_code == 201 and response.json()["person_name"] == "备班"
    assert client.get(f"/api/duty/rosters/{published.pk}/check/").json()["ok"]
    assert (date(2026, 12, 2) - FIRST) == timedelta(days=1)
