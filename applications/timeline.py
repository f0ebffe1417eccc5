"""What happened to an application, told in words an applicant understands."""

from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State

APPLICANT_STATUS = {
    State.DRAFT: _("Draft: not submitted yet"),
    State.SUBMITTED: _("Submitted: waiting for assessment"),
    State.IN_REVIEW: _("Being assessed"),
    State.RETURNED: _("Returned to you for completion"),
    State.WITHDRAWN: _("Withdrawn"),
    State.GRANTED: _("Granted"),
    State.DECLINED: _("Not granted"),
    State.PRELIMINARY: _("Kept for a later round"),
}

APPLICANT_EVENTS = {
    "submit": _("The application was submitted"),
    "withdraw": _("The application was withdrawn"),
    "start_review": _("The funder began to assess the application"),
    "advance": _("The assessment moved on to its next step"),
    "to_decision": _("The assessment moved on to its next step"),
    "return_for_completion": _("The funder asked for the application to be completed"),
    "resubmit": _("The completed application was sent in"),
    "screen_out": _("The application did not pass the first check"),
    "mark_preliminary": _("The application was kept for a later round"),
    "grant": _("The application was granted"),
    "decline": _("The application was not granted"),
}


def timeline(application):
    """[(when, what, comment shown to the applicant)], starting with the draft."""
    events = [(application.created, _("The draft was started"), "")]
    told = application.decision_letter_sent
    for step in application.transitions.all():
        if step.target_state in State.DECIDED and not told:
            continue  # the applicant learns the decision from its letter
        comment = step.comment if step.action in ("return_for_completion", "withdraw") else ""
        events.append((step.at, APPLICANT_EVENTS[step.action], comment))
    if application.manager_decided_at:
        events.append((application.manager_decided_at, application.get_manager_decision_display(), application.manager_comment))
    return sorted(events, key=lambda event: event[0])


def applicant_status(application):
    return APPLICANT_STATUS[application.known_state]
