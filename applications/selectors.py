"""Reads on applications that pages share, each in a fixed number of queries."""

from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from applications.letters import OCCASION_PREFIX
from applications.lifecycle import State
from applications.models import ApplicantProfile, Application, Attachment, Collaborator
from calls.models import Call, Question, Section
from calls.selectors import PeriodFigure
from fundportal.models import OutboxEmail
from fundportal.tenancy import scopes_disabled


def funder_figures():
    """Headline counts for the active funder's dashboard: two queries."""
    counts = Application.objects.aggregate(
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        submitted=Count("pk", filter=Q(state__in=(State.SUBMITTED, State.RETURNED))),
        in_review=Count("pk", filter=Q(state=State.IN_REVIEW)),
        decided=Count("pk", filter=Q(state__in=State.DECIDED)),
    )
    return [
        {"label": _("Calls"), "count": Call.objects.count()},
        {"label": _("Drafts"), "count": counts["drafts"]},
        {"label": _("Submitted"), "count": counts["submitted"]},
        {"label": _("In review"), "count": counts["in_review"]},
        {"label": _("Decided"), "count": counts["decided"]},
    ]


# What the calls dashboard counts per application period (handed to calls.selectors.PERIOD_FIGURES in dashboard.py).
PERIOD_FIGURES = (
    PeriodFigure("drafts", _("Drafts"), Count("applications", filter=Q(applications__state=State.DRAFT))),
    PeriodFigure("submissions", _("Submitted"),
                 Count("applications", filter=Q(applications__state__in=State.VISIBLE_TO_STAFF))),
)


def application_with_form(pk):
    """An application with its call, period and the call's sections and questions."""
    sections = Section.objects.order_by("position", "id").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position", "id")))
    return (Application.objects.select_related("call__fund", "call__funder", "period", "applicant", "funder", "decision")
            .prefetch_related(Prefetch("call__sections", queryset=sections), "attachments")
            .get(pk=pk))


def decision_letter_sent():
    """Per application: has its decision letter been sent (see ``Application.decision_letter_sent``)?"""
    occasion = Concat(Value(OCCASION_PREFIX), Cast(OuterRef("pk"), CharField()))
    return Exists(OutboxEmail.objects.filter(funder=OuterRef("funder"), occasion=occasion, status=OutboxEmail.Status.SENT))


def applications_of(user):
    """Everything ``user`` applies for or co-writes, at every funder, newest first."""
    with scopes_disabled():
        # their own and the co-written ones as a union of two index scans (an OR, or a join made DISTINCT, scans
        # every application of the installation)
        own = Application.objects.filter(applicant=user).order_by().values("pk")
        co_written = Collaborator.objects.filter(email=user.email.lower()).order_by().values("application")
        return list(
            Application.objects.filter(pk__in=own.union(co_written))
            .annotate(letter_sent=decision_letter_sent()).select_related("call__funder", "period", "funder")
            .order_by("-updated")
        )


def earlier_applications(user):
    """What ``user`` has applied for before (here, at the active funder): their applications past the draft."""
    return Application.objects.filter(applicant=user).exclude(state=State.DRAFT)


def attachment_of(application, pk):
    """The application's file ``pk``, with its question and call; 404 if the application has none such."""
    return get_object_or_404(Attachment.objects.select_related("question", "application__call"), pk=pk,
                             application=application)


def latest_revisions(application, count=1):
    """The application's last ``count`` submitted versions, newest first."""
    return list(application.revisions.order_by("-number")[:count])


def revisions_of(application):
    """Every submitted version of the application, oldest first, with who submitted it."""
    return list(application.revisions.select_related("by"))


def organisation_of(applicant_id):
    """The organisation the applicant names in their profile ("" without one)."""
    profile = ApplicantProfile.objects.filter(user=applicant_id).first()
    return profile.organisation if profile else ""
