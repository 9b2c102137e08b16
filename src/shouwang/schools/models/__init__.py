from .checks import CameraCheck, Handover
from .gate import GateConfirmation, GateWindow
from .logs import Purge, VehicleEntry, VisitorEntry, VisitorRead
from .school import Camera, KeySpot, PupilClass, School

__all__ = ["Camera", "CameraCheck", "GateConfirmation", "GateWindow", "Handover", "KeySpot", "Purge", "PupilClass",
           "School", "VehicleEntry", "VisitorEntry", "VisitorRead"]
