from calls.models.call import ApplicationType, Call, CallChange, CostCategory, Fund, Period
from calls.models.form import Criterion, EligibilityQuestion, Question, Section
from calls.models.subscription import Subscriber

__all__ = [
    "ApplicationType", "Call", "CallChange", "CostCategory", "Criterion", "EligibilityQuestion", "Fund", "Period", "Question",
    "Section", "Subscriber",
]
