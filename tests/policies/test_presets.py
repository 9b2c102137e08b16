from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from shouwang.policies.models import Policy
from shouwang.policies.services import assign, effective, load_presets, new_version
from shouwang.policies.validation import validate_rules


def test_six_presets_load_once(db):
    call_command("load_presets")
    call_command("load_presets")
    assert Policy.objects.count() == 6
    assert all(p.versions.count() == 1 for p in Policy.objects.all())
    a = Policy.objects.get(code="street-emergency-plan-a").current_version()
    clocks = {c["rule"]: c["minutes"] for c in a.rules["incident_clocks"]}
    assert clocks == {"first_report": 60, "written_report": 120}


def test_node_inherits_and_overrides_by_section(org):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    assign(org.street, presets["street-emergency-plan-a"])
    assign(org.c1, presets["community-patrol-measures-b"])
    c2, c1 = effective(org.c2), effective(org.c1)
    assert [c["rule"] for c in c2.get("incident_clocks")] == ["first_report", "written_report"]
    assert c1.get("incident_clocks")[0]["rule"] == "report_to_leading_group"
    assert c1.version_of("incident_clocks").policy.code == "community-patrol-measures-b"
    assert effective(org.grid).get("daily_reports") == c1.get("daily_reports")  # a grid inherits from C1


def test_editing_makes_a_new_version_and_old_ones_stay(org):
    policy = load_presets(out=lambda *_: None)[0]
    first = policy.current_version()
    rules = dict(first.rules)
    second = new_version(policy, rules | {"reserve_team_size": 60}, note="扩编")
    assert second.number == first.number + 1
    first.refresh_from_db()
    assert "reserve_team_size" not in first.rules or first.rules.get("reserve_team_size") != 60
    with pytest.raises(PermissionDenied):
        first.save()


@pytest.mark.parametrize(
    "rules",
    [
        {"incident_clocks": [{"rule": "x", "minutes": -5}]},
        {"incident_clocks": [{"rule": "x", "minutes": 999999}]},
        {"daily_reports": {"slots": [{"slot": "morning", "opens": "10:00", "due": "09:00"}]}},
        {"checkin_windows": [{"name": "gate", "start": "7:15", "end": "07:45"}]},
        {"posture": {"normal": {"volunteers_on_duty_min_share": 1.5}}},
        {"no_such_section": 1},
    ],
)
def test_absurd_rules_are_refused_with_a_message(rules):
    with pytest.raises(ValidationError) as exc:
        validate_rules(rules)
    assert exc.value.message_dict["rules"]


def test_new_version_cannot_start_in_the_past(org):
    policy = load_presets(out=lambda *_: None)[0]
    with pytest.raises(ValidationError) as exc:
        new_version(policy, policy.current_version().rules, effective_from=timezone.now() - timedelta(days=1))
    assert "effective_from" in exc.value.message_dict
