from .posture import Posture
from .requests import Handover, SwapRequest
from .roster import Assignment, Leave, Roster
from .runs import FeedToken, SolveRun

__all__ = ["Assignment", "FeedToken", "Handover", "Leave", "Posture", "Roster", "SolveRun", "SwapRequest"]
