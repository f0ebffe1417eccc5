"""The review stages an application passes through; each call sets its own pipeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fundportal.tenancy import FunderOwned


class Stage(FunderOwned):
    """One step of a call's review pipeline, e.g. pre-screening, expert panel, decision."""

    class Kind(models.TextChoices):
        SCREENING = "screening", _("Screening")
        PANEL = "panel", _("Panel review")
        DIALOGUE = "dialogue", _("Dialogue")
        DECISION = "decision", _("Decision")

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="stages", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="one_stage_per_position")]
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")

    def __str__(self):
        return self.name

    def next_stage(self):
        return self.call.stages.filter(position__gt=self.position).order_by("position").first()
