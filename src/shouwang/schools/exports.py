"""The street's schools table (学校安全情况一览表) as a Chinese Word document on A4 landscape, to print
for a meeting: a row per school with its state, the day's gate windows, the period's drill and the
last evacuation time, cameras failing and checked, guards against GB/T 29315-2022 and open hazards.
Names of schools and people on duty only: no visitor appears in it."""

from django.utils import timezone
from django.utils.translation import override

from shouwang.core.documents import (
    add_signature,
    add_table,
    add_title,
    docx_bytes,
    new_document,
    zh_date,
)

from .choices import Colour

COLOUR_ZH = {Colour.GREEN: "到位", Colour.ORANGE: "需关注", Colour.RED: "不足", Colour.GREY: "暂无数据"}
STATE_ZH = {"met": "三方到岗", "met_late": "迟到岗", "missed": "未到岗", "upcoming": "未开始", "open": "进行中",
            "due_soon": "进行中", "waived": "已免除"}


def filename(day):
    return f"学校安全情况一览表-{day:%Y%m%d}"


def _gate(row):
    lines = []
    for w in row["windows"]:
        text = f"{w.window.get_kind_display()} {timezone.localtime(w.window.starts_at):%H:%M}–" \
               f"{timezone.localtime(w.window.ends_at):%H:%M} {STATE_ZH.get(w.state, w.state)}"
        if w.state not in ("met", "upcoming") and w.unrostered:
            text += f"（值班表未排{'、'.join(str(m) for m in w.unrostered)}）"
        elif w.state not in ("met", "upcoming") and w.missing:
            text += f"（缺{'、'.join(str(m) for m in w.missing)}）"
        lines.append(text)
    return "\n".join(lines) or "非上学日"


def _drills(row):
    current = row["drills"]["current"]
    if current is None:
        text = "无要求"
    else:
        due = timezone.localtime(current.due_at)
        if current.state_db in ("met", "met_late"):
            text = f"本期（至{due.month}月{due.day}日）已演练"
        elif current.state_db == "missed":
            text = f"本期（至{due.month}月{due.day}日）未演练"
        else:
            text = f"须于{due.month}月{due.day}日前演练"
    measured = [t for t in row["drills"]["trend"] if t["seconds"] is not None]
    if measured:
        last = measured[-1]
        text += f"\n最近疏散{last['seconds']}秒" + (f"（目标{last['target']}秒）" if last["target"] else "")
    return text


def _cameras(row):
    total = len(row["cameras"])
    if not total:
        return "未登记"
    text = f"{total}个，今日已检查{row['checked']}个"
    return text + (f"，故障{row['faults']}个" if row["faults"] else "")


def _guards(row):
    st = row["staffing"]
    if st.required is None:
        return "无规定"
    return f"在编{st.on_staff}名／应配{st.required}名" + ("（不足）" if st.shortfall else "")


def _hazards(row):
    if not row["orders"]:
        return "无"
    return f"{len(row['orders'])}项" + (f"（逾期{row['overdue']}项）" if row["overdue"] else "")


def street_table_docx(rows, *, office, day) -> bytes:
    with override("zh-hans"):  # an official export: Chinese whoever asks
        doc = new_document(landscape=True, margin_cm=1.5, size_pt=10)
        add_title(doc, "学校安全情况一览表", size_pt=18)
        doc.add_paragraph(f"{office}　　{zh_date(day)}　　共{len(rows)}所学校（幼儿园）："
                          f"到位{sum(1 for r in rows if r['colour'] == Colour.GREEN)}所，"
                          f"需关注{sum(1 for r in rows if r['colour'] == Colour.ORANGE)}所，"
                          f"不足{sum(1 for r in rows if r['colour'] == Colour.RED)}所。")
        add_table(doc, ["序号", "学校", "辖区", "学生数", "状况", "今日校门值守", "应急疏散演练", "监控", "专职保安",
                        "未销号隐患"],
                  [(n, str(r["school"]), r["school"].jurisdiction.name, r["school"].pupils,
                    COLOUR_ZH[Colour(r["colour"])], _gate(r), _drills(r), _cameras(r), _guards(r), _hazards(r))
                   for n, r in enumerate(rows, 1)],
                  widths_cm=[1.1, 3.4, 2.2, 1.5, 1.5, 5.2, 3.6, 2.8, 2.8, 2.1], size_pt=9)
        doc.add_paragraph("专职保安配备依据：GB/T 29315-2022《中小学、幼儿园安全防范要求》。")
        doc.add_paragraph()
        add_signature(doc, str(office))
        add_signature(doc, zh_date(day))
        return docx_bytes(doc)
