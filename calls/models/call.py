"""Funds, their calls for applications, and the periods a call is open."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fundportal.models import Funder
from fundportal.tenancy import FunderOwned
from fundportal.translated import translated


class Fund(FunderOwned):
    """A funder's programme, e.g. Innovationsfonden or StimuLab."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code in case numbers"), max_length=10, default="", blank=True,
                            help_text=_("E.g. IF gives case numbers like RS-IF-2024-0042."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self):
        return self.name


class ApplicationType(models.TextChoices):
    NEW = "new", _("New application")
    CONTINUATION = "continuation", _("Continuation application")
    IMPLEMENTATION = "implementation", _("Implementation application")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    RESEARCH_FELLOWS = "research_fellows", _("Research fellows")
    DIRECT_COSTS = "direct_costs", _("Direct project costs")
    EQUIPMENT = "equipment", _("Equipment")
    EXTERNAL_SERVICES = "external_services", _("External services")
    TRAVEL = "travel", _("Travel")
    OVERHEADS = "overheads", _("Overheads")


class Call(FunderOwned):
    """A call for applications in a fund: its texts, money, periods, form and assessment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published, not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls", verbose_name=_("fund"))
    slug = models.SlugField(_("address name"), max_length=80)
    title = models.JSONField(_("title"), default=dict)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    description = models.JSONField(_("full description"), default=dict, blank=True)
    who_may_apply = models.JSONField(_("who may apply"), default=dict, blank=True)
    what_is_funded = models.JSONField(_("what is funded"), default=dict, blank=True)
    contact = models.JSONField(_("contact"), default=dict, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=0)
    currency = models.CharField(_("currency"), max_length=3, choices=Funder.Currency.choices)
    application_types = models.JSONField(_("application types"), default=list)
    themes = models.JSONField(_("theme areas"), default=list, blank=True)
    eligible_cost_categories = models.JSONField(_("eligible cost categories"), default=list, blank=True)
    requires_manager_approval = models.BooleanField(_("the applicant's manager must approve"), default=False)
    score_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    score_max = models.PositiveSmallIntegerField(_("highest score"), default=7)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind applicants with drafts this many days before the deadline"), default=7)
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    reviews_visible_after_own = models.BooleanField(
        _("reviewers see the other reviews once they have submitted their own"), default=True)
    anonymous_to_panel = models.BooleanField(_("hide the applicant's identity from the panel"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    announced_at = models.DateTimeField(_("subscribers told"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["funder", "slug"], name="call_slug_unique_per_funder")]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return translated(self.title, self.funder.default_language)

    def text(self, field):
        return translated(getattr(self, field), self.funder.default_language)

    def status_at(self, now, periods):
        """The call's status at ``now``, derived from publication and its periods' dates."""
        if self.archived_at:
            return self.Status.ARCHIVED
        if not self.published_at:
            return self.Status.DRAFT
        if any(period.opens_at <= now < period.closes_at for period in periods):
            return self.Status.OPEN
        if any(now < period.opens_at for period in periods):
            return self.Status.PUBLISHED
        return self.Status.CLOSED

    def get_current_status_display(self):
        return self.Status(self.current_status).label

    @property
    def application_type_labels(self):
        return [ApplicationType(value).label for value in self.application_types]

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def status(self):
        return self.status_at(timezone.now(), list(self.periods.all()))


class Period(FunderOwned):
    """A stretch of time the call takes applications, e.g. 20 Sep – 23 Oct 2023."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="periods", verbose_name=_("call"))
    name = models.JSONField(_("name"), default=dict, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    decision_by = models.DateField(_("decision announced by (date)"), null=True, blank=True)
    decision_week = models.PositiveSmallIntegerField(_("decision announced by (week)"), null=True, blank=True)

    class Meta:
        ordering = ["opens_at"]
        verbose_name = _("application period")
        verbose_name_plural = _("application periods")

    def __str__(self):
        return translated(self.name) or f"{self.opens_at:%Y-%m-%d} – {self.closes_at:%Y-%m-%d}"

    def is_open(self, now):
        return self.opens_at <= now < self.closes_at


class CallChange(FunderOwned):
    """An edit to a published call: who changed which fields, when."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(_("what changed"), max_length=500)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
