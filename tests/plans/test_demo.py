"""The plans demo builds on a fresh database through the services, with what the issue asks for:
the street's plans for its working categories in Chinese, a school evacuation drill done last month
with its report, one due this month, a street drill with three injects; training and campaigns; a
second run adds nothing."""

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shouwang.core.choices import WorkingKind
from shouwang.obligations.choices import State
from shouwang.obligations.models import Obligation
from shouwang.plans import demo
from shouwang.plans.choices import KIND_CERTIFICATE, KIND_DRILL, KIND_PLAN_REVIEW
from shouwang.plans.models import (
    Attendance,
    Campaign,
    CampaignTarget,
    Certificate,
    Course,
    Drill,
    Evaluation,
    Improvement,
    Inject,
    Plan,
    PlanVersion,
    Session,
)


def _counts():
    return tuple(m.objects.count() for m in (Plan, PlanVersion, Drill, Inject, Evaluation, Improvement, Course,
                                             Session, Attendance, Certificate, Campaign, CampaignTarget, Obligation))


def test_the_demo_has_its_plans_and_drills_and_a_second_run_adds_nothing(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    counts = _counts()
    assert demo.load(out=lambda *_: None) is False
    call_command("load_demo")
    assert _counts() == counts

    plans = {p.working_kind: p for p in Plan.objects.filter(jurisdiction__code="QL-WC")}
    assert set(plans) == set(WorkingKind.values)
    assert all(p.current is not None and p.current.actions.exists() for p in plans.values())
    assert plans[WorkingKind.PUBLIC_ORDER].current.number == 2  # revised after its expert review
    assert plans[WorkingKind.ACCIDENTS].versions.filter(state="draft").exists()
    overdue = Obligation.objects.for_subject(plans[WorkingKind.NATURAL_DISASTERS]).of_kind(KIND_PLAN_REVIEW).get()
    assert overdue.state == State.MISSED

    today = timezone.localdate()
    done = Drill.objects.get(title="柳岸小学应急疏散演练")
    assert done.state == "ended" and timezone.localtime(done.started_at).month != today.month
    assert done.improvements.count() == 2 and done.evacuation_met is False and done.reported_at
    assert Drill.objects.get(title="柳岸小学地震应急疏散演练").state == "planned"
    street = Drill.objects.get(title="望川街道涉恐涉暴事件处置综合演练")
    assert street.injects.filter(contingency_for__isnull=True).count() == 3 and street.state == "planned"

    school = done.unit
    owed = {o.due_at.month: o.state for o in Obligation.objects.for_subject(school).of_kind(KIND_DRILL)}
    assert owed[today.month] in (State.OPEN, State.DUE_SOON)  # one due this month
    assert State.MET in owed.values()  # last month's, met by the drill
    assert Obligation.objects.of_kind(KIND_DRILL).in_state(State.MISSED).exists()  # 望川中学 missed last month
    assert Obligation.objects.of_kind(KIND_CERTIFICATE).in_state(State.MISSED).count() == 1

    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="office"))
    report = client.get(reverse("plans:drill_report", args=[done.pk]))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
    assert "【演练】柳岸小学应急疏散演练" in text and "未达到要求" in text
    for url in (reverse("plans:plan_list"), reverse("plans:drill_list"), done.get_absolute_url(),
                street.get_absolute_url(), reverse("plans:course_list"), reverse("plans:campaigns_rollup")):
        assert client.get(url).status_code == 200, url
