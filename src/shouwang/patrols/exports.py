"""The period's check-ins as an Excel workbook: Chinese headers and the catalogue's Chinese
labels for methods, states and flags (an official export is Chinese whatever the UI language)."""

from django.utils.translation import override

from shouwang.core.documents import workbook_bytes

from .choices import CheckInStatus, Flag, Method

HEADERS = ["签到时间", "设备时间", "服务器接收时间", "路线", "巡逻点", "队员", "方式", "状态", "异常说明",
           "距巡逻点(米)", "原因", "所属节点"]
WIDTHS = [20, 20, 20, 18, 18, 10, 10, 8, 30, 12, 20, 14]


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else value


def _row(r):
    flags = "；".join(_label(Flag, f.get("code")) for f in r.flags or [])
    return [r.at, r.device_time or "", r.received_at or "",  # real date-times, written local
            r.checkpoint.route.name, r.checkpoint.name, r.member.name if r.member else "",
            _label(Method, r.method), _label(CheckInStatus, r.status), flags,
            round(r.distance_m) if r.distance_m is not None else "", r.reason, r.jurisdiction.name]


def checkins_workbook(rows) -> bytes:
    with override("zh-hans"):
        return workbook_bytes([("签到记录", HEADERS, [_row(r) for r in rows], WIDTHS)])
