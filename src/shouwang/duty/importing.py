"""Import the habitual duty table (值班表) into a draft roster: date rows × posts (or shifts), names in
cells, as offices keep them in Excel and as `exports` writes them. Read with core's forgiving
reader (title rows, merged cells, full-width digits, dates as text).

`parse()` decides each row with its reasons and writes nothing (the preview); `apply()` replaces the
roster's assignments of the sheet's days and columns in one transaction. A name is matched among
the roster's people first, then among the people the user may see (an unknown or ambiguous name is
an error of its row); names in a cell are separated by 、，, ; / or spaces."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shouwang.core.models import Person
from shouwang.core.sheets import header_key, norm, parse_date, read_grid

from . import exports, services
from .choices import Post
from .models import Roster

DATE_HEADINGS = {header_key(h) for h in ("日期", "date", "值班日期", "时间")}
SEPARATORS = re.compile(r"[、，,；;/\s]+")


@dataclass
class Row:
    line: int
    day: object = None
    cells: dict = field(default_factory=dict)  # (shift, post) -> [Person]
    names: dict = field(default_factory=dict)  # heading -> text as written
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@dataclass
class Sheet:
    roster: Roster
    title: str
    columns: list  # [(shift, post, heading)] found in the sheet
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # of the sheet as a whole

    def counts(self):
        good = [r for r in self.rows if r.ok]
        return {"rows": len(self.rows), "valid": len(good), "invalid": len(self.rows) - len(good),
                "people": sum(len(p) for r in good for p in r.cells.values())}


def _header(grid, known):
    for i, raw in enumerate(grid[:15]):
        keys = [header_key(v) for v in raw]
        if any(k in DATE_HEADINGS for k in keys) and any(k in known for k in keys):
            return i, keys
    return None, []


def parse(file, roster, user) -> Sheet:
    title, grid = read_grid(file)
    expected = exports.columns(roster)
    known = {header_key(h): (s, p) for s, p, h in expected}
    labels = dict(Post.choices)
    for s, p, _h in expected:  # also the post's or the shift's own name where it is unambiguous
        known.setdefault(header_key(labels.get(p, p)), (s, p))
        known.setdefault(header_key(roster.shift_label(s)), (s, p))
    at, keys = _header(grid, known)
    sheet = Sheet(roster, title, [])
    if at is None:
        sheet.errors.append(_("No heading row with 日期 and the roster's posts (%(posts)s) was found.")
                            % {"posts": "、".join(h for _s, _p, h in expected)})
        return sheet
    date_col = next(c for c, k in enumerate(keys) if k in DATE_HEADINGS)
    cols = {c: known[k] for c, k in enumerate(keys) if k in known}
    sheet.columns = [(*known[keys[c]], norm(grid[at][c])) for c in sorted(cols)]
    ours = {p.name: p for p in [*roster.members.all(), *roster.leaders.all()]}
    visible = Person.objects.restrict(user, "view").filter(active=True)
    first, last = roster.starts_on, roster.starts_on + timedelta(days=roster.days - 1)
    seen_days = set()
    for i in range(at + 1, len(grid)):
        raw = grid[i]
        if all(norm(v) == "" for v in raw):
            continue
        row = Row(line=i + 1)
        value = raw[date_col] if date_col < len(raw) else None
        try:
            row.day = parse_date(value)
        except (ValueError, TypeError):
            row.day = None
        if row.day is None:
            row.errors.append(_("“%(value)s” is not a date.") % {"value": norm(value)})
        elif not first <= row.day <= last:
            row.errors.append(_("%(day)s is outside the roster's period.") % {"day": row.day.isoformat()})
        elif row.day in seen_days:
            row.errors.append(_("%(day)s appears twice.") % {"day": row.day.isoformat()})
        else:
            seen_days.add(row.day)
        for c, key in cols.items():
            text = norm(raw[c]) if c < len(raw) else ""
            row.names[norm(grid[at][c])] = text
            people = []
            for name in (n for n in SEPARATORS.split(text) if n):
                person = ours.get(name)
                if person is None:
                    found = list(visible.filter(name=name)[:2])
                    if len(found) == 1:
                        person = found[0]
                    elif found:
                        row.errors.append(_("%(name)s: two people have this name; put the one meant on the roster "
                                            "first.") % {"name": name})
                        continue
                    else:
                        row.errors.append(_("%(name)s: nobody of this name in your jurisdiction.") % {"name": name})
                        continue
                people.append(person)
            row.cells[key] = people
        sheet.rows.append(row)
    if not sheet.rows:
        sheet.errors.append(_("The sheet has no rows under its headings."))
    return sheet


def apply(sheet, *, user=None, only_valid=False):
    """Write the sheet: for each valid row's day, the roster's assignments in the sheet's columns are
    replaced by the names of the row. Nothing is written when a row has errors, unless `only_valid`."""
    if sheet.errors:
        raise ValidationError(sheet.errors)
    bad = [r for r in sheet.rows if not r.ok]
    if bad and not only_valid:
        raise ValidationError(_("%(n)s rows have errors: correct them, or import only the valid rows.")
                              % {"n": len(bad)})
    good = [r for r in sheet.rows if r.ok]
    rows = [(person, r.day, s, p) for r in good for (s, p), people in r.cells.items() for person in dict.fromkeys(people)]
    made = services.replace_days(sheet.roster, days=[r.day for r in good],
                                 columns={(s, p) for s, p, _h in sheet.columns}, rows=rows, user=user)
    return {"days": len(good), "assignments": len(made), "skipped": len(bad)}
