from .inspections import Answer, Inspection, InspectionPlan, Photo
from .rectification import Finding, RectificationOrder, RectificationPlan, Verification
from .supervision import Bulletin, InspectorAssignment, SupervisionVisit
from .templates import ChecklistTemplate, TemplateItem, TemplateVersion

__all__ = [
    "Answer", "Bulletin", "ChecklistTemplate", "Finding", "Inspection", "InspectionPlan", "InspectorAssignment",
    "Photo", "RectificationOrder", "RectificationPlan", "SupervisionVisit", "TemplateItem", "TemplateVersion",
    "Verification",
]
