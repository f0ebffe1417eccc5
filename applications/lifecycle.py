"""The life of an application: its states, their groups, and every move between them, in one table.

Read the table top to bottom: *action* moves an application *from* one of the
listed states *to* the target, *by* one of the listed roles (a funder role, or
``APPLICANT``: the application's own main applicant). Every move is made, and
recorded, by ``applications.services.application_transition``, which refuses
one the table does not allow (only the demo's bulk history in ``review.demo``
writes states directly); the permissions to submit, withdraw, screen and
decide are read from the *by* column (``applications.rules.may``).

While in review, or returned for completion, an application sits at one stage
of its call's pipeline (``calls.models.Stage``). A move may be limited to
stage kinds (*at*), and *stage* says what happens to the current stage: enter
the call's first stage, go to the next one, go to the call's next decision
stage, or keep it. A call's pipeline is data, so a new pipeline needs no new
states; the code knows a stage by its kind, never by its name.

What a state means beyond the table is said once, by the groups below
(``State.EDITABLE``, ``State.DECIDED`` …), which services, rules, selectors
and views use instead of listing states or comparing their values as strings.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from fundportal.models import Role
from calls.models import Stage


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for completion")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")
    PRELIMINARY = "preliminary", _("Preliminary: relevant for a later round")


# The states in groups, named once and used by services, rules, selectors and templates.
State.EDITABLE = frozenset({State.DRAFT, State.RETURNED})  # the applicant writes: a draft, or the parts to complete
State.DECIDED = frozenset({State.GRANTED, State.DECLINED, State.PRELIMINARY})
State.UNDECIDED = frozenset({State.SUBMITTED, State.IN_REVIEW, State.RETURNED})  # sent in, no decision yet
State.VISIBLE_TO_STAFF = State.UNDECIDED | State.DECIDED  # from submission on (and not withdrawn)
State.AT_A_STAGE = frozenset({State.IN_REVIEW, State.RETURNED})  # sits at one stage of the call's pipeline
State.ASSESSED = frozenset({State.IN_REVIEW}) | State.DECIDED  # may be at, or past, a panel, dialogue or decision stage

APPLICANT = "applicant"  # the person who owns the application; not a funder role

FIRST, NEXT, DECISION_STAGE, KEEP = "first", "next", "decision_stage", "keep"

DRAFT, SUBMITTED, IN_REVIEW, RETURNED = State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RETURNED
ADMIN, SCREENER, STEERING = Role.ADMINISTRATOR, Role.SCREENER, Role.STEERING_MEMBER
SCREENING, PANEL, DIALOGUE, DECISION = Stage.Kind.SCREENING, Stage.Kind.PANEL, Stage.Kind.DIALOGUE, Stage.Kind.DECISION


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str
    by: tuple
    at: tuple = ()  # stage kinds where the move is allowed; empty: anywhere
    stage: str = KEEP


TRANSITIONS = (
    #           action                   label                                  from                                      to                  by                          at                            stage
    Transition("submit",                 _("Submit the application"),           (DRAFT,),                                 SUBMITTED,          (APPLICANT,)),
    Transition("withdraw",               _("Withdraw"),                         (DRAFT, SUBMITTED, IN_REVIEW, RETURNED),  State.WITHDRAWN,    (APPLICANT,)),
    Transition("start_review",           _("Start review"),                     (SUBMITTED,),                             IN_REVIEW,          (ADMIN, SCREENER),          (),                           FIRST),
    Transition("advance",                _("Pass to the next stage"),           (IN_REVIEW,),                             IN_REVIEW,          (ADMIN, SCREENER),          (SCREENING, PANEL, DIALOGUE), NEXT),
    Transition("to_decision",            _("Take to the decision"),             (IN_REVIEW,),                             IN_REVIEW,          (ADMIN, STEERING),          (PANEL, DIALOGUE),            DECISION_STAGE),
    Transition("return_for_completion",  _("Return for completion"),            (IN_REVIEW,),                             RETURNED,           (ADMIN, SCREENER),          (SCREENING,)),
    Transition("resubmit",               _("Submit the completed application"), (RETURNED,),                              IN_REVIEW,          (APPLICANT,)),
    Transition("screen_out",             _("Screen out"),                       (IN_REVIEW,),                             State.DECLINED,     (ADMIN, SCREENER),          (SCREENING, DIALOGUE)),
    Transition("mark_preliminary",       _("Mark as preliminary"),              (IN_REVIEW,),                             State.PRELIMINARY,  (ADMIN, SCREENER, STEERING), (SCREENING, DECISION)),
    Transition("grant",                  _("Grant"),                            (IN_REVIEW,),                             State.GRANTED,      (ADMIN, STEERING),          (DECISION,)),
    Transition("decline",                _("Decline"),                          (IN_REVIEW,),                             State.DECLINED,     (ADMIN, STEERING),          (DECISION,)),
)  # fmt: skip

TRANSITIONS_BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def transitions_from(state):
    """The moves the table allows out of ``state``."""
    return [transition for transition in TRANSITIONS if state in transition.sources]
