"""The resources' part of the office's briefings (core.registry.BRIEFING_SECTIONS): what went in and
out of the stores in the period, the reserve team's call-outs with their shares against the
policy, the points opened; and, as of the briefing's data time, what is short of the reserve
standard, expired or near expiry, and equipment not returned in time. Chinese sentences, tables
whose figures link to their lists, frozen in the briefing as plain JSON."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import override

from shouwang.core.clock import local_datetime

from . import queries
from .choices import SHARE_LABELS, ExpiryBucket, MovementKind
from .models import CallOut, EquipmentIssue, Lot, PointOpening, StockMovement, Store

IN_KINDS = {MovementKind.IN, MovementKind.SURPLUS}
OUT_KINDS = {MovementKind.OUT}
OFF_KINDS = {MovementKind.WRITE_OFF, MovementKind.SHORTAGE}


def _number(value):
    return float(value) if value != int(value) else int(value)


def section(period):
    """The part for `period` (node, start, end, as_of, dates, link), or None when there is nothing to say."""
    with override("zh-hans"):
        return _section(period)


def _section(period):
    node = period.node
    sub = Q(jurisdiction__path__startswith=node.path)
    since, until = local_datetime(period.start), local_datetime(period.end + timedelta(days=1))
    moved = StockMovement.objects.filter(sub, at__gte=since, at__lt=until).select_related("item")
    by_item = defaultdict(lambda: {"in": Decimal("0"), "out": Decimal("0"), "off": Decimal("0")})
    for m in moved:
        row = by_item[(m.item.name, m.item.unit)]
        if m.kind in IN_KINDS:
            row["in"] += m.quantity
        elif m.kind in OUT_KINDS:
            row["out"] += m.quantity
        elif m.kind in OFF_KINDS:
            row["off"] += m.quantity
    callouts = list(CallOut.objects.filter(sub, sent_at__gte=since, sent_at__lt=until).select_related("team")
                    .order_by("sent_at"))
    openings = list(PointOpening.objects.filter(sub, opened_at__gte=since, opened_at__lt=until)
                    .select_related("point").order_by("opened_at"))
    stores = list(Store.objects.filter(sub).select_related("jurisdiction"))
    today = period.end
    short = queries.shortfalls(stores, today)
    buckets = queries.bucket_counts(Lot.objects.filter(sub), today)
    overdue = queries.overdue_issues(EquipmentIssue.objects.filter(sub), period.as_of).count()
    if not (by_item or callouts or openings or stores):
        return None

    text = []
    if stores:
        text.append(f"辖区共有应急物资储备库（点）{len(stores)}个；"
                    + (f"{len(short)}项物资低于储备标准" if short else "各储备库（点）物资均达到储备标准")
                    + f"，在库批次中已过期{buckets[ExpiryBucket.EXPIRED]}批、30天内到期{buckets[ExpiryBucket.DAYS_30]}批。")
    if by_item:
        issued = "、".join(f"{name}{queries.plain(v['out'])}{unit}" for (name, unit), v in by_item.items() if v["out"])
        text.append("本期物资出入库" + (f"，发放{issued}" if issued else "，无物资发放") + "。")
    if overdue:
        text.append(f"逾期未归还装备{overdue}件。")
    for c in callouts:
        rep = queries.callout_report(c)
        parts = "，".join(f"{SHARE_LABELS[s.label]}{s.percent}%（目标{s.target_percent}%，{'达标' if s.met else '未达标'}）"
                         for s in rep["shares"] if s.percent is not None and s.target is not None)
        text.append(f"{timezone.localtime(c.sent_at):%m月%d日%H:%M}{c.team.name}{c.get_kind_display()}，"
                    f"应到{rep['members']}人，确认{rep['acknowledged']}人，到达{rep['arrived']}人；{parts}。")
    for o in openings:
        text.append(f"启用{o.point.get_kind_display()}{o.point.name}，安置{o.occupancy}人。")

    tables = []
    if by_item:
        ledger = period.link("resources:stockmovement_list", **period.dates())
        tables.append({"title": "物资出入库", "header": ["物资", "计量单位", "入库", "发放", "报废及盘亏"], "rows": [
            [name, unit, _number(v["in"]), {"text": _number(v["out"]), "url": ledger}, _number(v["off"])]
            for (name, unit), v in sorted(by_item.items())]})
    if short:
        tables.append({"title": "低于储备标准的物资", "header": ["储备库（点）", "物资", "储备标准", "现有（未过期）"], "rows": [
            [r.store.name, r.item.name, f"{queries.plain(r.minimum)}{r.item.unit}", f"{queries.plain(r.have)}{r.item.unit}"]
            for r in short]})
    return {"text": text, "tables": tables, "charts": []}
