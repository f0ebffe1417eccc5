from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fundportal.signals import membership_revoked


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self):
        # the receivers import services and models, which may be imported only once the apps are ready
        from review.receivers import close_assignments_of_removed_panel_member

        membership_revoked.connect(close_assignments_of_removed_panel_member,
                                   dispatch_uid="review.close_assignments_of_removed_panel_member")
