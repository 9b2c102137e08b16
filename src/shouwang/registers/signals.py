"""Signals other apps connect to (registers sits below incidents and must not import it).

`hazardous_loss_recorded` is sent after a loss or theft of hazardous stock is committed, with
keyword arguments `stock` (HazardousStock), `movement` (StockMovement), `node` (Jurisdiction),
`description` (str) and `user` (who recorded it, or None). The incidents app connects a
receiver that opens an incident draft.
"""

from django.dispatch import Signal

hazardous_loss_recorded = Signal()
