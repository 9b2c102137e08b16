"""The demo of resources (issue 16): two stores with lots near expiry and one item short of the
reserve standard, equipment issued to the patrol team with one piece overdue, the reserve team of
50 with last month's call-out test, the diversion point with its vehicles; a second run adds
nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from shouwang.resources import queries
from shouwang.resources.choices import ExpiryBucket
from shouwang.resources.models import (
    CallOut,
    CallOutAnswer,
    Equipment,
    EquipmentIssue,
    EvacuationPoint,
    Lot,
    PointVehicle,
    StockMovement,
    Store,
    SupplyItem,
)

MODELS = (SupplyItem, Store, Lot, StockMovement, Equipment, EquipmentIssue, CallOut, CallOutAnswer, EvacuationPoint,
          PointVehicle)


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_demo_has_what_the_issue_asks_and_a_second_run_adds_nothing(demo):
    today = timezone.localdate()
    stores = list(Store.objects.select_related("jurisdiction"))
    assert len(stores) == 2
    buckets = queries.bucket_counts(Lot.objects.all(), today)
    assert buckets[ExpiryBucket.DAYS_30] >= 2 and buckets[ExpiryBucket.EXPIRED] == 1
    short = queries.shortfalls(stores, today)
    assert [(r.store.name, r.item.name) for r in short] == [("桂香社区应急物资储备点", "瓶装饮用水")]
    overdue = list(queries.overdue_issues(EquipmentIssue.objects.all()))
    assert len(overdue) == 1 and overdue[0].team.name == "望川街道专职巡防队"
    assert EquipmentIssue.objects.filter(returned_at__isnull=True, team__name="望川街道专职巡防队").count() == 9
    test = CallOut.objects.get(kind="test")
    assert test.team.members.count() == 50 and test.answers.count() == 50
    assert timedelta(days=29) <= timezone.now() - test.sent_at <= timedelta(days=31)
    shares = {s.label: s.done for s in queries.callout_report(test)["shares"]}
    assert 0 < shares["arrived_30"] < shares["arrived_60"] < 50
    assert not test.answers.filter(arrived_at__lt=F("acknowledged_at")).exists()  # nobody arrives before answering
    diversion = EvacuationPoint.objects.get(kind="diversion")
    assert diversion.available and sum(v.count for v in diversion.vehicles.all()) == 7
    assert EvacuationPoint.objects.filter(check_failed=True).count() == 1
    counts = [m.objects.count() for m in MODELS]
    call_command("load_demo")
    assert [m.objects.count() for m in MODELS] == counts
