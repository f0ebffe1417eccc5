"""Writes on applications. Views, tasks and commands call these, nothing else."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.audit import application_moved
from applications.lifecycle import DECISION_STAGE, FIRST, NEXT, TRANSITIONS_BY_ACTION
from applications.models import Application, ApplicationTransition
from applications.rules import may_make
from calls.models import Stage
from fundportal.models import User


class TransitionRefused(Exception):
    """A move the lifecycle table does not allow; the message says why, for a person."""


@transaction.atomic
def application_transition(*, application: Application, action: str, by: User, comment: str = "") -> Application:
    """Move ``application`` by ``action`` as the person ``by``, and record the move."""
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused(_("“%(action)s” is not a move an application can make.") % {"action": action})
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("current_stage", "funder").get(pk=application.pk)
    )
    current_stage = application.current_stage
    if application.state not in transition.sources:
        raise TransitionRefused(
            _("An application that is “%(state)s” cannot be moved by “%(action)s”.")
            % {"state": application.get_state_display(), "action": transition.label}
        )
    if transition.at and (current_stage is None or current_stage.kind not in transition.at):
        raise TransitionRefused(
            _("“%(action)s” is not possible at the current review stage.") % {"action": transition.label}
        )
    if not may_make(by, application, transition):
        raise TransitionRefused(_("You do not have a role that may “%(action)s”.") % {"action": transition.label})

    target_stage = _stage_after(transition, application)
    ApplicationTransition.objects.create(
        funder=application.funder,
        application=application,
        action=transition.action,
        source_state=application.state,
        target_state=transition.target,
        source_stage=current_stage,
        target_stage=target_stage,
        by=by,
        comment=comment,
    )
    application_moved(application=application, transition=transition, source_state=application.state, by=by)
    application.state = transition.target
    application.current_stage = target_stage
    application.version += 1  # a page loaded before the move can no longer save over it
    application.save(update_fields=["state", "current_stage", "version", "updated"])
    return application


def _stage_after(transition, application):
    """Where ``transition`` leaves ``application`` in its call's pipeline: the table's *stage* column."""
    current_stage = application.current_stage
    if transition.stage == FIRST:
        target_stage = application.call.stages.order_by("position").first()
        if target_stage is None:
            raise TransitionRefused(_("This call has no review stages yet; set up its pipeline first."))
    elif transition.stage == NEXT:
        target_stage = current_stage.next_stage()
        if target_stage is None:
            raise TransitionRefused(_("This is the call's last review stage; make a decision instead."))
    elif transition.stage == DECISION_STAGE:
        target_stage = current_stage.next_stage(kind=Stage.Kind.DECISION)
        if target_stage is None:
            raise TransitionRefused(_("This call's pipeline has no decision stage after this one."))
    else:
        target_stage = current_stage
    return target_stage
