"""A funder's dashboard, composed from what each app contributes: the to-do list ("waiting for you") and the figures.

The core knows no app. Each app's ``dashboard`` module (found when the apps are ready, like ``admin``) registers
functions here with a position; the dashboard asks them in that order. A contribution keeps to a fixed number of
queries whatever the numbers.
"""

from django.urls import reverse
from django.utils.translation import ngettext

from fundportal.models import OutboxEmail
from fundportal.selectors import count_by_status


class Contributions:
    """Functions that each return a list of entries; called together, their entries come in order of position."""

    def __init__(self):
        self._functions = []

    def register(self, *, position):
        """Decorator: the function's entries are listed at ``position`` (smaller first)."""
        def add(function):
            self._functions.append((position, function))
            self._functions.sort(key=lambda registered: registered[0])
            return function
        return add

    def __call__(self, *args):
        return [entry for _position, function in self._functions for entry in function(*args)]


# (label with %(count)d, count, where to do it) for the person at this funder, by what their roles let them do:
# contributions take (user, funder, today).
WORK = Contributions()
# {"label", "count"}: the funder's headline figures; contributions take no arguments (the funder's scope is active).
FIGURES = Contributions()


def work_waiting(user, funder, today):
    """What waits for ``user`` at ``funder``: only what their roles let them do, and only what is not empty."""
    return [(label % {"count": count}, count, url) for label, count, url in WORK(user, funder, today) if count]


def funder_figures():
    return FIGURES()


@WORK.register(position=20)
def outbox_work(user, funder, today):
    """Email drafts to check and send, and emails that failed, for whoever keeps the outbox."""
    if not user.has_perm("fundportal.manage_outbox", funder):
        return []
    # only the two statuses are read, through the outbox's index by status, not every email the funder has sent
    counts = count_by_status(OutboxEmail.objects.filter(status__in=(OutboxEmail.Status.DRAFT, OutboxEmail.Status.FAILED)))
    drafts, failed = counts.get(OutboxEmail.Status.DRAFT, 0), counts.get(OutboxEmail.Status.FAILED, 0)
    outbox = reverse("outbox", args=[funder.slug])
    return [(ngettext("%(count)d email draft to check and send", "%(count)d email drafts to check and send",
                      drafts), drafts, f"{outbox}?status=draft"),
            (ngettext("%(count)d email failed", "%(count)d emails failed", failed), failed, f"{outbox}?status=failed")]
