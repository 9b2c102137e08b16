"""Documents out: the supplies ledger and an item's stock card (Excel), the readiness summary of a
node (Word, A4, Chinese), all on core's document helpers. Official documents are Chinese whatever
the reader's language."""

from django.utils import timezone
from django.utils.translation import override

from shouwang.core import documents

from . import queries
from .choices import INBOUND, SHARE_LABELS, EquipmentState, ExpiryBucket

# The ledger's columns (the import reads the same headings back).
LEDGER_HEADERS = ["日期时间", "仓库", "物资名称", "规格型号", "计量单位", "批号", "有效期至", "类别", "入库", "出库",
                  "结存", "领用/去向", "原因", "经办人", "说明"]


def _who(user):
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else (user.get_full_name() or user.get_username())


def _number(value):
    return float(value) if value is not None else None


def ledger_workbook(movements) -> bytes:
    """The ledger (出入库台账) of the movements given, oldest first."""
    with override("zh-hans"):
        rows = []
        for m in movements.select_related("item", "store", "lot", "recorded_by__person").order_by("at", "pk"):
            inbound = m.kind in INBOUND
            rows.append([m.at, m.store.name, m.item.name, m.item.specification, m.item.unit, m.lot.lot_number,
                         m.lot.expires_on, m.get_kind_display(), _number(m.quantity) if inbound else None,
                         None if inbound else _number(m.quantity), _number(m.balance_after), m.recipient, m.reason,
                         _who(m.recorded_by), m.cause_label or m.description])
        widths = [18, 16, 16, 14, 8, 12, 12, 10, 10, 10, 10, 16, 16, 10, 24]
        return documents.workbook_bytes([("出入库台账", LEDGER_HEADERS, rows, widths)])


def stock_card_workbook(item, store, opening, rows) -> bytes:
    """The stock card (物资卡) of an item in a store: every movement with the running balance."""
    with override("zh-hans"):
        headers = ["日期时间", "摘要", "批号", "有效期至", "收入", "发出", "结存", "领用/去向", "经办人"]
        lines = [[None, "期初结存", "", None, None, None, _number(opening), "", ""]]
        for row in rows:
            m = row["movement"]
            lines.append([m.at, m.get_kind_display() + (f"（{m.cause_label}）" if m.cause_label else ""),
                          m.lot.lot_number, m.lot.expires_on, _number(row["in"]), _number(row["out"]),
                          _number(row["balance"]), m.recipient or m.reason or m.description, _who(m.recorded_by)])
        title = f"{item.name}·{store.name}"[:31].replace("/", "-")
        return documents.workbook_bytes([(title, headers, lines, [18, 22, 12, 12, 10, 10, 10, 18, 10])])


def readiness_docx(report) -> bytes:
    """The readiness summary of a node (应急资源准备情况): supplies against the reserve standard and
    near expiry, equipment and what is overdue, the reserve teams with their last call-out test,
    the evacuation and diversion points."""
    with override("zh-hans"):
        doc = documents.new_document()
        documents.add_title(doc, f"{report.node.name}应急资源准备情况")
        doc.add_paragraph(f"截至{documents.zh_date(report.today)}")

        doc.add_heading("一、应急物资", level=1)
        b = report.buckets
        doc.add_paragraph(
            f"储备库（点）{len(report.stores)}个；在库批次中已过期{b[ExpiryBucket.EXPIRED]}批，30天内到期"
            f"{b[ExpiryBucket.DAYS_30]}批，60天内到期{b[ExpiryBucket.DAYS_60]}批，90天内到期{b[ExpiryBucket.DAYS_90]}批。")
        if report.stores:
            documents.add_table(doc, ["储备库（点）", "所属", "保管人", "最近盘点"], [
                [s.name, s.jurisdiction.name, s.keeper.name if s.keeper else "未指定",
                 documents.zh_date(s.last_stocktake_on) or "未盘点"] for s in report.stores], size_pt=10)
        if report.shortfalls:
            doc.add_paragraph("低于储备标准的物资：")
            documents.add_table(doc, ["储备库（点）", "物资", "储备标准", "现有（未过期）", "缺口"], [
                [r.store.name, r.item.name, f"{queries.plain(r.minimum)}{r.item.unit}",
                 f"{queries.plain(r.have)}{r.item.unit}", f"{queries.plain(r.missing)}{r.item.unit}"]
                for r in report.shortfalls], size_pt=10)
        else:
            doc.add_paragraph("各储备库（点）物资均达到储备标准。")
        if report.expiring:
            doc.add_paragraph("已过期或90天内到期的批次：")
            documents.add_table(doc, ["储备库（点）", "物资", "批号", "有效期至", "数量", "状态"], [
                [lot.store.name, lot.item.name, lot.lot_number or "—", documents.zh_date(lot.expires_on),
                 f"{queries.plain(lot.quantity)}{lot.item.unit}", str(ExpiryBucket(lot.bucket).label)]
                for lot in report.expiring], size_pt=10)

        doc.add_heading("二、装备", level=1)
        e = report.equipment
        doc.add_paragraph(
            f"在库{e[EquipmentState.AVAILABLE]}件，已发放{e[EquipmentState.ISSUED]}件，维修中{e[EquipmentState.REPAIR]}件，"
            f"遗失{e[EquipmentState.LOST]}件，已报废{e[EquipmentState.RETIRED]}件；逾期未归还{len(report.overdue)}件。")
        if report.overdue:
            documents.add_table(doc, ["装备", "领用人（队伍）", "用途", "应归还时间"], [
                [str(i.equipment), str(i.holder), i.get_purpose_display(), documents.zh_datetime(i.due_back_at)]
                for i in report.overdue], size_pt=10)

        doc.add_heading("三、应急预备队", level=1)
        if not report.teams:
            doc.add_paragraph("辖区内未登记应急预备队。")
        for row in report.teams:
            team = row["team"]
            size = f"（预案要求{row['size']}人）" if row["size"] else ""
            point = row["point"]
            doc.add_paragraph(f"{team.name}：在册{row['members']}人{size}；集结点："
                              f"{point.name + (' ' + point.address if point.address else '') if point else '未设置'}。")
            test, rep = row["test"], row["report"]
            if test is None:
                doc.add_paragraph("尚无拉动测试记录。")
                continue
            doc.add_paragraph(f"最近一次拉动测试：{documents.zh_datetime(test.sent_at)}，应到{rep['members']}人，"
                              f"确认{rep['acknowledged']}人，到达集结点{rep['arrived']}人。")
            documents.add_table(doc, ["指标", "实际", "目标", "是否达标"], [
                [str(SHARE_LABELS[s.label]), f"{s.done}/{s.of}（{s.percent}%）" if s.of else "—",
                 f"{round(s.target * 100)}%" if s.target is not None else "—", "达标" if s.met else "未达标"]
                for s in rep["shares"]], size_pt=10)

        doc.add_heading("四、疏散点与分流点", level=1)
        if not report.points:
            doc.add_paragraph("辖区内未登记疏散点、分流点。")
        else:
            documents.add_table(doc, ["名称", "类型", "容纳人数", "有效面积（㎡）", "预置车辆", "最近检查", "状态"], [
                [p.name, p.get_kind_display(), p.capacity, p.area_m2 or "—", p.vehicle_count or 0,
                 documents.zh_date(p.last_checked_on) or "未检查", "可用" if p.available else "检查未通过，不可用"]
                for p in report.points], size_pt=10)
        documents.add_signature(doc, f"{report.node.name}")
        documents.add_signature(doc, documents.zh_date(timezone.localdate()))
        return documents.docx_bytes(doc)

