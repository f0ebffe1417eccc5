"""A call's review pipeline: the stages an application passes through, and what the pre-screening group checks.

The tables keep the names they had when these models lived in the review app (``review_stage``,
``review_checklistitem``); the models moved, the data did not.
"""

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
        db_table = "review_stage"
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="one_stage_per_position")]
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")

    def __str__(self):
        return self.name

    def next_stage(self, kind=None):
        """The stage after this one; with ``kind``, the first stage of that kind after it."""
        later = self.call.stages.filter(position__gt=self.position)
        return (later.filter(kind=kind) if kind else later).order_by("position").first()


# The kinds of stage in groups, named once and used by services, rules and selectors.
Stage.Kind.WITH_REVIEWERS = frozenset({Stage.Kind.PANEL, Stage.Kind.DIALOGUE})  # panel members are assigned here
Stage.Kind.PAST_SCREENING = Stage.Kind.WITH_REVIEWERS | {Stage.Kind.DECISION}  # assessed, and may be decided


class ChecklistItem(FunderOwned):
    """One requirement the pre-screening group checks, defined per call (e.g. “manager approval present”)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.JSONField(_("requirement"), default=dict)

    class Meta:
        db_table = "review_checklistitem"
        ordering = ["call", "position", "id"]
