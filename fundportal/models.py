"""People, funders (the tenants) and who holds which role where."""

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fundportal.tenancy import FunderOwned, funder_file_path, scoped_manager

# A staff member's session ends after this long without a request; a funder may choose a shorter time, not a longer.
STAFF_IDLE_TIMEOUT_MINUTES = 30
SHORTEST_IDLE_TIMEOUT_MINUTES = 5

RESERVED_SLUGS = {"accounts", "admin", "calls", "healthz", "i18n", "mailbox", "my", "static", "media", "api", "operator"}


def email_address(text: str) -> str:
    """An email address as the portal keeps it: trimmed and in lower case, so one person is one address."""
    return text.strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an email address; may hold roles at several funders."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    wants_reminders = models.BooleanField(
        _("Send me reminders by email"), default=True,
        help_text=_("Reminders before deadlines and of reviews that are due. Receipts and decisions are always sent."))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.get_full_name() or self.email

    def has_perm(self, perm, obj=None):
        """A superuser (the operator) holds every model permission, for the Django admin; the portal's own
        permissions are its rules' alone, so being a superuser opens no funder's pages, drafts or decisions."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


def _reject_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved by the portal."), params={"slug": slug})


def funder_logo_path(funder, filename):
    return funder_file_path(funder, "branding", filename)


class Funder(models.Model):
    """A public funder: the tenant. Everything it owns carries it."""

    class Currency(models.TextChoices):
        SEK = "SEK", _("Swedish krona")
        NOK = "NOK", _("Norwegian krone")
        EUR = "EUR", _("Euro")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address name"),
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$"), _reject_reserved],
        help_text=_("Used in the funder’s web addresses, e.g. /region-stockholm/."),
    )
    short_name = models.CharField(_("short name"), max_length=20, help_text=_("Used in case numbers, e.g. RS."))
    default_language = models.CharField(_("default language"), max_length=8, default="sv")
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Stockholm")
    logo = models.FileField(_("logo"), upload_to=funder_logo_path, blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4f91",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Choose a colour as # and six hexadecimal digits, e.g. #1d4f91."))])
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    letter_signature = models.TextField(_("signature of decision letters"), blank=True,
                                        help_text=_("E.g. the name and title of the person who decides."))
    letter_distribution = models.TextField(_("copies of decision letters go to"), blank=True,
                                           help_text=_("One recipient per line, e.g. Regional Development Director."))
    class Justification(models.TextChoices):
        DECISION = "decision", _("The justification written with the decision")
        PANEL = "panel", _("The panel's assessment (the consensus comment), where there is one")

    letter_justification = models.CharField(
        _("justification in decision letters"), max_length=10, choices=Justification.choices,
        default=Justification.DECISION,
        help_text=_("Applications screened out at pre-screening always get the screening's reason."))
    staff_two_factor_required = models.BooleanField(
        _("staff must sign in with two factors"), default=False,
        help_text=_("Everyone holding a role here (administrators, screeners, the panel, the steering group) then "
                    "sets up an authenticator app or a passkey before reaching any staff page."))
    staff_idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("staff idle timeout (minutes)"), default=STAFF_IDLE_TIMEOUT_MINUTES,
        validators=[MinValueValidator(SHORTEST_IDLE_TIMEOUT_MINUTES), MaxValueValidator(STAFF_IDLE_TIMEOUT_MINUTES)],
        help_text=_("A staff member who does nothing for this long is signed out (at most 30 minutes). Drafts are "
                    "saved as they are typed."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Fund administrator")
    SCREENER = "screener", _("Pre-screener")
    PANEL_MEMBER = "panel_member", _("Panel member")
    STEERING_MEMBER = "steering_member", _("Steering-group member")


class MembershipQuerySet(models.QuerySet):
    def panel(self):
        """The memberships of the (active funder's) review panel."""
        return self.filter(role=Role.PANEL_MEMBER)

    def panel_by_email(self):
        """The panel, each with the person, by email address: as every list of the panel shows it."""
        return self.panel().select_related("user").order_by("user__email")


class Membership(FunderOwned):
    """A person's role at one funder. Applicants need none."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    expertise = models.JSONField(_("expertise (theme areas)"), default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(MembershipQuerySet)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "user", "role"], name="one_role_once_per_funder")]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class MembershipChange(FunderOwned):
    """Who gave or took which role, from whom, when: the audit of a funder's team."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Role given")
        REVOKED = "revoked", _("Role taken away")

    email = models.EmailField(_("person"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


class LocalMail(models.Model):
    """A delivered email, kept for the local mailbox in development and tests.

    Not funder data: it is what a mail server would have received. Each person
    can read only the mail addressed to them (see ``MailboxView``).
    """

    recipient = models.EmailField(db_index=True)
    sender = models.CharField(max_length=254)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent", "-id"]


def outbox_attachment_path(email, filename):
    return funder_file_path(email.funder, "outbox", filename)


class OutboxEmail(FunderOwned):
    """An email the portal means to send: stored first, then sent by a Celery task.

    ``occasion`` names why it is sent (e.g. ``call-published:42:anna@x.se``) and
    is unique per funder, so the same occasion never produces two emails.
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        DRAFT = "draft", _("Draft: not sent until someone sends it")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed; will retry")
        WITHHELD = "withheld", _("Withheld: will not be sent")

    SENDABLE = (Status.DRAFT, Status.FAILED)  # someone may send these from the outbox
    ON_THE_WAY = (Status.PREPARING, Status.PENDING)  # the outbox page follows these until they are done

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    occasion = models.CharField(_("occasion"), max_length=200)
    batch = models.CharField(_("batch"), max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attachment = models.FileField(_("attachment"), upload_to=outbox_attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["funder", "occasion"], name="one_email_per_occasion")]
        indexes = [
            # the outbox page: a funder's newest emails first, its counts by status and its list of batches
            models.Index(F("funder"), F("created").desc(), F("id").desc(), name="outbox_newest_first"),
            models.Index(fields=["funder", "status"], name="outbox_by_status"),
            models.Index(fields=["funder", "batch"], name="outbox_batches", condition=~Q(batch="")),
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")

    def __str__(self):
        return f"{self.kind} → {self.recipient}"

    @property
    def may_be_sent(self):
        return self.status in self.SENDABLE

    @property
    def being_prepared(self):
        return self.status == self.Status.PREPARING

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_withheld(self):
        return self.status == self.Status.WITHHELD


class Wording(FunderOwned):
    """A funder's own text, in one language, with {placeholders}: an email subject and its text."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("email subject"), max_length=300)
    body = models.TextField(_("text"))
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True


class EmailTemplate(Wording):
    """A funder's own wording of one kind of email (see ``fundportal.emails.KINDS``) in one language."""

    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "kind", "language"], name="one_email_wording_per_language")]
        verbose_name = _("email wording")
        verbose_name_plural = _("email wordings")


def export_file_path(job, filename):
    return funder_file_path(job.funder, "exports", filename)


class ExportJob(FunderOwned):
    """A table written to a file in the background for the person who asked, who alone may download it until it
    expires (``fundportal.export_jobs``: the kinds, the writing and the clean-up)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    UNDER_WAY = (State.QUEUED, State.RUNNING)  # the job's page follows these until they end

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)  # a registered kind's name, e.g. "review.ranking"
    title = models.CharField(_("export"), max_length=300)  # what it is, as the person who asked read it
    subject = models.CharField(max_length=100, blank=True)  # what the kind exports, e.g. a call's slug
    query = models.TextField(blank=True)  # the filters and order, as the page's query string
    extension = models.CharField(max_length=5)
    language = models.CharField(max_length=8)  # the headings' language: the one the person read when asking
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_file_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["funder", "user", "-created"], name="export_jobs_of_a_person"),
                   models.Index(fields=["expires"], name="export_jobs_by_expiry")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return self.title

    @property
    def under_way(self):
        return self.state in self.UNDER_WAY

    @property
    def is_done(self):
        return self.state == self.State.DONE

    @property
    def has_failed(self):
        return self.state == self.State.FAILED

    @property
    def percent(self):
        """How far the writing has come, 0–100."""
        if self.is_done:
            return 100
        return min(99, 100 * self.rows_done // self.rows_total) if self.rows_total else 0


class IdentityProvider(FunderOwned):
    """A funder's sign-in with a national e-ID (BankID, Freja, ID-porten…) through its broker's OpenID Connect.

    One per funder. The client secret is kept encrypted (``fundportal.identity``: Fernet, keyed from SECRET_KEY) and
    is never shown again; allauth reads this row through ``fundportal.identity.FunderSocialAccountAdapter``, so no
    allauth ``SocialApp`` holds it."""

    display_name = models.CharField(_("name shown on the sign-in button"), max_length=60,
                                    help_text=_("E.g. BankID, Freja or ID-porten."))
    issuer = models.URLField(_("issuer"), max_length=300,
                             help_text=_("The broker's OpenID Connect issuer address, e.g. https://broker.example/."))
    client_id = models.CharField(_("client id"), max_length=200)
    encrypted_secret = models.TextField(editable=False)  # the client secret, Fernet-encrypted: never shown again
    # Where the sign-in form's POST is sent on to (the origin of the broker's authorization endpoint, read from its
    # configuration when saved): the Content-Security-Policy's form-action names it on the pages offering the e-ID.
    authorization_origin = models.CharField(max_length=300, blank=True, editable=False)
    enabled = models.BooleanField(_("offer sign-in with this e-ID"), default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder"], name="one_identity_provider_per_funder")]
        verbose_name = _("e-ID provider")
        verbose_name_plural = _("e-ID providers")

    def __str__(self):
        return self.display_name

    @property
    def provider_id(self):
        """allauth's name for this funder's e-ID (its social accounts carry it)."""
        return f"e-id-{self.funder_id}"


class AuditEventQuerySet(models.QuerySet):
    """Audit events are written once and never changed: a queryset refuses to update or delete them."""

    def update(self, **kwargs):
        raise AuditEvent.Immutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditEvent.Immutable("Audit events cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True

    def newest_first(self):
        return self.order_by("-at", "-id")


class AuditEvent(FunderOwned):
    """One thing that happened, recorded by the action that did it (``fundportal.audit.audit_record``): who, when,
    what, to which object, from which address. Append-only: the model refuses to save a stored row again or delete
    one, its queryset refuses ``update()`` and ``delete()``, and on PostgreSQL a trigger refuses UPDATE and DELETE.

    Every row belongs to one funder's trail. What happens outside a funder — a sign-in, a failed sign-in — is kept
    once for each funder where the person holds a role, so each funder's trail is complete and isolated; when the
    person holds no role anywhere (an applicant, an unknown address), one row without a funder is kept, which only
    the portal's operators read. The funder and the person are kept as keys without a database constraint (and the
    person as the email text too), so removing an account or a funder changes no event: the rows stay as they were,
    and readable."""

    class Immutable(Exception):
        """An audit event was asked to change or go."""

    class Kind(models.TextChoices):
        APPLICATION_MOVED = "application_moved", _("Application moved")
        APPLICATION_EDITED = "application_edited", _("Submitted application edited")
        DECISION_RECORDED = "decision_recorded", _("Decision recorded")
        DECISION_REVISED = "decision_revised", _("Decision revised")
        REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
        IMPARTIALITY_DECLARED = "impartiality_declared", _("Impartiality declared")
        CALL_EDITED = "call_edited", _("Call edited")
        ROLE_GIVEN = "role_given", _("Role given")
        ROLE_TAKEN = "role_taken", _("Role taken away")
        EXPORTED = "exported", _("Exported")
        EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
        APPLICATION_DOWNLOADED = "application_downloaded", _("Application downloaded as PDF")
        FILE_DOWNLOADED = "file_downloaded", _("File downloaded")
        CONFIDENTIAL_VIEWED = "confidential_viewed", _("Confidential part viewed")
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")

    funder = models.ForeignKey(Funder, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                               related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                              related_name="+")
    actor_email = models.CharField(_("who"), max_length=254, blank=True)
    kind = models.CharField(_("what"), max_length=40, choices=Kind.choices)
    object_type = models.CharField(max_length=60, blank=True)  # the model's label, e.g. "applications.application"
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)  # e.g. the case number
    application_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = scoped_manager(AuditEventQuerySet)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # the trail pages' filters: newest first, per application, per person, per kind
            models.Index(F("funder"), F("at").desc(), F("id").desc(), name="audit_newest_first"),
            models.Index(fields=["funder", "application_id", "at"], name="audit_by_application"),
            models.Index(fields=["funder", "actor_email", "at"], name="audit_by_person"),
            models.Index(fields=["funder", "kind", "at"], name="audit_by_kind"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.Immutable("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.Immutable("Audit events cannot be deleted.")
