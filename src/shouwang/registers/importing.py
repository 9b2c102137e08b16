"""Import key places from the Excel sheets offices already keep.

Real sheets have a title row or two above the header, merged header cells (two-level
headers), blank rows, full-width digits and spaces, and dates typed as text. `parse()`
reads such a sheet into rows, each with its outcome (create / update / error) and the
reasons; `apply()` writes the valid rows in one transaction. Nothing is written by
`parse()`. The natural key is node code + name, so a re-import updates.
"""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.core.clock import local_datetime
from shouwang.core.geo import gcj02_to_wgs84, validate_polygon
from shouwang.core.models import Jurisdiction, Person, Unit
from shouwang.core.scope import can_at
from shouwang.core.sheets import (
    columns_of,
    data_rows,
    find_header,
    header_key,
    norm,
    parse_date,
    parse_number,
    read_grid,
)

from .choices import KIND_OF_CATEGORY, Category, PlaceKind
from .models import CategoryWord, KeyPlace
from .models.words import built_in_words
from .services import policy_period

# field -> header spellings (compared after normalising: NFKC, no spaces, lower case).
# The first spelling is the one the export writes, so an exported sheet imports again.
COLUMNS = {
    "node_code": ["节点编码", "社区编码", "编码", "节点代码", "nodecode"],
    "node_name": ["节点", "所属社区", "社区", "所属节点", "node"],
    "name": ["名称", "场所名称", "重点场所名称", "单位名称", "部位名称", "name"],
    "kind": ["类型", "场所类型", "kind"],
    "category": ["类别", "场所类别", "分类", "category"],
    "unit": ["所属单位", "单位", "unit"],
    "address": ["地址", "详细地址", "address"],
    "lat": ["纬度", "lat", "latitude"],
    "lon": ["经度", "lon", "lng", "longitude"],
    "polygon": ["范围", "范围坐标", "polygon"],
    "crs": ["坐标系", "crs"],
    "responsible_unit": ["责任单位", "responsibleunit"],
    "responsible_person": ["责任人", "responsibleperson"],
    "protective_forces": ["防护力量", "防范力量", "protectiveforces"],
    "special_precautions": ["特别防范措施", "特殊防范措施", "防范措施", "specialprecautions"],
    "review_period_days": ["复核周期(天)", "复核周期", "reviewperiod(days)"],
    "last_reviewed_at": ["上次复核日期", "上次复核", "最近复核日期", "lastreviewedat"],
}
EXPORT_HEADERS = {f: names[0].replace("(天)", "（天）") for f, names in COLUMNS.items()}
GCJ_MARKERS = ("gcj-02", "gcj02", "火星坐标", "高德", "腾讯地图")


_HEADER_LOOKUP = {header_key(name): f for f, names in COLUMNS.items() for name in names}


def category_lookup():
    """Normalised word -> category: each category's code and names, then the office's table of
    words (自来水, 天然气...), which the office edits on the words page."""
    table = built_in_words()
    table.update(CategoryWord.objects.values_list("key", "category"))
    return table


def kind_lookup():
    table = built_in_words(PlaceKind.choices)
    table.update({header_key("区域"): "area", header_key("单位"): "unit", header_key("部位"): "site"})
    return table


def parse_polygon(value):
    text = norm(value)
    if not text:
        return None
    if text.startswith("{"):
        return json.loads(text)
    ring = []
    for pair in re.split(r"[;；\n]+", text):
        if pair.strip():
            lon, lat = (float(x) for x in re.split(r"[,，\s]+", pair.strip())[:2])
            ring.append([lon, lat])
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class Row:
    number: int  # the row number in the sheet, as the office sees it
    values: dict
    outcome: str = "create"  # create / update / error
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    existing_id: int | None = None
    category_word: str = ""  # the sheet's word when it is not the category's own name (自来水 for 供水)

    @property
    def ok(self):
        return not self.errors

    @property
    def category_label(self):
        code = self.data.get("category")
        return Category(code).label if code else ""


@dataclass
class Sheet:
    rows: list
    header_row: int | None
    columns: dict  # field -> column index
    gcj02: bool
    problems: list = field(default_factory=list)
    target: object = None  # the node chosen for rows that name none

    @property
    def valid(self):
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self):
        return [r for r in self.rows if not r.ok]

    def counts(self):
        out = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for r in self.rows:
            out[r.outcome] += 1
        return out


def read_sheet(file, gcj02=False, target=False):
    title, grid = read_grid(file)
    header = find_header(grid, _HEADER_LOOKUP)
    if header is None:
        return Sheet(rows=[], header_row=None, columns={}, gcj02=gcj02,
                     problems=[_("No header row found: the sheet needs at least a name column and one more known column.")])
    columns = columns_of(grid[header], _HEADER_LOOKUP)
    above = " ".join(norm(v) for row in grid[:header] for v in row if v is not None).lower()
    if any(marker in above for marker in GCJ_MARKERS) or any(m in header_key(title) for m in GCJ_MARKERS):
        gcj02 = True
    rows = [Row(number=number, values=values) for number, values in data_rows(grid, header, columns)]
    problems = []
    if "node_code" not in columns and "node_name" not in columns and not target:
        problems.append(_("No node column (节点编码 or 社区): every row needs the node it belongs to."))
    return Sheet(rows=rows, header_row=header + 1, columns=columns, gcj02=gcj02, problems=problems)


def parse(file, user, gcj02=False, target=None):
    """Read the sheet and decide each row's outcome. Writes nothing. `target`: the node (id) that
    rows naming no node go to."""
    sheet = read_sheet(file, gcj02=gcj02, target=bool(target))
    categories, kinds = category_lookup(), kind_lookup()
    seen = {}
    nodes_by_code = {n.code: n for n in Jurisdiction.objects.restrict(user, "view")}
    sheet.target = next((n for n in nodes_by_code.values() if n.pk == target), None) if target else None
    nodes_by_name = {}
    for n in nodes_by_code.values():
        nodes_by_name.setdefault(n.name, []).append(n)
    for row in sheet.rows:
        _check_row(row, sheet, user, categories, kinds, nodes_by_code, nodes_by_name)
        if row.ok:
            key = (row.data["jurisdiction"].pk, row.data["name"])
            if key in seen:
                row.errors.append(_("Same node and name as row %(row)s.") % {"row": seen[key]})
            else:
                seen[key] = row.number
        if sheet.problems and not row.errors:
            row.errors.extend(sheet.problems)
        row.outcome = "error" if row.errors else row.outcome
    return sheet


def _check_row(row, sheet, user, categories, kinds, nodes_by_code, nodes_by_name):
    v, data, errors = row.values, row.data, row.errors
    name = norm(v.get("name"))
    if not name:
        errors.append(_("The name is empty."))
    data["name"] = name[:120]
    node = None
    code, node_name = norm(v.get("node_code")), norm(v.get("node_name"))
    if code:
        node = nodes_by_code.get(code) or nodes_by_code.get(code.upper())
        if node is None:
            errors.append(_("Unknown node code “%(code)s” (or outside your jurisdiction).") % {"code": code})
    elif node_name:
        found = nodes_by_name.get(node_name, [])
        if len(found) == 1:
            node = found[0]
        else:
            errors.append(_("Node “%(name)s” is unknown or ambiguous; give its code.") % {"name": node_name})
    if node is None and not code and not node_name and sheet.target is not None:
        node = sheet.target  # the node the office chose for rows that name none
    data["jurisdiction"] = node
    category_text = norm(v.get("category"))
    category = categories.get(header_key(category_text)) if category_text else None
    if not category:
        errors.append(_("Unknown category “%(value)s”.") % {"value": category_text})
    elif header_key(category_text) != header_key(category) and category_text != str(Category(category).label):
        row.category_word = category_text  # matched through the office's words: the preview shows which
        row.warnings.append(_("Category “%(word)s” read as “%(category)s”.")
                            % {"word": category_text, "category": Category(category).label})
    data["category"] = category
    kind_text = norm(v.get("kind"))
    kind = kinds.get(header_key(kind_text)) if kind_text else (KIND_OF_CATEGORY.get(category) if category else None)
    if kind_text and not kind:
        errors.append(_("Unknown kind “%(value)s”.") % {"value": kind_text})
    elif category and kind and KIND_OF_CATEGORY.get(category) != kind:
        errors.append(_("Category “%(category)s” is not a %(kind)s.")
                      % {"category": category_text, "kind": PlaceKind(kind).label})
    data["kind"] = kind
    for f in ("address", "protective_forces", "special_precautions"):
        if f in sheet.columns:
            data[f] = norm(v.get(f))
    gcj = sheet.gcj02 or any(m in header_key(v.get("crs")) for m in GCJ_MARKERS)
    _check_location(row, gcj)
    if "review_period_days" in sheet.columns and norm(v.get("review_period_days")):
        try:
            days = parse_number(v.get("review_period_days"))
            if days is None or days != int(days) or not 1 <= days <= 3650:
                raise ValueError
            data["review_period_days"] = int(days)
        except ValueError:
            errors.append(_("Review period “%(value)s” is not a whole number of days between 1 and 3650.")
                          % {"value": norm(v.get("review_period_days"))})
    if "last_reviewed_at" in sheet.columns and v.get("last_reviewed_at") not in (None, ""):
        try:
            day = parse_date(v.get("last_reviewed_at"))
            if day > timezone.localdate():
                errors.append(_("The last review date %(date)s is in the future.") % {"date": day})
            else:
                data["last_reviewed_at"] = local_datetime(day, "09:00")
        except ValueError:
            errors.append(_("“%(value)s” is not a date (e.g. 2026-03-05, 2026年3月5日, 2026.3.5).")
                          % {"value": norm(v.get("last_reviewed_at"))})
    _resolve_related(row, sheet, user)
    if node is not None and name:
        existing = KeyPlace.objects.filter(jurisdiction=node, name=data["name"]).first()
        action = "change" if existing else "add"
        if not can_at(user, "registers", action, node.path):
            errors.append(_("You may not write key places on %(node)s.") % {"node": node.name})
        if existing:
            row.outcome, row.existing_id = ("unchanged" if _same(existing, data) else "update"), existing.pk


def _same(place, data) -> bool:
    """Whether writing the row would change nothing on the place (a re-import leaves it alone)."""
    for name, value in data.items():
        current = getattr(place, name, None)
        if isinstance(value, float) or isinstance(current, float):
            if current is None or value is None or abs(float(current) - float(value)) > 1e-7:
                return False
        elif current != value:
            return False
    return True


def _check_location(row, gcj):
    v, data, errors = row.values, row.data, row.errors
    try:
        lat, lon = parse_number(v.get("lat")), parse_number(v.get("lon"))
    except ValueError:
        errors.append(_("Latitude and longitude must be numbers."))
        return
    if (lat is None) != (lon is None):
        errors.append(_("Give both latitude and longitude, or neither."))
    elif lat is not None:
        if not -90 <= lat <= 90:
            errors.append(_("Latitude %(value)s is out of range (-90 ~ 90).") % {"value": norm(v.get("lat"))})
        if not -180 <= lon <= 180:
            errors.append(_("Longitude %(value)s is out of range (-180 ~ 180).") % {"value": norm(v.get("lon"))})
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            if gcj:
                lat, lon = gcj02_to_wgs84(lat, lon)
                row.warnings.append(_("Converted from GCJ-02 to WGS84."))
            data["lat"], data["lon"] = round(lat, 7), round(lon, 7)
    if norm(v.get("polygon")):
        try:
            polygon = parse_polygon(v.get("polygon"))
            if gcj:
                polygon = {"type": "Polygon", "coordinates": [
                    [[round(x, 7) for x in reversed(gcj02_to_wgs84(p[1], p[0]))] for p in ring]
                    for ring in polygon["coordinates"]]}
            validate_polygon(polygon)
            data["polygon"] = polygon
        except ValidationError as exc:
            errors.append(_("Area: %(reason)s") % {"reason": " ".join(exc.messages)})
        except (ValueError, TypeError, IndexError):
            errors.append(_("Area: write it as “lon,lat; lon,lat; …” with the first point repeated last."))


def _resolve_related(row, sheet, user):
    v, data = row.values, row.data
    for f, model in (("unit", Unit), ("responsible_unit", Unit), ("responsible_person", Person)):
        text = norm(v.get(f)) if f in sheet.columns else ""
        if not text:
            continue
        found = list(model.objects.restrict(user, "view").filter(name=text)[:2])
        if len(found) == 1:
            data[f] = found[0]
        else:
            row.warnings.append(_("“%(value)s” not found among your units or people; left empty.") % {"value": text})


@transaction.atomic
def apply(sheet, *, only_valid=False):
    """Write the rows: all or nothing, or only the valid rows when the user chose so."""
    if sheet.invalid and not only_valid:
        raise ValidationError(_("%(n)s rows have errors: nothing was imported.") % {"n": len(sheet.invalid)})
    created = updated = unchanged = 0
    for row in sheet.valid:
        if row.outcome == "unchanged":  # not written: no save, no change-log row
            unchanged += 1
            continue
        data = dict(row.data)
        place = KeyPlace.objects.filter(jurisdiction=data["jurisdiction"], name=data["name"]).first()
        if place is None:
            place = KeyPlace(**{k: val for k, val in data.items()})
            if "review_period_days" not in data:

                place.review_period_days = policy_period(data["jurisdiction"], "keyplace_days")[0]
            created += 1
        else:
            for k, val in data.items():
                setattr(place, k, val)
            updated += 1
        place.full_clean(validate_unique=False)
        place.save()
    return {"created": created, "updated": updated, "unchanged": unchanged, "skipped": len(sheet.invalid)}
