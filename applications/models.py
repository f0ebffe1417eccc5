"""Applications, their answers and files, the people on them, and the record of every move."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.letters import letter_occasion
from applications.lifecycle import State
from applications.timeline import APPLICANT_STATUS
from calls.models import ApplicationType
from fundportal.models import OutboxEmail
from fundportal.tenancy import FunderOwned, funder_file_path, scopes_disabled


class Application(FunderOwned):
    class ManagerDecision(models.TextChoices):
        NOT_ASKED = "", _("Not asked yet")
        PENDING = "pending", _("Waiting for the manager")
        APPROVED = "approved", _("Approved by the manager")
        DECLINED = "declined", _("Declined by the manager")

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    period = models.ForeignKey(
        "calls.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
        verbose_name=_("application period"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications", verbose_name=_("main applicant")
    )
    application_type = models.CharField(_("application type"), max_length=20, default="new")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("earlier application"))
    title = models.CharField(_("project title"), max_length=300)
    theme = models.CharField(_("theme area"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    confidential = models.JSONField(_("answers marked confidential"), default=dict, blank=True)
    amount_requested = models.DecimalField(_("amount applied for"), max_digits=14, decimal_places=0, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    current_stage = models.ForeignKey(
        "calls.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("review stage")
    )
    case_number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    extension_until = models.DateTimeField(_("deadline extended to"), null=True, blank=True)
    completion_due = models.DateTimeField(_("completion due"), null=True, blank=True)
    completion_sections = models.JSONField(_("parts to complete"), default=list, blank=True)  # section ids; [] = all
    manager_name = models.CharField(_("manager's name"), max_length=200, blank=True)
    manager_email = models.EmailField(_("manager's email"), blank=True)
    manager_decision = models.CharField(_("manager's decision"), max_length=10, choices=ManagerDecision.choices,
                                        default=ManagerDecision.NOT_ASKED, blank=True)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    manager_decided_at = models.DateTimeField(_("manager decided"), null=True, blank=True)
    manager_asked_at = models.DateTimeField(_("manager asked"), null=True, blank=True)  # names the current request
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.title

    @property
    def applicant_status(self):
        return APPLICANT_STATUS[self.known_state]

    @property
    def known_state(self):
        """The state as the applicant may know it: a decision only once its letter has been sent."""
        return State.IN_REVIEW if self.state in State.DECIDED and not self.decision_letter_sent else self.state

    @property
    def amount_granted(self):
        """The amount granted, once the applicant may know it (its letter sent); else None."""
        if self.known_state != State.GRANTED:
            return None
        decision = getattr(self, "decision", None)
        return decision.amount if decision else None

    @property
    def manager_approved(self):
        return self.manager_decision == self.ManagerDecision.APPROVED

    @property
    def decision_letter_sent(self):
        """Has the decision letter left the outbox? (``letter_sent`` when a list annotated it.)"""
        if "letter_sent" not in self.__dict__:
            with scopes_disabled():
                self.letter_sent = OutboxEmail.objects.filter(
                    funder_id=self.funder_id, occasion=letter_occasion(self.pk), status=OutboxEmail.Status.SENT).exists()
        return self.letter_sent

    def asked_to_complete(self, section_id):
        """Is this part one the funder named when returning the application for completion?"""
        return self.state == State.RETURNED and section_id in self.completion_sections

    def may_change_section(self, section_id):
        """While returned for completion, only the parts named may change (every part, if none was named)."""
        return self.state != State.RETURNED or not self.completion_sections or section_id in self.completion_sections

    def get_application_type_display(self):
        return ApplicationType(self.application_type).label


class ApplicationTransition(FunderOwned):
    """One move of an application: who made it, when, from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=40)
    source_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    target_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    source_stage = models.ForeignKey("calls.Stage", on_delete=models.PROTECT, null=True, related_name="+")
    target_stage = models.ForeignKey("calls.Stage", on_delete=models.PROTECT, null=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")


class Revision(FunderOwned):
    """The answers as they were at a submission; kept for ever, compared by administrators."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    title = models.CharField(_("project title"), max_length=300)
    theme = models.CharField(_("theme area"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"))
    created = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_revision_number")]


def attachment_path(attachment, filename):
    return funder_file_path(attachment.funder, f"applications/{attachment.application_id}", filename)


class Attachment(FunderOwned):
    """A file an applicant uploaded for a question; served only through a permission-checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question = models.ForeignKey("calls.Question", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    confidential_reason = models.TextField(_("why it is confidential"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]


class Collaborator(FunderOwned):
    """A co-applicant invited by email, who may edit or only read the application."""

    class Access(models.TextChoices):
        EDIT = "edit", _("May edit")
        VIEW = "view", _("May read")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="collaborators")
    email = models.EmailField(_("email address"))
    access = models.CharField(_("access"), max_length=4, choices=Access.choices, default=Access.EDIT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "email"], name="one_invitation_per_email")]
        indexes = [models.Index(fields=["email"], name="collaborator_by_email")]  # "my applications" finds them so


class CaseCounter(FunderOwned):
    """The last case number given per prefix (e.g. RS-IF-2024), counted under a row lock."""

    prefix = models.CharField(max_length=40)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "prefix"], name="one_counter_per_prefix")]


class ApplicantProfile(models.Model):
    """What a person tells every funder about themselves. Gender is used only in aggregate statistics."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Another gender")
        UNSAID = "", _("Prefer not to say")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_profile")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True, help_text=_("E.g. the clinic that would receive the grant."))
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    gender = models.CharField(_("gender (optional)"), max_length=10, choices=Gender.choices, blank=True, default="")
