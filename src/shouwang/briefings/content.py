"""A briefing's figures, made once from the data: each registered section's part for the period, in
the order of `core.registry.BRIEFING_SECTIONS`, in Chinese (the official text), as plain JSON.

The same period of the same data gives the same content (sections read the rollups and the
records as of the data time, in a fixed order), so a figure can be checked again later.
"""

from django.utils import timezone, translation

from shouwang.core.registry import BRIEFING_SECTIONS

LANGUAGE = "zh-hans"


def _plain(value):
    """Lazy labels and other objects as text, so the content is JSON and reads the same later."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def sections():
    return sorted(BRIEFING_SECTIONS.items(), key=lambda kv: (kv[1].order, kv[0]))


def build(period) -> dict:
    parts = []
    with translation.override(LANGUAGE):
        for key, section in sections():
            part = section.build(period)
            if not part:
                continue
            parts.append(_plain({"key": key, "title": str(section.title), "text": part.get("text", []),
                                 "tables": part.get("tables", []), "charts": part.get("charts", [])}))
    return {"node": period.node.name, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "data_at": timezone.localtime(period.as_of).isoformat(), "sections": parts}


def figures(content) -> dict:
    """The content without its data time: what must be the same when the same period is made again."""
    return {k: v for k, v in (content or {}).items() if k != "data_at"}
