"""Reads on applications that pages share, each in a fixed number of queries."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State
from applications.models import Application
from calls.models import Call

DECIDED = (State.GRANTED, State.DECLINED, State.PRELIMINARY)


def funder_figures():
    """Headline counts for the active funder's dashboard: two queries."""
    counts = Application.objects.aggregate(
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        submitted=Count("pk", filter=Q(state__in=(State.SUBMITTED, State.RETURNED))),
        in_review=Count("pk", filter=Q(state=State.IN_REVIEW)),
        decided=Count("pk", filter=Q(state__in=DECIDED)),
    )
    return [
        {"label": _("Calls"), "count": Call.objects.count()},
        {"label": _("Drafts"), "count": counts["drafts"]},
        {"label": _("Submitted"), "count": counts["submitted"]},
        {"label": _("In review"), "count": counts["in_review"]},
        {"label": _("Decided"), "count": counts["decided"]},
    ]
