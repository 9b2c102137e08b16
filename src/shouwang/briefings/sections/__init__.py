"""The sections of the briefings for the apps that exist now (one module each), registered in
`core.registry.BRIEFING_SECTIONS` by briefings' apps.py when their app is installed.

A section's text is the official document's: Chinese sentences with the figures, whatever the
reader's language (as the other official documents). Each figure of a table links to the list
behind it, filtered to the node and the period.
"""

STATES = ("met", "met_late", "missed", "waived")
PENDING = ("open", "due_soon", "upcoming")


def cell(value, url=None):
    """A table cell: the figure, with the list behind it when there is one (and it is not zero)."""
    return {"text": value, "url": url} if url and value else value


def pct(part, whole) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def obligation_states(counts: dict, kinds) -> dict:
    """{state: n} over these obligation kinds from rollup counts ("ob:<kind>:<state>")."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    out = dict.fromkeys((*STATES, *PENDING), 0)
    for key, n in counts.items():
        head, _sep, rest = key.partition(":")
        kind, _sep, state = rest.rpartition(":")
        if head == "ob" and kind in kinds:
            out[state] = out.get(state, 0) + n
    out["ended"] = sum(out[s] for s in STATES)
    out["pending"] = sum(out[s] for s in PENDING)
    return out


def zh_day(day) -> str:
    return f"{day.month}月{day.day}日"


def joined(items, limit=8) -> str:
    items = list(items)
    text = "、".join(items[:limit])
    return text + (f"等{len(items)}项" if len(items) > limit else "")
