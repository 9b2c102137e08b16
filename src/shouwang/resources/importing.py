"""Import an office's supplies ledger (物资台账) from Excel, with a preview.

Offices keep one sheet per store or one for all: a title row or two, merged headers, 序号 and
subtotal rows, full-width digits, dates typed as text; core/sheets.py reads them. Each row is
stock in a store: it becomes a receipt (a movement in) of its lot. `parse()` decides each row's
outcome and writes nothing; `apply()` writes the valid rows in one transaction, creating the
catalogue items the sheet names that the catalogue lacks.

A row's client id is made from the sheet's cells and the row number, so importing the same ledger
again (even saved again) adds nothing (each row answers "already imported").
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.scope import can_at
from shouwang.core.sheets import (
    columns_of,
    data_rows,
    find_header,
    header_key,
    norm,
    parse_date,
    read_grid,
)

from . import services
from .choices import SupplyCategory
from .models import StockMovement, Store, SupplyItem

NAMESPACE = uuid.UUID("6f1c2a0e-5d1b-4f7e-9a39-2a6a0c1b7d54")

# field -> header spellings (compared normalised). The first is what the export writes.
COLUMNS = {
    "name": ["物资名称", "名称", "品名", "物资", "name"],
    "category": ["类别", "物资类别", "分类", "category"],
    "specification": ["规格型号", "规格", "型号", "specification"],
    "unit": ["计量单位", "单位", "unit"],
    "quantity": ["数量", "库存数量", "储备数量", "结存", "结存数量", "现有数量", "quantity"],
    "lot_number": ["批号", "批次", "生产批号", "lot"],
    "expires_on": ["有效期至", "有效期", "失效日期", "保质期至", "到期日期", "expireson"],
    "received_on": ["入库日期", "购置日期", "采购日期", "receivedon"],
    "store": ["仓库", "储备库", "存放地点", "存放仓库", "储备点", "store"],
    "code": ["物资编码", "编码", "code"],
    "note": ["备注", "说明", "note"],
}
_LOOKUP = {header_key(name): f for f, names in COLUMNS.items() for name in names}

# Words offices write for the categories (besides the categories' own names).
CATEGORY_WORDS = {
    "medical": ["医疗", "急救", "医疗急救", "医药", "药品", "卫生"],
    "protective": ["防护", "防护用品", "个人防护", "劳保"],
    "lighting": ["照明", "照明器材", "照明设备"],
    "communication": ["通信", "通讯", "通信设备", "通讯器材"],
    "daily": ["生活", "生活用品", "生活必需品", "生活物资", "救灾物资"],
    "rescue": ["救援", "抢险", "抢险救援", "救援工具", "工具", "抢险器材"],
    "other": ["其他", "其它"],
}


def category_of(text):
    key = header_key(text)
    if not key:
        return None
    for choice in SupplyCategory:
        if key in (header_key(choice.value), header_key(choice.label)):
            return choice.value
    for code, words in CATEGORY_WORDS.items():
        if any(header_key(w) == key or header_key(w) in key for w in words):
            return code
    return None


@dataclass
class Row:
    number: int
    values: dict
    outcome: str = "receive"  # receive / imported (already) / error
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors


@dataclass
class Sheet:
    rows: list
    header_row: int | None
    columns: dict
    digest: str = ""
    problems: list = field(default_factory=list)
    new_items: list = field(default_factory=list)

    @property
    def valid(self):
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self):
        return [r for r in self.rows if not r.ok]

    def counts(self):
        out = {"receive": 0, "imported": 0, "error": 0}
        for r in self.rows:
            out[r.outcome] += 1
        return out


def _quantity(value):
    text = norm(value).replace(",", "")
    if not text:
        raise ValueError
    number = Decimal(str(value)) if isinstance(value, int | float) and not isinstance(value, bool) else Decimal(text)
    if not number.is_finite() or number <= 0 or number != number.quantize(Decimal("0.001")):
        raise ValueError
    return number


def parse(file, user, store=None):
    """Read the sheet, decide each row. Writes nothing. `store`: for rows that name none."""
    _title, grid = read_grid(file)
    # the sheet's cells, not the file's bytes: saving the same ledger again (a new timestamp inside
    # the .xlsx) is still the same ledger
    digest = hashlib.sha256(json.dumps(grid, default=str, ensure_ascii=False).encode()).hexdigest()
    header = find_header(grid, _LOOKUP)
    if header is None:
        return Sheet(rows=[], header_row=None, columns={}, digest=digest, problems=[
            _("No header row found: the sheet needs at least the item name and one more known column "
              "(数量, 计量单位, 有效期至…).")])
    columns = columns_of(grid[header], _LOOKUP)
    sheet = Sheet(rows=[Row(number=n, values=v) for n, v in data_rows(grid, header, columns)],
                  header_row=header + 1, columns=columns, digest=digest)
    if "quantity" not in columns:
        sheet.problems.append(_("No quantity column (数量): nothing to receive."))
    if "store" not in columns and store is None:
        sheet.problems.append(_("No store column (仓库): choose the store the rows go to."))
    stores = {s.name: s for s in Store.objects.restrict(user, "change").select_related("jurisdiction")}
    visible = list(SupplyItem.objects.restrict(user, "view").select_related("jurisdiction")
                   .order_by("-jurisdiction__depth"))
    planned = {}
    for row in sheet.rows:
        _check_row(row, sheet, user, store, stores, visible, planned)
        if sheet.problems:
            row.errors.extend(sheet.problems)
        if row.errors:
            row.outcome = "error"
    sheet.new_items = list(planned.values())
    _mark_imported(sheet, user)
    return sheet


def _check_row(row, sheet, user, default_store, stores, visible, planned):
    v, d, errors = row.values, row.data, row.errors
    name = norm(v.get("name"))[:100]
    if not name:
        errors.append(_("The item name is empty."))
    store_name = norm(v.get("store"))
    target = stores.get(store_name) if store_name else default_store
    if store_name and target is None:
        errors.append(_("Store “%(name)s” is not one of the stores you keep.") % {"name": store_name})
    elif target is None:
        errors.append(_("No store: name it in the row or choose one for the import."))
    d["store"] = target
    try:
        d["quantity"] = _quantity(v.get("quantity"))
    except (ValueError, InvalidOperation):
        errors.append(_("Quantity “%(value)s” is not a positive number (at most three decimals).")
                      % {"value": norm(v.get("quantity"))})
    for f in ("expires_on", "received_on"):
        if v.get(f) in (None, ""):
            d[f] = None
            continue
        try:
            d[f] = parse_date(v.get(f))
        except ValueError:
            errors.append(_("“%(value)s” is not a date (e.g. 2026-03-05, 2026年3月5日, 2026.3.5).")
                          % {"value": norm(v.get(f))})
    if d.get("received_on") and d["received_on"] > timezone.localdate():
        errors.append(_("The received date %(date)s is in the future.") % {"date": d["received_on"]})
    if d.get("expires_on") and d.get("received_on") and d["expires_on"] < d["received_on"]:
        errors.append(_("It cannot expire before it was received."))
    if d.get("expires_on") and d["expires_on"] < timezone.localdate():
        row.warnings.append(_("Expired on %(date)s: it goes in as expired stock.") % {"date": d["expires_on"]})
    d["lot_number"] = norm(v.get("lot_number"))[:60]
    d["description"] = norm(v.get("note"))[:500]
    unit = norm(v.get("unit"))[:16]
    if target is None or not name:
        return
    item = _item_for(name, target, visible)
    if item is not None:
        if unit and header_key(unit) != header_key(item.unit):
            errors.append(_("Unit “%(unit)s” differs from the catalogue's “%(known)s” for %(item)s.")
                          % {"unit": unit, "known": item.unit, "item": item.name})
        d["item"] = item
        return
    key = (target.jurisdiction_id, name)
    if key not in planned:
        category = category_of(v.get("category")) or "other"
        if not unit:
            errors.append(_("%(item)s is not in the catalogue and the row gives no unit: add the unit (计量单位).")
                          % {"item": name})
            return
        if not can_at(user, "resources", "add", target.jurisdiction.path):
            errors.append(_("You may not add catalogue items on %(node)s.") % {"node": target.jurisdiction.name})
            return
        planned[key] = {"jurisdiction": target.jurisdiction, "name": name, "unit": unit, "category": category,
                        "specification": norm(v.get("specification"))[:120], "code": ""}
    row.warnings.append(_("%(item)s is new to the catalogue: it will be added (%(category)s, %(unit)s).")
                        % {"item": name, "category": SupplyCategory(planned[key]["category"]).label,
                           "unit": planned[key]["unit"]})
    d["new_item"] = key


def _item_for(name, store, visible):
    """The catalogue item of that name on the store's node or above (the nearest first)."""
    path = store.jurisdiction.path
    for item in visible:
        if item.name == name and path.startswith(item.jurisdiction.path):
            return item
    return None


def client_id(sheet, row):
    return uuid.uuid5(NAMESPACE, f"{sheet.digest}:{row.number}")


def _mark_imported(sheet, user):
    keys = {str(client_id(sheet, r)): r for r in sheet.rows if r.ok}
    done = set(StockMovement.objects.filter(client_id__in=list(keys)).values_list("client_id", flat=True))
    for key in done:
        row = keys[str(key)]
        row.outcome = "imported"
        row.warnings.append(_("Already imported from this file: it adds nothing."))


@transaction.atomic
def apply(sheet, user, *, only_valid=False):
    """Write the rows: all or nothing, or only the valid ones when the user chose so."""
    if not sheet.rows:
        raise ValidationError(_("The sheet has no rows to import."))
    if sheet.invalid and not only_valid:
        raise ValidationError(_("%(n)s rows have errors: nothing was imported.") % {"n": len(sheet.invalid)})
    made = {}
    for key in dict.fromkeys(r.data["new_item"] for r in sheet.valid if "new_item" in r.data):
        plan = next(p for p in sheet.new_items if (p["jurisdiction"].pk, p["name"]) == key)
        item = SupplyItem.objects.filter(jurisdiction=plan["jurisdiction"], name=plan["name"]).first()
        if item is None:
            item = SupplyItem(**plan)
            item.full_clean()
            item.save()
        made[key] = item
    rows = []
    for r in sheet.valid:
        item = r.data.get("item") or made[r.data["new_item"]]
        rows.append({"store": r.data["store"], "item": item, "quantity": r.data["quantity"],
                     "lot_number": r.data["lot_number"], "expires_on": r.data["expires_on"],
                     "received_on": r.data["received_on"] or timezone.localdate(),
                     "description": r.data["description"] or _("imported ledger"), "client_id": client_id(sheet, r)})
    outcomes = services.post_receipts(rows, by=user)
    refused = [(r, o) for r, o in zip(sheet.valid, outcomes, strict=True) if o.errors]
    if refused:
        row, outcome = refused[0]
        raise ValidationError(_("Row %(row)s: %(reason)s") % {
            "row": row.number, "reason": " ".join(str(m) for ms in outcome.errors.values() for m in ms)})
    return {"received": sum(1 for o in outcomes if not o.replayed), "imported": sum(1 for o in outcomes if o.replayed),
            "items": len(made), "skipped": len(sheet.invalid)}

