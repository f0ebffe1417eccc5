"""Operators onboard a funder: its name, address, language, currency, time zone and colour, and its first
fund administrator, who is emailed a link to start. Everything else the funder's administrators do themselves."""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from fundportal.forms import ColourInput
from fundportal.models import Funder
from fundportal.selectors import funders_with_administrators
from fundportal.services import funder_onboard
from fundportal.views.base import PortalPermissionMixin


class OnboardForm(forms.ModelForm):
    default_language = forms.ChoiceField(label=gettext_lazy("default language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=gettext_lazy("time zone"), initial="Europe/Stockholm",
                                  choices=[(zone, zone) for zone in sorted(available_timezones())])
    administrator_email = forms.EmailField(label=gettext_lazy("The first fund administrator's email address"))

    class Meta:
        model = Funder
        fields = ["name", "slug", "short_name", "default_language", "currency", "time_zone", "primary_colour"]
        widgets = {"primary_colour": ColourInput()}


class OperatorView(PortalPermissionMixin, FormView):
    permission_required = "fundportal.operate"
    template_name = "fundportal/operator.html"
    form_class = OnboardForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(funders=funders_with_administrators(), **kwargs)

    def form_valid(self, form):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "administrator_email"}
        try:
            funder = funder_onboard(administrator_email=form.cleaned_data["administrator_email"], by=self.request.user,
                                    **fields)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is on board; %(email)s has been emailed a link to start.") % {
            "name": funder.name, "email": form.cleaned_data["administrator_email"]})
        return HttpResponseRedirect(self.request.path)
