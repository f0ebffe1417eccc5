"""The decision letter an applicant downloads from their application's page.

Applications knows that a decided application has a letter, not how a letter is written: the app that decides
(review) hands over its writer when the apps are ready (review/apps.py).
"""

OCCASION_PREFIX = "decision:"  # the outbox email that carries the letter of application 12 has occasion "decision:12"
WRITERS = []  # the one function (decision, language) → the letter as PDF bytes


def letter_occasion(application_id):
    """Names the outbox email that carries the letter of the decision on application ``application_id``."""
    return f"{OCCASION_PREFIX}{application_id}"


def decision_letter_pdf(decision, language):
    """The letter of ``decision`` in ``language``, as PDF bytes."""
    (write,) = WRITERS
    return write(decision, language)
