"""Fund administrators keep their funder's public face: name, website, description, colour, logo, language, time
zone. The address name (in every link) is the operator's to change."""

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
from fundportal.services import funder_settings_save
from fundportal.views.base import PortalPermissionMixin


class FunderSettingsForm(forms.ModelForm):
    default_language = forms.ChoiceField(label=gettext_lazy("default language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=gettext_lazy("time zone"),
                                  choices=[(zone, zone) for zone in sorted(available_timezones())])
    website = forms.URLField(label=gettext_lazy("website"), required=False, assume_scheme="https")
    logo = forms.FileField(label=gettext_lazy("New logo (PNG or JPEG, at most 1 MB)"), required=False)

    class Meta:
        model = Funder
        fields = ["name", "short_name", "website", "description", "primary_colour", "default_language", "time_zone",
                  "staff_two_factor_required", "staff_idle_timeout_minutes"]
        widgets = {"primary_colour": ColourInput(),
                   "description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        """Saved through funder_settings_save."""


class FunderSettingsView(PortalPermissionMixin, FormView):
    permission_required = "fundportal.manage_funder"
    template_name = "fundportal/funder_settings.html"
    form_class = FunderSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.funder}

    def form_valid(self, form):
        try:
            funder_settings_save(funder=self.request.funder, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The funder's settings are saved."))
        return HttpResponseRedirect(self.request.path)
