"""People who asked to hear about a funder's new calls (double opt-in)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fundportal.tenancy import FunderOwned


class Subscriber(FunderOwned):
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "email"], name="one_subscription_per_email")]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email
