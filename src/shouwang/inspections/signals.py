"""Signals inspections sends (listeners connect in their receivers.py).

order_opened(sender=RectificationOrder, order): a rectification was ordered.
order_closed(sender=RectificationOrder, order): a rectification was verified and closed.
"""

from django.dispatch import Signal

order_opened = Signal()
order_closed = Signal()
