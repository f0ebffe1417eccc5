"""Celery tasks of the assessment."""

from celery import shared_task

from fundportal.tasks import FunderTask


@shared_task(base=FunderTask)
def prepare_decision_letter(funder, decision_id):
    """Render one released decision's letter into its reserved outbox email (once)."""
    from review.decisions import decision_letter_prepare
    from review.models import Decision

    decision = Decision.objects.select_related("application__applicant", "application__call").filter(pk=decision_id).first()
    if decision is None or decision.released_at is None:
        return "nothing to prepare"
    return "prepared" if decision_letter_prepare(decision=decision) else "already prepared"
