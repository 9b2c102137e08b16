"""Reading office spreadsheets, for every import: the first sheet as a grid with merged cells
filled in, the header row found by the column names it holds (title rows above it, two-level
headers), blank and subtotal rows skipped, and cells read the ways offices write them.
"""

import datetime
import re
import unicodedata

SUBTOTALS = ("合计", "小计", "总计")
MAX_HEADER_SCAN = 15


def norm(value) -> str:
    """NFKC (full-width digits, letters and spaces become ASCII), trimmed, inner runs of space collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def header_key(value) -> str:
    return re.sub(r"\s+", "", norm(value)).lower()


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value):
    """A date from a cell: a real date, an Excel serial number, or text like 2026年3月5日 / 2026.3.5."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    text = norm(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return datetime.date(y, mo, d)  # ValueError for 2026-2-30: caught by the caller
    raise ValueError(text)


def parse_number(value):
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = norm(value).replace(",", "").replace("°", "")
    return float(text)


def read_grid(file):
    """(sheet title, rows of cell values) of the workbook's first sheet, merged ranges filled."""
    from openpyxl import load_workbook

    ws = load_workbook(file, data_only=True).worksheets[0]
    return ws.title, filled_grid(ws)


def filled_grid(ws):
    """Cell values with every merged range filled with its top-left value."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(grid[r]):
                    grid[r][c] = top
    return grid


def find_header(grid, lookup, required="name"):
    """The row (0-based) that names the most known columns (`lookup`: header key -> field),
    with `required` among them; on a tie the lower row (two-level headers)."""
    best, best_score = None, 0
    for i, row in enumerate(grid[:MAX_HEADER_SCAN]):
        fields = {lookup.get(header_key(v)) for v in row} - {None}
        score = len(fields)
        if score >= best_score and score >= 2 and required in fields:
            best, best_score = i, score
    return best


def columns_of(header_cells, lookup):
    """field -> column index, the first column naming each field."""
    columns = {}
    for c, value in enumerate(header_cells):
        f = lookup.get(header_key(value))
        if f and f not in columns:
            columns[f] = c
    return columns


def data_rows(grid, header, columns):
    """(sheet row number, {field: value}) below the header, blank and subtotal rows left out."""
    for i in range(header + 1, len(grid)):
        raw = grid[i]
        values = {f: (raw[c] if c < len(raw) else None) for f, c in columns.items()}
        if all(norm(v) == "" for v in values.values()):
            continue
        if any(header_key(v) in SUBTOTALS for v in raw):
            continue
        yield i + 1, values
