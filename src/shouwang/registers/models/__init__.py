from .defences import Defence
from .places import Attachment, KeyPlace
from .risk import RiskRating
from .stock import HazardousStock, StockMovement
from .words import CategoryWord

__all__ = ["Attachment", "CategoryWord", "Defence", "HazardousStock", "KeyPlace", "RiskRating", "StockMovement"]
