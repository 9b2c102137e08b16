"""Demo: a welcome message in each demo user's inbox (no webhooks: the demo sends nothing out).

The obligations themselves come from the apps that own them (daily reports, reviews, ...),
whose demos run after this one; the sweep escalates them once `shouwang serve` runs.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from .choices import NotificationKind
from .models import Notification
from .notify import notify

DEMO_USERNAMES = ["leader", "office", "grid", "patrol", "inspector", "liaison", "viewer"]


def load(out=print):
    users = list(get_user_model().objects.filter(username__in=DEMO_USERNAMES))
    if not users or Notification.objects.filter(kind=NotificationKind.MESSAGE, recipient__in=users).exists():
        out("Demo inbox messages already loaded.")
        return
    with override("zh-hans"), transaction.atomic():
        notify(users, kind=NotificationKind.MESSAGE, webhooks=[], email=False, title=_("Welcome to your inbox"),
               body=_("Reminders before a duty is due, and notices when one is missed or escalated, arrive here "
                      "and by e-mail. My obligations lists what you answer for."))
    out(f"Demo inbox messages: {len(users)}.")
