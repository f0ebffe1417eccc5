"""Applications and the record of every move in their life."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State
from fundportal.tenancy import FunderOwned


class Application(FunderOwned):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    period = models.ForeignKey(
        "calls.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("application period"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("main applicant")
    )
    title = models.CharField(_("project title"), max_length=300)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    current_stage = models.ForeignKey(
        "review.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("review stage")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.title


class ApplicationTransition(FunderOwned):
    """One move of an application: who made it, when, from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=40)
    source_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    target_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    source_stage = models.ForeignKey("review.Stage", on_delete=models.PROTECT, null=True, related_name="+")
    target_stage = models.ForeignKey("review.Stage", on_delete=models.PROTECT, null=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")
