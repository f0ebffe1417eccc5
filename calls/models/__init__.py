from calls.models.call import ApplicationType, Call, CallChange, CostCategory, Fund, Period
from calls.models.form import Criterion, EligibilityQuestion, Question, Section
from calls.models.pipeline import ChecklistItem, Stage
from calls.models.subscription import Subscriber

__all__ = [
    "ApplicationType", "Call", "CallChange", "ChecklistItem", "CostCategory", "Criterion", "EligibilityQuestion", "Fund", "Period", "Question",
    "Section", "Stage", "Subscriber",
]
