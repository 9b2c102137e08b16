from pathlib import Path

import pytest
import yaml

from shouwang.duty.staffing import required, shortfall

PRESET = Path(__file__).resolve().parents[2] / "src/shouwang/policies/presets/event-security-posture-c.yaml"
POSTURE = yaml.safe_load(PRESET.read_text())["rules"]["posture"]


@pytest.mark.parametrize(("level", "police", "volunteers", "auxiliary"), [
    ("normal", 10, 12, 20), ("enhanced", 12, 20, 22), ("extraordinary", 20, 36, 26),
])
def test_preset_c_ratios(level, police, volunteers, auxiliary):
    # 40 police available, 40 volunteers, 12 full-time, 20 property security on an average day
    assert required(level, "police", available=40, posture_rules=POSTURE).required == police
    assert required(level, "full_time", available=12, posture_rules=POSTURE).required == 12
    assert required(level, "volunteers", available=40, posture_rules=POSTURE).required == volunteers
    assert required(level, "property", daily_average=20, posture_rules=POSTURE).required == auxiliary


def test_a_share_is_rounded_up_and_a_shortfall_counted():
    need = required("enhanced", "police", available=7, posture_rules=POSTURE)  # 30 % of 7 = 2.1
    assert need.required == 3 and shortfall(need, 2) == 1 and shortfall(need, 5) == 0


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="unknown posture level"):
        required("red", "police", available=1, posture_rules=POSTURE)
