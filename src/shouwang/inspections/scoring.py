"""Answers checked against their items and scored: pure, no database."""

from django.utils.translation import gettext as _

from .choices import AnswerType, Result

YES = {"yes", "true", "1", "是", "合格", "pass", True}
NO = {"no", "false", "0", "否", "不合格", "fail", False}
NA = {"na", "n/a", "不适用"}


def _number(raw):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None


def judge(item, raw):
    """(value text, number, result, error) of one raw answer to `item`."""
    text = raw if isinstance(raw, bool) else str(raw if raw is not None else "").strip()
    low = text.lower() if isinstance(text, str) else text
    if low in NA and item.answer_type != AnswerType.TEXT:
        return "", None, Result.NA, None
    if item.answer_type == AnswerType.YES_NO:
        if low in YES:
            return _("yes"), None, Result.PASS, None
        if low in NO:
            return _("no"), None, Result.FAIL, None
        return text, None, None, _("Answer yes, no or not applicable.")
    if item.answer_type == AnswerType.NUMBER:
        value = _number(text)
        if value is None:
            return text, None, None, _("Give a number.")
        low_ok = item.min_value is None or value >= item.min_value
        high_ok = item.max_value is None or value <= item.max_value
        return text, value, Result.PASS if low_ok and high_ok else Result.FAIL, None
    if item.answer_type == AnswerType.CHOICE:
        if text not in (item.options or []):
            return text, None, None, _("Choose one of: %(options)s.") % {"options": "、".join(item.options or [])}
        return text, None, Result.FAIL if text in (item.failing_options or []) else Result.PASS, None
    if item.answer_type == AnswerType.PHOTO:
        return text[:500], None, Result.PASS, None
    return text[:500], None, Result.PASS, None  # free text records, it does not fail


def check_answers(items, raw_answers, errors):
    """{item_id: fields} for every item of the version; errors per `answers.<item id>`."""
    given = {}
    for raw in raw_answers:
        try:
            item_id = int(raw.get("item"))
        except (TypeError, ValueError, AttributeError):
            errors["answers"] = [_("An answer names no checklist item.")]
            continue
        if item_id not in items:
            errors[f"answers.{item_id}"] = [_("This item is not on the checklist.")]
            continue
        given[item_id] = raw
    out = {}
    for item_id, item in items.items():
        raw = given.get(item_id)
        if raw is None or raw.get("value") in (None, ""):
            if item.answer_type in (AnswerType.TEXT, AnswerType.PHOTO):
                raw = raw or {"value": ""}
            else:
                errors[f"answers.{item_id}"] = [_("Answer “%(text)s”.") % {"text": item.text}]
                continue
        value, number, result, error = judge(item, raw.get("value"))
        if error:
            errors[f"answers.{item_id}"] = [error]
            continue
        out[item_id] = {"value": value, "number": number, "result": result,
                        "note": str(raw.get("note") or "")[:300], "photos": list(raw.get("photos") or [])}
    return out


def score(items, answers):
    """(points earned, points possible): not-applicable items count for neither."""
    earned = possible = 0
    for item_id, answer in answers.items():
        if answer["result"] == Result.NA:
            continue
        possible += items[item_id].weight
        if answer["result"] == Result.PASS:
            earned += items[item_id].weight
    return earned, possible
