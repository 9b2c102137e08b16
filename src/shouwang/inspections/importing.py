"""Import an office's existing hazard ledger (隐患台账) from Excel.

Columns as offices write them (序号, 检查日期, 单位名称/场所, 隐患描述, 隐患等级, 整改责任人,
整改期限, 整改情况, 复查情况...), read by core's forgiving reader (title rows, merged headers,
full-width digits, dates as text). `parse()` decides each row's outcome with its reasons and
writes nothing; `apply()` writes the valid rows in one transaction: each row a finding (source
“imported ledger”) with its order, opened through `services.open_order`.

What a row's state becomes, honestly:
- not rectified (整改情况 empty, 未整改): an open order, its deadline the sheet's (a deadline
  already past makes an overdue order: that is what the ledger says);
- being rectified (整改中): in progress (a major hazard stays ordered until its six-element plan
  is recorded);
- rectified, not yet verified (已整改, 复查 empty): reported done and awaiting verification by an
  inspector (nobody in the system is named as reporter, so any inspector may verify);
- rectified and verified (复查合格 / 已验收): a closed order. No verification record is invented
  (nobody in the system verified it): the order is closed at the verification date (else the
  deadline, else the import), its “what was done” says it comes from the imported ledger, with the
  sheet's own words, and its rectification duty is met then;
- verification failed (复查不合格): an open order, counted as failed once.

The natural key is (place or unit, check date, hazard description), or the order number when
the sheet is one this product exported (整改单号): importing the same sheet twice creates
nothing the second time (those rows are “already imported”; the sheet's later
changes are not applied, the order's page is where they are recorded).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shouwang.core.clock import local_datetime
from shouwang.core.models import Person, Unit
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
from shouwang.obligations import services as obligations
from shouwang.obligations.escalation import office
from shouwang.registers.models import KeyPlace

from . import rules, services
from .choices import KIND_RECTIFY, KIND_VERIFY, FindingSource, OrderState, Severity
from .models import Finding, RectificationOrder
from .signals import order_closed

# field -> header spellings (compared normalised: NFKC, no spaces, lower case). The first is
# the one the export writes, so an exported sheet reads back.
COLUMNS = {
    "seq": ["序号", "编号", "no."],
    "number": ["整改单号", "整改通知编号", "整改通知书编号"],
    "found_on": ["检查日期", "排查日期", "发现日期", "检查时间", "日期"],
    "place": ["单位名称/场所", "单位名称", "场所", "场所名称", "检查对象", "重点场所", "单位/场所", "被检查单位"],
    "description": ["隐患描述", "隐患内容", "隐患问题", "存在问题", "存在隐患", "隐患情况"],
    "severity": ["隐患等级", "隐患级别", "等级", "级别"],
    "requirement": ["整改要求", "整改措施", "整改意见"],
    "responsible_unit": ["整改责任单位", "责任单位"],
    "responsible_person": ["整改责任人", "责任人"],
    "deadline": ["整改期限", "整改时限", "整改期限(日期)", "限期"],
    "status": ["整改情况", "整改状态", "整改进度"],
    "review": ["复查情况", "复查结果", "验收情况", "复查验收情况"],
    "reviewed_on": ["复查日期", "验收日期", "复查时间"],
}
_LOOKUP = {header_key(name): f for f, names in COLUMNS.items() for name in names}

SEVERITY_WORDS = {
    "一般": Severity.GENERAL, "一般隐患": Severity.GENERAL, "一般事故隐患": Severity.GENERAL, "轻微": Severity.GENERAL,
    "较大": Severity.SERIOUS, "较大隐患": Severity.SERIOUS, "严重": Severity.SERIOUS, "较严重": Severity.SERIOUS,
    "紧急": Severity.URGENT, "紧急隐患": Severity.URGENT, "急": Severity.URGENT,
    "重大": Severity.MAJOR, "重大隐患": Severity.MAJOR, "重大事故隐患": Severity.MAJOR,
}
DONE_WORDS = ("已整改", "整改完成", "已完成", "完成", "已落实", "已处理")
DOING_WORDS = ("整改中", "正在整改", "整改进行中", "进行中", "部分整改")
NOT_DONE_WORDS = ("未整改", "未完成", "待整改", "未落实", "")
PASSED_WORDS = ("合格", "复查合格", "验收合格", "已验收", "通过", "已复查", "复查通过")
FAILED_WORDS = ("不合格", "复查不合格", "验收不合格", "未通过", "不通过")
FOUND_AT = "09:00"  # a ledger gives the day: the finding is dated that morning (the key uses it)
DEADLINE_AT = "18:00"  # and the deadline at the end of that working day


def severity_lookup():
    table = {header_key(k): v.value for k, v in SEVERITY_WORDS.items()}
    for value, label in Severity.choices:
        table[header_key(value)] = value
        for language, _name in settings.LANGUAGES:
            with override(language):
                table[header_key(str(label))] = value
    table.pop(header_key(Severity.NOTE.value), None)  # an observation is no hazard to import
    return table


def _word_in(text, words):
    key = header_key(text)
    return any(key == header_key(w) for w in words)


@dataclass
class Row:
    number: int
    values: dict
    outcome: str = "create"  # create / exists / error
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    existing: object = None  # the order already imported from this row

    @property
    def ok(self):
        return not self.errors

    @property
    def target(self):
        return self.data.get("place") or self.data.get("unit")

    @property
    def existing_url(self):
        try:
            return self.existing.get_absolute_url() if self.existing is not None else ""
        except NoReverseMatch:  # the order page is not there (yet)
            return ""

    @property
    def severity_label(self):
        code = self.data.get("severity")
        return Severity(code).label if code else ""

    @property
    def state_label(self):
        state = self.data.get("state")
        return OrderState(state).label if state else ""


@dataclass
class Sheet:
    rows: list
    header_row: int | None
    columns: dict
    problems: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # headers the import does not read

    @property
    def valid(self):
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self):
        return [r for r in self.rows if not r.ok]

    def counts(self):
        out = {"create": 0, "exists": 0, "error": 0}
        for r in self.rows:
            out[r.outcome] += 1
        return out


def read_sheet(file):
    _title, grid = read_grid(file)
    header = find_header(grid, _LOOKUP, required="description")
    if header is None:
        return Sheet(rows=[], header_row=None, columns={}, problems=[
            _("No header row found: the sheet needs a hazard description column (隐患描述) and the place (单位名称/场所).")])
    columns = columns_of(grid[header], _LOOKUP)
    ignored = [norm(v) for v in grid[header] if norm(v) and _LOOKUP.get(header_key(v)) is None]
    problems = []
    for needed, label in (("place", "单位名称/场所"), ("found_on", "检查日期")):
        if needed not in columns:
            problems.append(_("No %(column)s column: every row needs it.") % {"column": label})
    rows = [Row(number=n, values=v) for n, v in data_rows(grid, header, columns)]
    return Sheet(rows=rows, header_row=header + 1, columns=columns, problems=problems, ignored=ignored)


def parse(file, user, now=None):
    """Read the sheet and decide each row's outcome with its reasons. Writes nothing."""
    now = now or timezone.now()
    sheet = read_sheet(file)
    severities = severity_lookup()
    places = {}
    for p in KeyPlace.objects.restrict(user, "view").select_related("jurisdiction", "unit", "responsible_unit",
                                                                     "responsible_person"):
        places.setdefault(p.name, []).append(p)
    units = {}
    for u in Unit.objects.restrict(user, "view").select_related("jurisdiction", "responsible_person"):
        units.setdefault(u.name, []).append(u)
    seen = {}
    for row in sheet.rows:
        _check_row(row, user, now, severities, places, units)
        if row.ok:
            key = _key_of(row)
            if key in seen:
                row.errors.append(_("Same place, date and hazard as row %(row)s.") % {"row": seen[key]})
            else:
                seen[key] = row.number
                row.existing = _existing(row)
                if row.existing is not None:
                    row.outcome = "exists"
        if sheet.problems and not row.errors:
            row.errors.extend(sheet.problems)
        if row.errors:
            row.outcome = "error"
    return sheet


def _key_of(row):
    target = row.target
    return (type(target).__name__, target.pk, row.data["found_at"], row.data["description"])


def _existing(row):
    number = norm(row.values.get("number"))
    if number:  # a sheet this product exported: its order numbers are ours
        order = RectificationOrder.objects.filter(number=number).select_related("finding").first()
        place, unit = row.data.get("place"), row.data.get("unit")
        if order is not None and (order.finding.place_id == place.pk if place else order.finding.unit_id == unit.pk):
            return order  # the same order at the same place: not another one
    target = row.data.get("place")
    qs = Finding.objects.filter(source=FindingSource.IMPORT, found_at=row.data["found_at"],
                                description=row.data["description"])
    qs = qs.filter(place=target) if target is not None else qs.filter(place__isnull=True, unit=row.data["unit"])
    finding = qs.select_related("order").first()
    return getattr(finding, "order", None) if finding else None


def _one(table, name):
    found = table.get(name, [])
    return found[0] if len(found) == 1 else (None if not found else False)


def _check_row(row, user, now, severities, places, units):
    v, data, errors, warnings = row.values, row.data, row.errors, row.warnings
    description = norm(v.get("description"))
    if not description:
        errors.append(_("The hazard description is empty."))
    data["description"] = description
    name = norm(v.get("place"))
    if not name:
        errors.append(_("The place or unit is empty."))
    else:
        place, unit = _one(places, name), _one(units, name)
        if place is False:
            errors.append(_("“%(name)s” names several key places; tell them apart in the register first.")
                          % {"name": name})
        elif place is not None:
            data["place"], data["unit"] = place, place.unit
        elif unit:
            data["place"], data["unit"] = None, unit
        else:
            errors.append(_("“%(name)s” is neither a key place nor a unit in your area.") % {"name": name})
    target = data.get("place") or data.get("unit")
    if target is not None and not can_at(user, "inspections", "add", target.jurisdiction.path):
        errors.append(_("You may not record hazards on %(node)s.") % {"node": target.jurisdiction.name})
    day = _date(v, "found_on", row, _("check date"))
    if day is None and "found_on" in v and norm(v.get("found_on")) == "":
        errors.append(_("The check date is empty."))
    if day is not None:
        if day > timezone.localdate(now):
            errors.append(_("The check date %(date)s is in the future.") % {"date": day})
        data["found_at"] = local_datetime(day, FOUND_AT)
    words = norm(v.get("severity"))
    if not words:
        data["severity"] = Severity.GENERAL.value
        warnings.append(_("No hazard level given: recorded as a general hazard."))
    else:
        data["severity"] = severities.get(header_key(words))
        if data["severity"] is None:
            errors.append(_("Unknown hazard level “%(value)s” (一般, 较大, 紧急 or 重大).") % {"value": words})
    data["requirement"] = norm(v.get("requirement"))
    deadline = _date(v, "deadline", row, _("deadline"))
    if deadline is not None:
        data["deadline"] = local_datetime(deadline, DEADLINE_AT)
        if day is not None and deadline < day:
            errors.append(_("The deadline %(deadline)s is before the check date %(date)s.")
                          % {"deadline": deadline, "date": day})
    reviewed = _date(v, "reviewed_on", row, _("verification date"))
    _state(row, reviewed, now)
    _responsible(row, user)


def _date(values, name, row, label):
    raw = values.get(name)
    if raw in (None, "") or norm(raw) == "":
        return None
    try:
        return parse_date(raw)
    except ValueError:
        row.errors.append(_("%(field)s: “%(value)s” is not a date (e.g. 2026-03-05, 2026年3月5日, 2026.3.5).")
                          % {"field": label, "value": norm(raw)})
        return None


def _state(row, reviewed, now):
    v, data = row.values, row.data
    status, review = norm(v.get("status")), norm(v.get("review"))
    data["status_text"], data["review_text"] = status, review
    done = _word_in(status, DONE_WORDS) or any(w in status for w in ("已整改", "整改完成", "已完成"))
    passed = _word_in(review, PASSED_WORDS) or (review.startswith("合格") or "复查合格" in review or "已验收" in review)
    failed = _word_in(review, FAILED_WORDS) or "不合格" in review
    if failed:
        passed = False
    if passed:
        data["state"] = OrderState.CLOSED.value
        closed = reviewed or (timezone.localdate(data["deadline"]) if data.get("deadline") else None)
        closed_at = local_datetime(closed, DEADLINE_AT) if closed else now
        if closed_at > now:
            closed_at = now
        if data.get("found_at") and closed_at < data["found_at"]:
            row.errors.append(_("The verification date is before the check date."))
        data["closed_at"] = closed_at
        if not done and status and not _word_in(status, NOT_DONE_WORDS):
            row.warnings.append(_("Verified per the sheet: imported as closed."))
    elif failed:
        data["state"] = OrderState.ORDERED.value
        data["failed"] = True
    elif done:
        data["state"] = OrderState.REPORTED.value
    elif _word_in(status, DOING_WORDS) or "整改中" in status:
        data["state"] = OrderState.IN_PROGRESS.value
        if data.get("severity") == Severity.MAJOR:
            data["state"] = OrderState.ORDERED.value
            row.warnings.append(_("A major hazard: recorded as ordered until its six-element plan is recorded."))
    elif _word_in(status, NOT_DONE_WORDS):
        data["state"] = OrderState.ORDERED.value
    else:
        data["state"] = OrderState.ORDERED.value
        row.warnings.append(_("Rectification state “%(value)s” not understood: recorded as not rectified.")
                            % {"value": status})
    if data["state"] != OrderState.CLOSED and data.get("deadline") and data["deadline"] <= now:
        row.warnings.append(_("The deadline has passed: the order is overdue."))
    if data.get("severity") == Severity.MAJOR and data["state"] != OrderState.CLOSED:
        row.warnings.append(_("A major hazard: record its six-element rectification plan on the order."))


def _responsible(row, user):
    v, data = row.values, row.data
    for name, model in (("responsible_unit", Unit), ("responsible_person", Person)):
        text = norm(v.get(name))
        if not text:
            continue
        found = list(model.objects.restrict(user, "view").filter(name=text)[:2])
        if len(found) == 1:
            data[name] = found[0]
        else:
            row.warnings.append(_("“%(value)s” not found among your units or people (or not only one): the "
                                  "place's responsible is used.") % {"value": text})


def _sheet_words(data):
    parts = [_("From the imported hazard ledger.")]
    if data.get("status_text"):
        parts.append(_("Rectification: %(text)s") % {"text": data["status_text"]})
    if data.get("review_text"):
        parts.append(_("Verification: %(text)s") % {"text": data["review_text"]})
    return " ".join(parts)


@transaction.atomic
def apply(sheet, *, user, only_valid=False, now=None):
    """Write the rows (all or nothing, or only the valid ones when the user chose so): each a
    finding with its order. Rows already imported are left alone. One message to the office."""
    now = now or timezone.now()
    if sheet.invalid and not only_valid:
        raise ValidationError(_("%(n)s rows have errors: nothing was imported.") % {"n": len(sheet.invalid)})
    created = existing = 0
    nodes = set()
    for row in sheet.valid:
        if row.outcome == "exists" or _existing(row) is not None:
            existing += 1
            continue
        _write(row, user, now)
        nodes.add(row.target.jurisdiction)
        created += 1
    if created:
        _tell(nodes, user, created)
    return {"created": created, "existing": existing, "skipped": len(sheet.invalid)}


def _write(row, user, now):
    data = row.data
    target = row.target
    node = target.jurisdiction
    if not can_at(user, "inspections", "add", node.path):
        raise PermissionDenied(_("You may not record hazards on %(node)s.") % {"node": node.name})
    found_at = data["found_at"]
    finding = Finding.objects.create(
        jurisdiction=node, source=FindingSource.IMPORT, place=data.get("place"), unit=data.get("unit"),
        description=data["description"], severity=data["severity"], found_at=found_at, found_by=None,
    )
    deadline = data.get("deadline")
    if deadline is not None and deadline <= found_at:
        deadline = found_at + timedelta(hours=1)
    order = services.open_order(
        finding, user=user, requirement=data.get("requirement") or "", deadline=deadline,
        responsible_unit=data.get("responsible_unit"), responsible_person=data.get("responsible_person"),
        now=found_at, tell=False,
    )
    state = data["state"]
    words = _sheet_words(data)
    if state == OrderState.IN_PROGRESS:
        order.state = state
        order.report_text = words
        order.save(update_fields=["state", "report_text", "updated_at"])
    elif state == OrderState.REPORTED:
        _reported(order, words, now)
    elif state == OrderState.CLOSED:
        _closed(order, words, data["closed_at"])
    elif data.get("failed"):
        order.failed_count = 1
        order.report_text = words
        order.save(update_fields=["failed_count", "report_text", "updated_at"])
    return order


def _reported(order, words, now):
    """Rectified per the sheet, nobody in the system reported it: verification due from now."""
    policy = rules.rectification(order.jurisdiction)
    order.state, order.reported_at, order.report_text = OrderState.REPORTED, now, words
    order.verify_by = rules.verify_by(order.jurisdiction, now, policy)
    order.save()
    for obligation in obligations.for_subject(order, KIND_RECTIFY).pending():
        obligations.meet(obligation, at=max(now, obligation.opens_at), evidence=_("imported ledger: rectified"))
    obligations.open_obligation(
        kind=KIND_VERIFY, title=_("Verify %(number)s: %(text)s") % {"number": order.number,
                                                                   "text": order.finding.description[:80]},
        jurisdiction=order.jurisdiction, due_at=order.verify_by, opens_at=now, subject=order,
        responsible_person=services.verifier_on_duty(order),
        policy_version=rules.policy_version(order.jurisdiction), rule="rectification.verify_working_days",
        key=obligations.obligation_key(KIND_VERIFY, order, order.failed_count),
    )


def _closed(order, words, closed_at):
    """Rectified and verified per the sheet: closed then, no verification record invented."""
    closed_at = max(closed_at, order.finding.found_at)
    order.state, order.closed_at, order.report_text = OrderState.CLOSED, closed_at, words
    order.save(update_fields=["state", "closed_at", "report_text", "updated_at"])
    for obligation in obligations.for_subject(order, KIND_RECTIFY).pending():
        obligations.meet(obligation, at=max(closed_at, obligation.opens_at),
                         evidence=_("imported ledger: rectified and verified"))
    transaction.on_commit(lambda: order_closed.send(sender=RectificationOrder, order=order))


def _tell(nodes, user, created):
    recipients = {}
    for node in nodes:
        for u in office(node):
            recipients[u.pk] = u
    recipients.pop(getattr(user, "pk", None), None)
    if not recipients:
        return
    title = _("Hazard ledger imported: %(n)s findings with their orders") % {"n": created}
    transaction.on_commit(lambda: obligations.send_message(list(recipients.values()), title=title,
                                                           url=_orders_url()))


def _orders_url():
    try:
        return reverse("inspections:rectificationorder_list")
    except NoReverseMatch:
        return ""

