"""Write docs/resources-example.xlsx: a supplies ledger (物资台账) laid out the way offices keep it.

    .venv/bin/python scripts/make_example_supplies.py

A title row and a note above a two-level header with merged cells (数量 over 库存数量), 序号,
full-width digits, dates typed as text, a subtotal row, and a few rows with mistakes so the
preview has something to refuse. The stores are the demo street's, so importing it after
`load_demo` adds the rows to their stores and two items to the catalogue.
"""

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "resources-example.xlsx"

TOP = ["序号", "物资名称", "物资类别", "规格型号", "计量单位", "数量", "批号", "有效期至", "仓库", "备注"]
SUB = [None, None, None, None, None, "库存数量", None, None, None, None]
DEPOT, GX = "望川街道应急物资储备库", "桂香社区应急物资储备点"
ROWS = [
    [1, "棉被", "生活物资", "1.5×2米", "床", "２０", "2026-11", "", DEPOT, "冬季补充"],
    [2, "瓶装饮用水", "生活物资", "550毫升×24瓶", "箱", 24, "SW2611", "2027年11月30日", GX, "补足储备标准"],
    [3, "救生衣", "抢险救援", "成人", "件", 30, "", "", DEPOT, "防汛新购"],
    [4, "应急毛毯", "生活物资", "", "条", 50, "", "", GX, ""],
    [5, "医用口罩", "医疗", "50只", "盒", 20, "KZ2611", "2028.11.30", DEPOT, ""],
    ["小计", None, None, None, None, 144, None, None, None, None],
    [6, "雨衣", "防护用品", "", "套", 10, "", "", DEPOT, "单位写错：目录中为“件”，预览会拒绝"],
    [7, "照明灯", "照明", "", "", 5, "", "", DEPOT, "新物资没写单位：预览会拒绝"],
    [8, "方便面", "生活物资", "", "箱", 6, "", "2027年2月30日", "云杉仓库", "日期和仓库写错：预览会拒绝"],
]


def main(out=OUT):
    wb = Workbook()
    ws = wb.active
    ws.title = "物资台账"
    ws.append(["望川街道应急物资台账（2026年12月）"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：望川街道平安办　　填报日期：2026年12月5日"])
    ws.merge_cells("A2:J2")
    ws.append(TOP)
    ws.append(SUB)
    for col in "ABCDEGHIJ":
        ws.merge_cells(f"{col}3:{col}4")
    for row in ROWS:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for width, col in zip([6, 14, 10, 14, 8, 10, 10, 14, 24, 30], "ABCDEFGHIJ", strict=True):
        ws.column_dimensions[col].width = width
    wb.save(out)
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
