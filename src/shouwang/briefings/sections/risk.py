"""风险等级: the key places' four colours at the end of the period, and the changes during it."""

from collections import Counter, defaultdict
from datetime import timedelta

from shouwang.registers.choices import COLOUR_ORDER, colour_rank
from shouwang.registers.models import KeyPlace, RiskRating
from shouwang.registers.queries import annotate_colours

from . import cell, zh_day

COLOUR_WORD = {"red": "红色", "orange": "橙色", "blue": "蓝色", "green": "绿色"}
HIGH_FIRST = list(reversed(COLOUR_ORDER))


def colours_at(places, day) -> dict:
    """{place id: colour on `day`} (the latest rating on or before it)."""
    return {p.pk: p.colour for p in annotate_colours(places, day) if p.colour}


def changes(period, places):
    """[(place, day, before, after, reason)] where a place's colour of a day differs from the day before."""
    names = {p.pk: p for p in places}
    previous = colours_at(KeyPlace.objects.filter(pk__in=names), period.start - timedelta(days=1))
    ratings = (RiskRating.objects.filter(place_id__in=names, date__gte=period.start, date__lte=period.end)
               .order_by("place_id", "date", "created_at", "pk").values_list("place_id", "date", "colour", "reason"))
    last_of_day = {}
    for place, day, colour, reason in ratings:
        last_of_day[(place, day)] = (colour, reason)
    out = []
    for (place, day), (colour, reason) in sorted(last_of_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        before = previous.get(place)
        if before is not None and before != colour:
            out.append((names[place], day, before, colour, reason))
        previous[place] = colour
    return out


def build(period):
    places = list(KeyPlace.objects.filter(jurisdiction__path__startswith=period.node.path).select_related("jurisdiction"))
    if not places:
        return None
    now = colours_at(KeyPlace.objects.filter(pk__in=[p.pk for p in places]), period.end)
    tally = Counter(now.values())
    found = changes(period, places)
    up = sum(1 for _p, _d, before, after, _r in found if colour_rank(after) > colour_rank(before))
    text = [f"截至{zh_day(period.end)}，辖区重点场所{len(places)}处，"
            + "、".join(f"{COLOUR_WORD[c]}{tally[c]}处" for c in HIGH_FIRST)
            + (f"，未评定{len(places) - len(now)}处" if len(places) > len(now) else "") + "。"]
    if found:
        text.append(f"本期风险等级调整{len(found)}次，其中升高{up}次、降低{len(found) - up}次。")
    else:
        text.append("本期重点场所风险等级无调整。")
    tables, charts = [], []
    if found:
        tables.append({"title": "风险等级调整情况", "header": ["日期", "场所", "所在", "调整前", "调整后", "原因"],
                       "rows": [[zh_day(day), cell(place.name, place.get_absolute_url()), place.jurisdiction.name,
                                 COLOUR_WORD.get(before, before), COLOUR_WORD.get(after, after), reason]
                                for place, day, before, after, reason in found[:30]]})
    by_child = defaultdict(Counter)
    child_paths = [(c, c.path) for c in period.children]
    for place in places:
        for child, path in child_paths:
            if place.jurisdiction.path.startswith(path) and place.pk in now:
                by_child[child.pk][now[place.pk]] += 1
    children = [c for c in period.children if by_child.get(c.pk)]
    if children:
        tables.append({"title": "各社区重点场所风险等级", "header": ["社区", *[COLOUR_WORD[c] for c in HIGH_FIRST]],
                       "rows": [[c.name, *[cell(by_child[c.pk][colour], period.link("registers:wall", node=c))
                                           for colour in HIGH_FIRST]] for c in children]})
    if tally:
        charts.append({"title": f"重点场所风险等级（{zh_day(period.end)}）", "kind": "pie",
                       "labels": [COLOUR_WORD[c] for c in HIGH_FIRST if tally[c]],
                       "series": [{"name": "场所", "data": [tally[c] for c in HIGH_FIRST if tally[c]],
                                   "states": [c for c in HIGH_FIRST if tally[c]]}]})
    return {"text": text, "tables": tables, "charts": charts}
