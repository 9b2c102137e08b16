"""Signals plans sends: a drill's run told to the floor above, which keeps the exercise incident.

Plans cannot import incidents; incidents (higher) connects its receivers in its AppConfig.ready()
(incidents/drills.py). Every signal is sent inside the plans service's transaction, so a receiver
that refuses (raises) leaves nothing half-written.

- `drill_started(sender=Drill, drill, user, at)`: open the exercise incident through the same
  intake as a real one (its clocks start).
- `inject_delivered(sender=Drill, drill, inject, user, at)`: an inject reached its players
  (`user` None: delivered by the sweep at its offset).
- `action_logged(sender=Drill, drill, action, user, at)`: a player logged an expected action.
- `evacuation_timed(sender=Drill, drill, what, user, at)`: the evacuation signal (`what` = "signal")
  or the all-clear ("all_clear").
- `drill_ended(sender=Drill, drill, user, at)`: close the exercise incident; nothing of it stays pending.
"""

from django.dispatch import Signal

drill_started = Signal()
inject_delivered = Signal()
action_logged = Signal()
evacuation_timed = Signal()
drill_ended = Signal()
