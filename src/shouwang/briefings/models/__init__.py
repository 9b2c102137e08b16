from .briefing import Briefing
from .consultation import Consultation, Decision
from .daily import DailyReport
from .rollup import DailyCount, RollupState
from .wall import WallScreen

__all__ = ["Briefing", "Consultation", "DailyCount", "DailyReport", "Decision", "RollupState", "WallScreen"]
