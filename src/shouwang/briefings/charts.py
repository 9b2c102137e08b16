"""Charts of a briefing as PNG images for its Word document, drawn with matplotlib in a CJK font.

A chart is the same JSON spec the page draws with ECharts (`core.home.chart`, a section's
"charts"): a kind (bar, hbar, line, pie), labels, series naming a state whose colour comes from
`tokens.css`, so a chart prints in the colours of the page.

Chinese text needs a CJK font: WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`, what `make
test` installs) or Noto Sans/Serif CJK (`fonts-noto-cjk`), found by file, not through
matplotlib's font cache (which may predate the font's installation). Without one, a chart would
print empty boxes for every character: `cjk_font()` says so (`MissingFont`) rather than draw it.

matplotlib is imported inside the functions (only documents need it) and uses the Agg backend.
"""

import io
import re
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders

# Where Debian puts the CJK fonts; the first found wins (Micro Hei reads best at small sizes).
FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
FONT_NAMES = re.compile(r"(wqy-microhei|NotoSansCJK|wqy-zenhei|NotoSerifCJK|NotoSansSC|SourceHanSans)", re.I)
FALLBACK = "#5d6d7e"
WIDTH_CM, HEIGHT_CM = 15.0, 6.5
DPI = 150


class MissingFont(RuntimeError):
    pass


@cache
def cjk_font() -> str:
    """The path of a CJK font file (the known Debian paths first, then any system font so named)."""
    for path in FONT_FILES:
        if Path(path).exists():
            return path
    from matplotlib import font_manager

    for path in sorted(font_manager.findSystemFonts()):
        if FONT_NAMES.search(Path(path).name):
            return path
    raise MissingFont("No CJK font for charts: install fonts-wqy-microhei or fonts-noto-cjk.")


@cache
def colours() -> dict:
    """{state: "#hex"} from tokens.css (`--chart-<state>`), the colours the page's charts use."""
    path = finders.find("shouwang/tokens.css")
    text = Path(path).read_text(encoding="utf-8") if path else ""
    return dict(re.findall(r"--chart-([\w-]+):\s*(#[0-9a-fA-F]{3,6})", text))


def _font():
    from matplotlib import font_manager

    path = cjk_font()
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path)


def _colour(state, palette):
    return palette.get(state, FALLBACK) if state else None


def png(spec, *, width_cm=WIDTH_CM, height_cm=HEIGHT_CM) -> bytes:
    """The chart as PNG bytes, every text in the CJK font (titles, ticks, legend)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = _font()
    palette = colours()
    fig = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI)
    ax = fig.add_subplot()
    labels = [str(label) for label in spec.get("labels", [])]
    series = spec.get("series", [])
    kind = spec.get("kind", "bar")
    if kind == "pie":
        s = series[0] if series else {"data": []}
        states = s.get("states") or []
        values = [v or 0 for v in s.get("data", [])]
        if sum(values):
            wedges, _texts = ax.pie(values, colors=[_colour(states[i] if i < len(states) else None, palette) or FALLBACK
                                                     for i in range(len(values))],
                                    wedgeprops={"width": 0.45}, startangle=90, counterclock=False)
            ax.legend(wedges, [f"{label} {v}" for label, v in zip(labels, values, strict=False)], prop=font,
                      loc="center left", bbox_to_anchor=(1, 0.5), frameon=False)
        ax.set_aspect("equal")
    else:
        positions = list(range(len(labels)))
        base = [0] * len(labels)
        width = 0.8 / (1 if spec.get("stacked") or kind == "line" else max(len(series), 1))
        for i, s in enumerate(series):
            data = [v or 0 for v in s.get("data", [])]
            colour = _colour(s.get("state"), palette)
            if kind == "line":
                ax.plot(positions, data, marker="o", markersize=3, linewidth=1.6, color=colour, label=str(s["name"]))
                continue
            offset = 0 if spec.get("stacked") else (i - (len(series) - 1) / 2) * width
            at = [p + offset for p in positions]
            bottom = base if spec.get("stacked") else None
            if kind == "hbar":
                ax.barh(at, data, height=width, left=bottom, color=colour, label=str(s["name"]))
            else:
                ax.bar(at, data, width=width, bottom=bottom, color=colour, label=str(s["name"]))
            if spec.get("stacked"):
                base = [a + b for a, b in zip(base, data, strict=False)]
        ticks = ax.set_yticks if kind == "hbar" else ax.set_xticks
        ticks(positions, labels, fontproperties=font)
        if kind == "hbar":
            ax.invert_yaxis()
        else:
            step = max(1, len(labels) // 15)  # 90 days: a label every sixth day
            for n, tick in enumerate(ax.get_xticklabels()):
                tick.set_visible(n % step == 0)
            if len(labels) > 7:
                fig.autofmt_xdate(rotation=45)
        value_axis = ax.xaxis if kind == "hbar" else ax.yaxis
        value_axis.get_major_locator().set_params(integer=True)
        for tick in ax.get_xticklabels() + ax.get_yticklabels():
            tick.set_fontproperties(font)
        ax.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            ax.legend(prop=font, frameon=False, fontsize=8, ncols=min(len(series), 4), loc="upper center",
                      bbox_to_anchor=(0.5, -0.18 if len(labels) <= 7 else -0.32))
    if spec.get("title"):
        ax.set_title(str(spec["title"]), fontproperties=font, fontsize=11)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
