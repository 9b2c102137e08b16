"""The schools part of the office's briefings (core.registry.BRIEFING_SECTIONS): gate windows held
and missed, camera failures and checks not done, visitors and vehicles at the gates (counts only,
never a name), schools short of guards by the standard, and a line per school."""

from datetime import timedelta

from django.db.models import Count, Q

from shouwang.core.clock import local_datetime
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation

from . import rules, staffing
from .choices import FAILED_RESULTS, KIND_CCTV, KIND_GATE, VehicleOutcome
from .models import CameraCheck, School, VehicleEntry, VisitorEntry


def _span(period):
    return local_datetime(period.start), local_datetime(period.end + timedelta(days=1))


def _states(qs, as_of, kind):
    counts = qs.of_kind(kind).state_counts(as_of)
    met = counts.get((kind, State.MET), 0) + counts.get((kind, State.MET_LATE), 0)
    return met, counts.get((kind, State.MISSED), 0)


def section(period):
    """`BriefingSection.build`: Chinese sentences and a table per school (None without schools)."""
    start, end = _span(period)
    schools = list(School.objects.filter(jurisdiction__path__startswith=period.node.path)
                   .select_related("unit", "jurisdiction")
                   .annotate(guards=Count("security_staff", filter=Q(security_staff__active=True), distinct=True)))
    if not schools:
        return None
    owed = Obligation.objects.real().under(period.node).due_between(start, end)
    gate_met, gate_missed = _states(owed, period.as_of, KIND_GATE)
    cctv_met, cctv_missed = _states(owed, period.as_of, KIND_CCTV)
    checks = CameraCheck.objects.filter(school__in=schools, checked_at__gte=start, checked_at__lt=end)
    failed = checks.filter(result__in=FAILED_RESULTS)
    visitors = VisitorEntry.objects.filter(school__in=schools, entered_at__gte=start, entered_at__lt=end)
    vehicles = VehicleEntry.objects.filter(school__in=schools, at__gte=start, at__lt=end)
    policy = rules.for_schools(schools, period.as_of)
    need = {s.pk: staffing.required_guards(s.pupils, policy[s.pk].section.get("guards"))[0] for s in schools}
    short = [s for s in schools if need[s.pk] is not None and s.guards < need[s.pk]]
    per_school = {
        "gate_missed": dict(owed.of_kind(KIND_GATE).in_state(State.MISSED, period.as_of)
                            .values_list("responsible_unit").annotate(n=Count("pk"))),
        "failed": dict(failed.values_list("school").annotate(n=Count("pk"))),
        "visitors": dict(visitors.values_list("school").annotate(n=Count("pk"))),
    }
    text = [f"辖区学校（幼儿园）{len(schools)}所。本期校门上学、放学值守应到{gate_met + gate_missed}次，"
            f"三方到岗{gate_met}次，缺岗{gate_missed}次。",
            f"视频监控每日检查完成{cctv_met}次、未完成{cctv_missed}次，发现监控故障{failed.count()}处"
            f"（已转隐患整改）。",
            f"登记来访人员{visitors.count()}人次、车辆{vehicles.filter(outcome=VehicleOutcome.ADMITTED).count()}"
            f"辆次，劝离未登记外来车辆{vehicles.filter(outcome=VehicleOutcome.REFUSED).count()}辆次。"]
    text.append("专职保安员均按标准配足。" if not short else
                "专职保安员未按标准配足的学校：" + "、".join(f"{s.unit.name}（现有{s.guards}名，应配{need[s.pk]}名）"
                                                for s in short) + "。")
    rows = [[s.unit.name, s.jurisdiction.name,
             {"text": per_school["gate_missed"].get(s.unit_id, 0),
              "url": period.link("obligations:board", node=s.jurisdiction, kind=KIND_GATE, state=State.MISSED.value)},
             per_school["failed"].get(s.pk, 0), per_school["visitors"].get(s.pk, 0),
             f"{s.guards}/{need[s.pk] if need[s.pk] is not None else '—'}"] for s in schools]
    return {"text": text,
            "tables": [{"title": "各学校安全防范情况",
                        "header": ["学校", "所在社区", "校门缺岗", "监控故障", "来访人次", "保安（现有/应配）"],
                        "rows": rows}]}
