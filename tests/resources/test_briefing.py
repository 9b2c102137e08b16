"""The resources' part of the office's briefings: the period's movements, call-outs and points in
Chinese sentences and tables whose figures link to the ledger, with what is short or expired as of
the period's end; nothing to say, no part."""

from datetime import timedelta

from django.utils import timezone

from shouwang.briefings.period import Period
from shouwang.core.registry import BRIEFING_SECTIONS
from shouwang.resources import services


def _period(org, days=7):
    end = timezone.localdate()
    return Period(org.street, end - timedelta(days=days - 1), end)


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
    start = (timezone.localdate() - timedelta(days=6)).isoformat()
    assert blanket[2] == 80 and blanket[3] == {"text": 12, "url": f"/resources/ledger/?node={org.street.pk}&period_after="
                                                                  f"{start}&period_before={timezone.localdate()}"}
    assert any(t["title"] == "低于储备标准的物资" for t in part["tables"])
    import json

    json.dumps(part)  # plain JSON, to be frozen in the briefing


def test_no_resources_no_section(org):
    assert BRIEFING_SECTIONS["resources"].build(_period(org)) is None


def test_the_figures_link_to_the_ledger_of_the_period(client, org, items, stocked):
    services.issue(stocked["store"], items["blanket"], 3, by=org.user("office1"))
    part = BRIEFING_SECTIONS["resources"].build(_period(org))
    url = next(t for t in part["tables"] if t["title"] == "物资出入库")["rows"][0][3]["url"]
    client.force_login(org.user("office"))
    html = client.get(url).content.decode()
    assert html.count('data-movement="') == 5  # the four receipts and the issue of the period
    earlier = url.replace("period_after=", "period_after=2000-01-01&x=").replace("period_before=", "period_before=2000-01-02&y=")
    assert 'data-movement="' not in client.get(earlier).content.decode()
