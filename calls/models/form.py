"""What a call asks: eligibility questions, the application form, assessment criteria."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fundportal.tenancy import FunderOwned
from fundportal.translated import translated


class EligibilityQuestion(FunderOwned):
    """A yes/no question answered before the form; the wrong answer stops the applicant, with a reason."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="eligibility_questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.JSONField(_("question"), default=dict)
    eligible_answer = models.BooleanField(_("answer that makes one eligible"), default=True)
    reason_if_not = models.JSONField(_("reason shown when not eligible"), default=dict)

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self):
        return translated(self.text)


class Section(FunderOwned):
    """A step of the application form."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self):
        return translated(self.title)


class Question(FunderOwned):
    """One typed question of the form. ``settings`` holds what its kind needs (limits, choices, …)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        AMOUNT = "amount", _("Amount")
        DATE = "date", _("Date")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        DECLARATION = "declaration", _("Yes/no declaration")
        FILE = "file", _("File upload")
        PARTICIPANTS = "participants", _("Participants")
        TIME_PLAN = "time_plan", _("Time plan")
        BUDGET = "budget", _("Budget table")
        PARTNERS = "partners", _("R&D partners")

    # A date question's ``settings["project_date"]`` may mark it as the project's start or end (shown in letters).
    PROJECT_START, PROJECT_END = "start", "end"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        ordering = ["section", "position", "id"]

    def __str__(self):
        return translated(self.label)


class Criterion(FunderOwned):
    """An assessment criterion with its weight in per cent of the total."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.JSONField(_("criterion"), default=dict)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    guidance = models.JSONField(_("guidance for reviewers"), default=dict, blank=True)  # {language: text}
    score_guidance = models.JSONField(_("what each score means"), default=dict, blank=True)  # {"<score>": {language: text}}

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self):
        return translated(self.name)
