"""A node's own policies are scoped like its records (presets are for everyone) and logged."""

import pytest

from shouwang.policies.models import Policy
from shouwang.policies.services import copy_policy, load_presets
from tests.crud import ApiDetail, ApiList, log_rows


class TestOwnPolicyScope(ApiList, ApiDetail):
    model = Policy
    api_path = "/api/policies/"

    @pytest.fixture(autouse=True)
    def _presets(self, org):
        self.presets = {p.code: p for p in load_presets(out=lambda *_: None)}

    def make(self, org, node):
        return copy_policy(self.presets["community-patrol-measures-b"], node=node, code=f"{node.code.lower()}-own",
                           name=f"{node.name}巡防", user=org.user("admin"))

    def test_presets_are_seen_by_everyone_and_copies_are_logged(self, api, org, records):
        codes = {row["code"] for row in api(org.user("grid2")).get(self.api_path).json()["results"]}
        assert "street-emergency-plan-a" in codes and records["mine"].code not in codes
        assert log_rows(records["mine"], "create").count() == 1
