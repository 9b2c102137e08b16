from .defences import Defence
from .places import Attachment, KeyPlace
from .risk import RiskRating
from .stock import HazardousStock, StockMovement

__all__ = ["Attachment", "Defence", "HazardousStock", "KeyPlace", "RiskRating", "StockMovement"]
