from .campaigns import Campaign, CampaignPhoto, CampaignTarget
from .drills import Drill, Evaluation, ExpectedAction, Improvement, Inject
from .plans import Plan, PlanAction, PlanReview, PlansScoped, PlanVersion
from .training import Attendance, Certificate, Course, Session

__all__ = [
    "Attendance",
    "Campaign",
    "CampaignPhoto",
    "CampaignTarget",
    "Certificate",
    "Course",
    "Drill",
    "Evaluation",
    "ExpectedAction",
    "Improvement",
    "Inject",
    "Plan",
    "PlanAction",
    "PlanReview",
    "PlanVersion",
    "PlansScoped",
    "Session",
]
