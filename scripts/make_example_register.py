"""Write docs/registers-example.xlsx: a key-place register laid out the way offices keep them.

    .venv/bin/python scripts/make_example_register.py

The sheet has what real ones have: a title row and a note row above a two-level header with
merged cells, full-width digits and spaces, dates typed as text (2026年3月5日, 2026.3.5),
blank rows, a subtotal row, one row in GCJ-02 (marked in the 坐标系 column), and a few
rows with mistakes so the import preview has something to refuse. Node codes and most
names are those of the demo street, so importing it after `load_demo` updates those
entries and adds the new ones.
"""

import datetime
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "registers-example.xlsx"

TOP = ["序号", "节点编码", "名　称", "类别", "位置", None, "坐标系", "责任单位", "复核周期（天）", "上次复核日期", "特别防范措施"]
SUB = [None, None, None, None, "纬度", "经度", None, None, None, None, None]
ROWS = [
    [1, "QL-WC-LA", "望川中学", "学校", "３１．２３０１", "１２１．４７１１", "WGS84", "望川中学", "３０", "2026年3月5日", "上下学时段护学岗"],
    [2, "QL-WC-LA", "柳岸小学", "学校", "31.2291", "121.4705", "", "柳岸小学", "30", "2026.3.5", "校门防冲撞设施"],
    None,
    [3, "ＱＬ－ＷＣ－ＧＸ", "望川医院", "医院", 31.2262, 121.4841, "", "望川医院", 30, "2026/02/27", "医警联动"],
    [4, "QL-WC-QQ", "清泉加油站", "加油站", 31.22415, 121.47851, "GCJ-02", "清泉加油站", 15, "2026年2月20日", "油罐区禁火"],
    [5, "QL-WC-MH", "明湖夜市", "人员密集街道", "31.2401", "121.4690", "", "", "7", "2026年3月1日", "夜间客流高峰加强巡逻"],
    [6, "QL-WC-FL", "枫林公交枢纽", "交通站点及线路", "31.2209", "121.4892", "", "", "30", "", ""],
    None,
    ["小计", None, None, None, None, None, None, None, None, None, None],
    [7, "QL-WC-YS", "云杉旧仓库", "飞船基地", "31.2350", "121.4785", "", "", "30", "", "类别写错：预览会拒绝"],
    [8, "QL-WC-YS", "云杉河堤", "桥梁", "95", "121.4785", "", "", "30", "", "纬度写错：预览会拒绝"],
    [9, "QL-WC-YS", "云杉地下车库", "地下空间", "", "", "", "", "30", "2026年2月30日", "日期写错：预览会拒绝"],
]


def build(path=OUT):
    wb = Workbook()
    ws = wb.active
    ws.title = "重点场所台账"
    ws.append(["望川街道重点场所（部位）安全防范台账"])
    ws.merge_cells("A1:K1")
    ws.append(["填报单位：望川街道平安办　　　填报日期：2026年3月6日　　　说明：坐标系一栏注明 GCJ-02 的为高德/腾讯地图坐标"])
    ws.merge_cells("A2:K2")
    ws.append(TOP)
    ws.append(SUB)
    for col in "ABCDGHIJK":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:F3")
    for row in ROWS:
        ws.append(row if row is not None else [])
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in zip("ABCDEFGHIJK", [6, 14, 18, 16, 12, 12, 9, 16, 12, 16, 28], strict=True):
        ws.column_dimensions[col].width = width
    fixed = datetime.datetime(2026, 3, 6, 9, 0)  # noqa: DTZ001 (workbook properties are naive)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "Shouwang"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
