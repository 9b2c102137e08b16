"""Signals other apps connect to (patrols sits beside incidents and must not import it).

`sighting_reported` is sent after a new sighting is committed, with keyword argument
`sighting`. The incidents app turns an incident sighting into an incident draft.
"""

from django.dispatch import Signal

sighting_reported = Signal()
