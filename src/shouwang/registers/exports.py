"""Excel export of every register, with Chinese headers (the key-place sheet re-imports as is)."""


from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import override

from shouwang.core.documents import workbook_bytes

from .importing import EXPORT_HEADERS
from .models import Defence, HazardousStock, KeyPlace, RiskRating, StockMovement
from .queries import annotate_colours

PLACE_FIELDS = ["node_code", "node_name", "name", "kind", "category", "unit", "address", "lat", "lon", "polygon",
                "responsible_unit", "responsible_person", "protective_forces", "special_precautions",
                "review_period_days", "last_reviewed_at"]


def _polygon_text(polygon):
    if not polygon:
        return ""
    return "; ".join(f"{p[0]},{p[1]}" for p in polygon["coordinates"][0])


def _local(dt):
    return timezone.localdate(dt) if dt else ""


def _place_row(p):
    return [p.jurisdiction.code, p.jurisdiction.name, p.name, p.get_kind_display(), p.get_category_display(),
            str(p.unit or ""), p.address, p.lat, p.lon, _polygon_text(p.polygon), str(p.responsible_unit or ""),
            str(p.responsible_person or ""), p.protective_forces, p.special_precautions, p.review_period_days,
            _local(p.last_reviewed_at)]


def _verbose(model, names):
    return [str(model._meta.get_field(n).verbose_name) for n in names]


def _model_sheet(model, qs, names, node_first=True):
    headers = (["节点编码"] if node_first else []) + _verbose(model, names)
    rows = []
    for obj in qs:
        row = [obj.jurisdiction.code] if node_first else []
        for n in names:
            f = model._meta.get_field(n)
            if f.choices:
                row.append(getattr(obj, f"get_{n}_display")())
            elif f.is_relation:
                row.append(str(getattr(obj, n) or ""))
            else:
                value = getattr(obj, n)
                row.append(value if value is not None else "")
        rows.append(row)
    return headers, rows


def _excel_value(x):
    if hasattr(x, "as_tuple"):  # Decimal
        return float(x)
    if isinstance(x, Promise):  # a lazily translated label
        return str(x)
    return x


def workbook(user, places=None):
    """The registers the user may see (optionally only `places`), one sheet each, as .xlsx bytes."""
    places = places if places is not None else KeyPlace.objects.restrict(user, "view")
    places = annotate_colours(places.select_related("jurisdiction", "unit", "responsible_unit", "responsible_person"))
    ids = [p.pk for p in places]
    with override("zh-hans"):
        sheets = []
        place_headers = [EXPORT_HEADERS[f] for f in PLACE_FIELDS] + ["今日颜色"]
        place_rows = [_place_row(p) + [dict(RiskRating._meta.get_field("colour").choices).get(p.colour, "")]
                      for p in places]
        sheets.append(("重点场所", place_headers, place_rows))
        defences = Defence.objects.restrict(user, "view").filter(place_id__in=ids).select_related("jurisdiction", "place")
        sheets.append(("防范设施", *_model_sheet(Defence, defences, [
            "place", "name", "kind", "type", "cctv_count", "coverage_percent", "guard_count", "state",
            "last_checked_on", "check_period_days", "notes"])))
        stocks = HazardousStock.objects.restrict(user, "view").filter(place_id__in=ids).select_related(
            "jurisdiction", "place", "keeper")
        sheets.append(("危险品", *_model_sheet(HazardousStock, stocks, [
            "place", "substance", "hazard_class", "quantity", "unit_of_measure", "storage_place", "keeper",
            "last_checked_on"])))
        moves = StockMovement.objects.restrict(user, "view").filter(stock__place_id__in=ids).select_related(
            "jurisdiction", "stock", "recorded_by")
        sheets.append(("出入库记录", *_model_sheet(StockMovement, moves, [
            "stock", "kind", "quantity", "at", "balance_after", "description", "recorded_by"])))
        ratings = RiskRating.objects.restrict(user, "view").filter(place_id__in=ids).select_related(
            "jurisdiction", "place", "set_by")
        sheets.append(("风险颜色", *_model_sheet(RiskRating, ratings, [
            "place", "date", "colour", "rule_colour", "reason", "set_by"])))
    return workbook_bytes((title, headers, [[_excel_value(x) for x in row] for row in rows])
                          for title, headers, rows in sheets)
