"""Policy pages: list, detail with versions, edit = a new version (YAML, validated), a node's own
copy of a preset, the effective policy of a node, assigning and removing policies."""

import re
from datetime import timedelta

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from shouwang.policies.models import NodePolicy, Policy, PolicyVersion
from shouwang.policies.services import assign, copy_policy, load_presets
from tests.crud import log_rows


@pytest.fixture
def presets(org):
    return {p.code: p for p in load_presets(out=lambda *_: None)}


@pytest.fixture
def own(org, presets):
    """C1's own copy of preset B, assigned to C1; the street uses D."""
    assign(org.street, presets["street-prevention-plan-d"])
    policy = copy_policy(presets["community-patrol-measures-b"], node=org.c1, code="c1-patrol", name="一社区巡防")
    assign(org.c1, policy)
    return policy


def _form(rules, minutes_from_now=1, note="改"):
    when = timezone.localtime() + timedelta(minutes=minutes_from_now)
    return {"rules": rules if isinstance(rules, str) else yaml.safe_dump(rules, allow_unicode=True),
            "note": note, "effective_from": when.strftime("%Y-%m-%dT%H:%M")}


def test_list_shows_presets_to_all_and_own_policies_in_scope(login, org, own):
    names = {p.code for p in login(org.user("grid2")).get(reverse("policies:policy_list")).context["object_list"]}
    assert "street-emergency-plan-a" in names and "c1-patrol" not in names
    names = {p.code for p in login(org.user("grid1")).get(reverse("policies:policy_list")).context["object_list"]}
    assert "c1-patrol" in names


def test_detail_shows_versions_and_out_of_scope_is_404(login, org, own):
    response = login(org.user("office1")).get(own.get_absolute_url())
    assert response.status_code == 200 and [v.number for v in response.context["versions"]] == [1]
    assert response.context["can_change"]
    assert login(org.user("grid2")).get(own.get_absolute_url()).status_code == 404


def test_edit_saves_a_new_version_and_keeps_the_old(login, org, own):
    rules = own.current_version().rules | {"escalation": {"remind_before_minutes": 45, "notify_supervisor": True,
                                                          "office_after_minutes": 90}}
    client = login(org.user("office1"))
    assert client.get(reverse("policies:policy_edit", args=[own.pk])).status_code == 200
    response = client.post(reverse("policies:policy_edit", args=[own.pk]), _form(rules))
    assert response.status_code == 302
    v1, v2 = own.versions.order_by("number")
    assert v2.rules["escalation"]["remind_before_minutes"] == 45 and v2.created_by == org.user("office1")
    assert "escalation" not in v1.rules or v1.rules["escalation"] != v2.rules["escalation"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("incident_clocks:\n  - rule: x\n    minutes: -5", "-5"),  # negative time limit
        ("incident_clocks:\n  - rule: x\n    minutes: 100000", "100000"),  # absurd time limit
        ("escalation: {remind_before_minutes: 'soon'}", "soon"),
        ("daily_reports: [1, 2]", "daily_reports"),  # wrong shape, no crash
        ("rules: [unclosed", "YAML"),
        ("flying_saucers: 3", "flying_saucers"),
    ],
)
def test_bad_rules_are_refused_with_each_problem_and_nothing_saved(login, org, own, text, needle):
    client = login(org.user("office1"))
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post(reverse("policies:policy_edit", args=[own.pk]), _form(text))
    assert response.status_code == 200
    errors = response.context["form"].errors["rules"]
    assert any(needle in e for e in errors), errors
    assert own.versions.count() == 1


def test_effective_from_in_the_past_is_refused(login, org, own):
    response = login(org.user("office1")).post(reverse("policies:policy_edit", args=[own.pk]),
                                               _form(own.current_version().rules, minutes_from_now=-60))
    assert response.status_code == 200 and "effective_from" in response.context["form"].errors
    assert own.versions.count() == 1


def test_presets_cannot_be_edited_by_office_staff_but_copied(login, org, presets):
    preset = presets["street-emergency-plan-a"]
    client = login(org.user("office1"))
    assert client.get(reverse("policies:policy_edit", args=[preset.pk])).status_code == 403
    response = client.post(reverse("policies:policy_create"),
                           {"source": preset.pk, "jurisdiction": org.c1.pk, "code": "c1-a", "name": "一社区预案A"})
    assert response.status_code == 302
    copy = Policy.objects.get(code="c1-a")
    assert copy.jurisdiction == org.c1 and copy.current_version().rules == preset.current_version().rules
    assert log_rows(copy, "create").get().user == org.user("office1")
    # out of scope node, duplicate code
    response = client.post(reverse("policies:policy_create"),
                           {"source": preset.pk, "jurisdiction": org.c2.pk, "code": "c1-a", "name": "x"})
    assert set(response.context["form"].errors) == {"jurisdiction", "code"}
    assert login(org.user("grid1")).get(reverse("policies:policy_create")).status_code == 403


def test_effective_page_says_where_each_section_comes_from(login, org, own, presets):
    response = login(org.user("office1")).get(reverse("policies:effective", args=[org.grid.pk]))
    rows = {r.section: r for r in response.context["rows"]}
    assert rows["rectification"].version.policy.code == "street-prevention-plan-d" and rows["rectification"].inherited
    assert rows["incident_clocks"].version.policy == own and rows["incident_clocks"].node == org.c1
    assert rows["escalation"].version.policy == own and rows["escalation"].overridden[0][1] == org.street
    own_page = login(org.user("office1")).get(reverse("policies:effective", args=[org.c1.pk]))
    assert not {r.section: r for r in own_page.context["rows"]}["incident_clocks"].inherited
    assert login(org.user("office1")).get(reverse("policies:effective", args=[org.c2.pk])).status_code == 404


def test_assign_and_unassign(login, org, own, presets):
    client = login(org.user("office1"))
    response = client.post(reverse("policies:nodepolicy_create"),
                           {"jurisdiction": org.grid.pk, "policy": presets["school-prevention-plan-e"].pk, "priority": 2})
    assert response.status_code == 302
    np = NodePolicy.objects.get(jurisdiction=org.grid)
    # C1's own policy cannot be used on C2 (nor can office1 write there)
    response = client.post(reverse("policies:nodepolicy_create"), {"jurisdiction": org.c2.pk, "policy": own.pk, "priority": 1})
    assert response.status_code == 200 and NodePolicy.objects.filter(jurisdiction=org.c2).count() == 0
    # office staff may not delete; a leader may
    assert client.post(reverse("policies:nodepolicy_delete", args=[np.pk])).status_code == 403
    response = login(org.user("leader")).post(reverse("policies:nodepolicy_delete", args=[np.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("policies:effective", args=[org.grid.pk])
    assert not NodePolicy.objects.filter(pk=np.pk).exists()


def test_policy_version_detail(login, org, own):
    version = own.current_version()
    response = login(org.user("grid1")).get(version.get_absolute_url())
    assert response.status_code == 200 and "incident_clocks" in response.content.decode()
    assert PolicyVersion.objects.restrict(org.user("grid2")).filter(pk=version.pk).count() == 0


def test_effective_policy_reads_as_labelled_tables_with_units(login, org, presets):
    assign(org.street, presets["event-security-posture-c"])
    assign(org.street, presets["community-patrol-measures-b"], priority=2)
    html = login(org.user("office")).get(reverse("policies:effective", args=[org.street.pk])).content.decode()
    tables = html.split('id="sections"', 1)[1]
    visible = re.sub(r"<details>.*?</details>|data-section=\"[a-z_]+\"", "", tables, flags=re.S)  # YAML folded
    for words in ("每日定时报送", "早报 06:00–09:00", "提前 30 分钟", "25%", "+10% – +20%", "重大自然灾害", "社区"):
        assert words in visible, words
    for raw in ("remind_before_minutes", "natural_disaster", "police_on_street_patrol_min_share", "daily_reports"):
        assert raw not in visible, raw
    assert "remind_before_minutes" in tables  # the YAML is still there
