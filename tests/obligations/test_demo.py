from django.core.management import call_command

from shouwang.obligations.models import Delivery, Notification


def test_demo_puts_one_welcome_message_in_each_inbox_once(db, mailoutbox):
    call_command("load_demo")
    call_command("load_demo")
    # Other demos add incident notices, a drill's injects, the office told of a posture's shortfall
    # and a school's staff told of a visitor still inside at closing; the welcome is none of them.
    welcome = (Notification.objects.filter(kind="message").exclude(title__startswith="QL-WC-")
               .exclude(title__startswith="【演练】").exclude(url__startswith="/duty/")
               .exclude(url__startswith="/schools/"))
    counts = list(welcome.values_list("recipient__username", flat=True))
    assert sorted(counts) == sorted(["leader", "office", "grid", "patrol", "inspector", "liaison", "viewer"])
    assert set(Delivery.objects.filter(notification__in=welcome).values_list("channel", flat=True)) == {"inbox"}
    assert mailoutbox == []
