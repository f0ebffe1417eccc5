"""Funds and their calls for applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fundportal.tenancy import FunderOwned


class Fund(FunderOwned):
    """A funder's programme, e.g. Innovationsfonden or StimuLab."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self):
        return self.name


class Call(FunderOwned):
    """A call for applications in a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls", verbose_name=_("fund"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self):
        return self.title
