"""The resources' part of the office's briefings: the period's movements, call-outs and points in
Chinese sentences and tables whose figures link to the ledger, with what is short or expired as of
the period's end; nothing to say, no part."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from shouwang.core.registry import BRIEFING_SECTIONS
from shouwang.resources import services


def _period(org, days=7):
    end = timezone.localdate()
    return SimpleNamespace(node=org.street, start=end - timedelta(days=days - 1), end=end, as_of=timezone.now(),
                           link=lambda name, **params: f"/resources/ledger/?node={org.street.pk}")


def test_the_section_sums_up_the_period(org, standard, items, stocked, reserve, point):
    services.issue(stocked["store"], items["blanket"], 12, by=org.user("office1"), recipient="安置点")
    services.call_out(reserve, by=org.user("office1"))
    services.open_point(point, by=org.user("office1"), occupancy=30)
    part = BRIEFING_SECTIONS["resources"].build(_period(org))
    text = "\n".join(part["text"])
    assert "应急物资储备库（点）3个" in text and "已过期1批" in text and "发放棉被12床" in text
    assert "一社区应急预备队拉动测试，应到5人，确认0人，到达0人" in text and "启用分流点一社区分流点，安置30人" in text
    ledger = next(t for t in part["tables"] if t["title"] == "物资出入库")
    blanket = next(r for r in ledger["rows"] if r[0] == "棉被")
    assert blanket[2] == 80 and blanket[3] == {"text": 12, "url": f"/resources/ledger/?node={org.street.pk}"}
    assert any(t["title"] == "低于储备标准的物资" for t in part["tables"])
    import json

    json.dumps(part)  # plain JSON, to be frozen in the briefing


def test_no_resources_no_section(org):
    assert BRIEFING_SECTIONS["resources"].build(_period(org)) is None
