from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from applications.letters import WRITERS as DECISION_LETTER_WRITERS
from fundportal.signals import membership_revoked
from review.sql import median_for_sqlite


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        # the receivers and the letters import services and models, which may be imported only once the apps are ready
        from review.letters import letter_pdf
        from review.receivers import close_assignments_of_removed_panel_member  # (models are ready only now, see above)
        from review import bulk_jobs  # noqa: F401 — its task, for the worker (which imports only the tasks modules)

        membership_revoked.connect(close_assignments_of_removed_panel_member,
                                   dispatch_uid="review.close_assignments_of_removed_panel_member")
        connection_created.connect(median_for_sqlite, dispatch_uid="review.median_for_sqlite")  # the ranking's medians
        DECISION_LETTER_WRITERS.append(letter_pdf)  # the letter an applicant downloads is written here
