"""Excel export of findings and their rectification orders (隐患整改台账), Chinese headers, times
local. The ledger's own columns come first under the import's spellings, so an exported sheet
reads back into `importing` (its 整改情况 / 复查情况 in words the import understands)."""

from django.utils.translation import override

from shouwang.core.documents import workbook_bytes

from .choices import OrderState, Result
from .models import Verification

HEADERS = ["序号", "整改单号", "检查日期", "所属节点", "单位名称/场所", "隐患描述", "隐患等级", "来源", "整改要求",
           "整改责任单位", "整改责任人", "整改期限", "整改情况", "复查情况", "复查日期", "状态", "报告整改完成时间",
           "复查人", "复查未通过次数", "挂牌督办", "销号时间", "下达人"]
WIDTHS = [6, 16, 18, 12, 22, 40, 10, 12, 30, 20, 10, 18, 12, 12, 18, 22, 18, 10, 8, 8, 18, 10]


def _rectified_words(order):
    """整改情况 in the ledger's words (what the import reads back)."""
    if order.state in (OrderState.REPORTED, OrderState.CLOSED):
        return "已整改"
    if order.state == OrderState.IN_PROGRESS:
        return "整改中"
    return "未整改"


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def rows(orders):
    """One row per order (each with its finding), in the order given."""
    orders = list(orders.select_related(
        "finding__place", "finding__unit", "jurisdiction", "responsible_unit", "responsible_person", "ordered_by"))
    last = {}
    for v in Verification.objects.filter(order__in=orders).select_related("verifier").order_by("order", "at", "pk"):
        last[v.order_id] = v
    out = []
    for n, order in enumerate(orders, 1):
        finding = order.finding
        check = last.get(order.pk)
        review = ""
        if check is not None:
            review = "合格" if check.result == Result.PASS else "不合格"
            if check.note:
                review = f"{review}（{check.note}）"
        elif order.state == OrderState.CLOSED:
            review = "合格"  # closed without a record here: an imported ledger's verified row
        out.append([
            n, order.number, finding.found_at, order.jurisdiction.name, str(finding.place or finding.unit or ""),
            finding.description, finding.get_severity_display(), finding.get_source_display(), order.requirement,
            str(order.responsible_unit or ""), str(order.responsible_person or ""), order.deadline,
            _rectified_words(order), review, check.at if check else (order.closed_at or ""), order.get_state_display(),
            order.reported_at or "", _name(check.verifier) if check else "", order.failed_count,
            "是" if order.supervised else "否", order.closed_at or "", _name(order.ordered_by),
        ])
    return out


def workbook(orders):
    """The orders (already restricted and filtered by the caller) as .xlsx bytes."""
    with override("zh-hans"):
        data = rows(orders)
        return workbook_bytes([("隐患整改台账", HEADERS, data, WIDTHS)])
