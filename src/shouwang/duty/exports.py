"""The habitual duty table (值班表): date rows × posts, names in cells, as Excel (which reads back into
`importing`) and as a month on A4 landscape (Word, Chinese), through core's document helpers."""

from collections import defaultdict
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import override

from shouwang.core.documents import (
    add_signature,
    add_table,
    add_title,
    docx_bytes,
    new_document,
    workbook_bytes,
    zh_date,
)

from .choices import Post
from .models import Assignment

WEEKDAYS = "一二三四五六日"
NAMES_JOIN = "、"


def columns(roster):
    """[(shift id, post, heading)] in the order the table shows them: a single shift's columns are
    its posts (带班领导, 值班员), a single post's are its shifts (早班, 中班, 夜班), else both."""
    labels = dict(Post.choices)
    shift_ids = [s["id"] for s in roster.shifts]
    posts = roster.posts() or [Post.DUTY_OFFICER]
    order = {p: i for i, p in enumerate(Post.values)}

    def place(pair):
        shift_id, post = pair
        return (shift_ids.index(shift_id) if shift_id in shift_ids else 99, order.get(post, 9))

    wanted = sorted({(r["shift"], r["role"]) for r in roster.demand}, key=place)
    out = []
    for shift_id, post in wanted:
        if len(shift_ids) == 1:
            heading = str(labels.get(post, post))
        elif len(posts) == 1:
            heading = roster.shift_label(shift_id)
        else:
            heading = f"{roster.shift_label(shift_id)}{labels.get(post, post)}"
        out.append((shift_id, post, heading))
    return out


def table(roster):
    """(headings, rows): 日期, 星期, then one column per (shift, post) with the names on it."""
    with override("zh-hans"):
        cols = columns(roster)
        names = defaultdict(list)
        for a in (Assignment.objects.live().filter(roster=roster).select_related("person")
                  .order_by("day", "person__name", "pk")):
            names[(a.day, a.shift, a.post)].append(a.person.name)
        rows = []
        for d in range(roster.days):
            day = roster.starts_on + timedelta(days=d)
            rows.append([day, f"星期{WEEKDAYS[day.weekday()]}",
                         *[NAMES_JOIN.join(names.get((day, s, p), [])) for s, p, _h in cols]])
        return ["日期", "星期", *[h for _s, _p, h in cols]], rows


def workbook(roster):
    headings, rows = table(roster)
    return workbook_bytes([(roster.name[:31], headings, rows, [12, 8, *[16] * (len(headings) - 2)])])


def month_document(roster):
    """The roster on A4 landscape: its title, period and node, the table, the shifts' times."""
    headings, rows = table(roster)
    with override("zh-hans"):
        doc = new_document(landscape=True, margin_cm=1.5, size_pt=10)
        add_title(doc, roster.name, size_pt=18)
        last = roster.starts_on + timedelta(days=roster.days - 1)
        doc.add_paragraph(f"{roster.jurisdiction.name}　{zh_date(roster.starts_on)}至{zh_date(last)}")
        add_table(doc, headings, [[f"{r[0].month}月{r[0].day}日", *r[1:]] for r in rows], size_pt=9)
        times = "；".join(f"{s.get('label') or s['id']} {s['start']}—{s['end']}" for s in roster.shifts)
        doc.add_paragraph(_("Shifts: %(times)s") % {"times": times})
        add_signature(doc, f"{roster.jurisdiction.name}\n{zh_date(roster.published_at or roster.updated_at)}")
        return docx_bytes(doc)
