"""Freshness and check obligations, stock movements, the colour rules."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shouwang.core.stock import balance_of
from shouwang.obligations.models import Obligation
from shouwang.registers import queries, services
from shouwang.registers import risk_signals as rules
from shouwang.registers.models import StockMovement
from shouwang.registers.signals import hazardous_loss_recorded


def _pending(subject, kind):
    return Obligation.objects.for_subject(subject).filter(kind=kind, met_at__isnull=True, waived_at__isnull=True)


def test_a_new_place_owes_a_review_one_period_later_and_reviewing_opens_the_next(place, org):
    ob = _pending(place, "registers.review").get()
    assert ob.due_at == place.created_at + datetime.timedelta(days=30)
    with time_machine.travel(place.created_at + datetime.timedelta(days=31), tick=False):
        assert ob.state_at() == "missed"
        services.review_place(place, by=org.user("office1"))
        ob.refresh_from_db()
        assert ob.state_at() == "met_late" and ob.met_by == org.user("office1")
        nxt = _pending(place, "registers.review").get()
        assert nxt.due_at == timezone.now() + datetime.timedelta(days=30)


def test_changing_the_review_period_moves_the_pending_due_time(place):
    place.review_period_days = 7
    place.save()
    assert _pending(place, "registers.review").get().due_at == place.created_at + datetime.timedelta(days=7)
    assert Obligation.objects.for_subject(place).count() == 1


def test_defence_check_period_from_policy_and_overridable(defence):
    ob = _pending(defence, "registers.defence_check").get()
    assert ob.due_at == defence.created_at + datetime.timedelta(days=30)  # default without policy
    defence.check_period_days = 7
    defence.last_checked_on = datetime.date(2026, 3, 1)
    defence.save()
    ob = _pending(defence, "registers.defence_check").get()
    assert timezone.localtime(ob.due_at) == datetime.datetime(2026, 3, 8, tzinfo=timezone.get_current_timezone())
    assert ob.rule == "check_period_days"


def test_defence_check_policy_section_is_read(defence, org):
    from shouwang.policies.models import Policy
    from shouwang.policies.services import assign, new_version

    policy = Policy.objects.create(code="t", name="t")
    version = new_version(policy, {"review_periods": {"defence_check_days": 3}})
    assign(org.c1, policy)
    defence.save()
    ob = _pending(defence, "registers.defence_check").get()
    assert ob.due_at == defence.created_at + datetime.timedelta(days=3) and ob.policy_version == version


def test_checking_a_defence_meets_the_check_and_a_broken_one_raises_the_colour(defence, org):
    with time_machine.travel(defence.created_at + datetime.timedelta(days=40), tick=False):
        assert queries.overdue_checks(defence.place)["defence_check"]
        services.check_defence(defence, state="out_of_order", by=org.user("office1"))
        assert not queries.overdue_checks(defence.place)["defence_check"]
        colour, reasons = rules.suggest(defence.place)
        assert colour == "orange" and any("视频监控" in r for r in reasons)
        with pytest.raises(ValidationError):
            services.check_defence(defence, state="working", on=timezone.localdate() + datetime.timedelta(days=1))


def test_movements_keep_the_balance_and_never_go_below_zero(stock, org):
    services.record_movement(stock, kind="in", quantity="2.5", by=org.user("office1"))
    services.record_movement(stock, kind="out", quantity=4)
    stock.refresh_from_db()
    assert stock.quantity == Decimal("8.5")
    with pytest.raises(ValidationError) as err:
        services.record_movement(stock, kind="out", quantity=9)
    assert "quantity" in err.value.message_dict
    for bad in (-1, 0, "x"):
        with pytest.raises(ValidationError):
            services.record_movement(stock, kind="in", quantity=bad)
    stock.refresh_from_db()
    # the opening balance (registered with 10) is the ledger's first row, then the two movements
    assert stock.quantity == Decimal("8.5")
    assert list(StockMovement.objects.order_by("pk").values_list("kind", "balance_after")) == [
        ("opening", Decimal("10")), ("in", Decimal("12.5")), ("out", Decimal("8.5"))]
    assert balance_of(StockMovement, stock) == stock.quantity


def test_a_client_id_makes_a_retry_one_movement(stock):
    import uuid

    cid = uuid.uuid4()
    a = services.record_movement(stock, kind="out", quantity=1, client_id=cid)
    b = services.record_movement(stock, kind="out", quantity=1, client_id=cid)
    stock.refresh_from_db()
    assert a.pk == b.pk and stock.quantity == 9


@pytest.mark.django_db(transaction=True)
def test_a_loss_is_recorded_and_signals_the_incidents_app(org):
    from shouwang.registers.models import HazardousStock, KeyPlace

    place = KeyPlace.objects.create(jurisdiction=org.c1, name="仓库", kind="unit", category="hazchem_store")
    stock = HazardousStock.objects.create(jurisdiction=org.c1, place=place, substance="氰化钠", hazard_class="6",
                                          quantity=5, unit_of_measure="kg")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    hazardous_loss_recorded.connect(receiver)
    try:
        with pytest.raises(ValidationError):
            services.record_movement(stock, kind="theft", quantity=1)  # needs a description
        assert not received
        movement = services.record_movement(stock, kind="theft", quantity=1, description="夜间仓库门锁被撬")
    finally:
        hazardous_loss_recorded.disconnect(receiver)
    assert len(received) == 1
    got = received[0]
    assert got["movement"] == movement and got["stock"] == stock and got["node"] == org.c1
    assert got["description"] == "夜间仓库门锁被撬"
    colour, reasons = rules.suggest(place)
    assert colour == "red"


def test_a_colour_other_than_the_rules_needs_a_reason_and_the_reason_is_kept(place, stock, org):
    rule, _reasons = rules.suggest(place)
    assert rule == "blue"  # hazardous stock held
    with pytest.raises(ValidationError) as err:
        services.set_colour(place, colour="green", by=org.user("office1"))
    assert "reason" in err.value.message_dict
    rating = services.set_colour(place, colour="blue")
    assert rating.reason and rating.rule_colour == "blue" and rating.follows_rule
    rating = services.set_colour(place, colour="red", reason="国庆假期客流高峰")
    assert rating.rule_colour == "blue" and rating.reason == "国庆假期客流高峰"
    assert place.ratings.count() == 2


def test_other_apps_plug_risk_signals_in(place):
    rules.register_risk_signal("test.open_serious_hazard", lambda p, day: [("red", "open serious hazard")])
    try:
        colour, reasons = rules.suggest(place)
        assert colour == "red" and any(r.endswith("open serious hazard") for r in reasons)
    finally:
        rules.RISK_SIGNALS.pop("test.open_serious_hazard")
    assert rules.suggest(place)[0] == "green"


def test_rate_unrated_gives_each_place_the_rule_colour_once(place_factory):
    a = place_factory(name="甲")
    place_factory(name="乙")
    assert services.rate_unrated() == 2
    assert services.rate_unrated() == 0
    assert a.ratings.get().colour == "green"


def test_deleting_a_place_waives_its_pending_review(place):
    ob = _pending(place, "registers.review").get()
    place.delete()
    ob.refresh_from_db()
    assert ob.waived_at is not None and ob.waive_reason
