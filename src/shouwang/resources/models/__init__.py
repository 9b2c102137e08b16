from .base import ResourceModel, UsedFor, cause_fields, cause_filter
from .equipment import Equipment, EquipmentEvent, EquipmentIssue
from .points import EvacuationPoint, PointCheck, PointOpening, PointVehicle
from .reserve import AssemblyPoint, CallOut, CallOutAnswer
from .supplies import Lot, StockMovement, StockTake, Store, SupplyItem

__all__ = [
    "AssemblyPoint", "CallOut", "CallOutAnswer", "Equipment", "EquipmentEvent", "EquipmentIssue", "EvacuationPoint",
    "Lot", "PointCheck", "PointOpening", "PointVehicle", "ResourceModel", "StockMovement", "StockTake", "Store",
    "SupplyItem", "UsedFor", "cause_fields", "cause_filter",
]
