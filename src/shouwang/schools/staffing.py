"""Guards a school needs, from its pupils and the tiers of GB/T 29315-2022 (policy preset F)."""


def required_guards(pupils, tiers):
    """(guards, tier) for `pupils`: the last tier whose `from_pupils` is at most `pupils`, plus
    `add_guards` for each full `per_further_pupils` beyond its start (1 600 pupils: 3 + 1 = 4).
    (None, None) when the policy has no tiers."""
    if pupils is None or not tiers:
        return None, None
    fitting = [t for t in tiers if isinstance(t.get("from_pupils"), int) and t["from_pupils"] <= pupils]
    if not fitting:
        return None, None
    tier = max(fitting, key=lambda t: t["from_pupils"])
    guards = tier["guards"]
    step, add = tier.get("per_further_pupils"), tier.get("add_guards")
    if step and add:
        guards += (pupils - tier["from_pupils"]) // step * add
    return guards, tier


def covered_hours(intervals, start, end) -> float:
    """Hours of [start, end) covered by the union of (from, to) intervals."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if b > start and a < end)
    total, reach = 0.0, start
    for a, b in clipped:
        if b <= reach:
            continue
        total += (b - max(a, reach)).total_seconds()
        reach = b
    return round(total / 3600, 2)
