"""The decision letter an applicant downloads from their application's page.

Applications knows that a decided application has a letter, not how a letter is written: the app that decides
(review) hands over its writer when the apps are ready (review/apps.py).
"""

WRITERS = []  # the one function (decision, language) → the letter as PDF bytes


def decision_letter_pdf(decision, language):
    """The letter of ``decision`` in ``language``, as PDF bytes."""
    (write,) = WRITERS
    return write(decision, language)
