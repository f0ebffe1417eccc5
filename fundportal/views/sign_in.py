"""Sign-in with the funder's e-ID: its administrators set the broker up, and people sign in through it under the
funder's own address (``fundportal.identity`` holds the rules)."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

from fundportal.identity import (
    EIdRefused, FunderEIdOAuth2Adapter, callback_url, identity_provider_of, identity_provider_save,
)
from fundportal.views.base import PUBLIC, PortalPermissionMixin


class SignInSettingsForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name on the sign-in button"), max_length=60,
                                   help_text=gettext_lazy("E.g. BankID, Freja or ID-porten: people read “Sign in "
                                                          "with BankID”."))
    issuer = forms.CharField(label=gettext_lazy("Issuer"), max_length=300,
                             help_text=gettext_lazy("The broker's OpenID Connect issuer address, e.g. "
                                                    "https://broker.example/. Its configuration is fetched and "
                                                    "checked when you save."))
    client_id = forms.CharField(label=gettext_lazy("Client id"), max_length=200)
    client_secret = forms.CharField(label=gettext_lazy("Client secret"), max_length=500, required=False,
                                    strip=False, widget=forms.PasswordInput(render_value=False,
                                                                            attrs={"autocomplete": "off"}))
    enabled = forms.BooleanField(label=gettext_lazy("Offer sign-in with this e-ID on the funder's pages"),
                                 required=False)

    def __init__(self, *args, secret_saved=False, **kwargs):
        super().__init__(*args, **kwargs)
        secret = self.fields["client_secret"]
        if secret_saved:  # the secret is write-only: only whether there is one is ever shown
            secret.widget.attrs["placeholder"] = _("saved — leave empty to keep")
            secret.help_text = _("A secret is saved. Type a new one only to replace it.")
        else:
            secret.help_text = _("Given by the broker with the client id.")


class SignInSettingsView(PortalPermissionMixin, FormView):
    """The funder's e-ID broker: its name, issuer, client id and secret, on or off, and the address to register."""

    permission_required = "fundportal.manage_sign_in"
    template_name = "fundportal/sign_in_settings.html"
    form_class = SignInSettingsForm

    @cached_property
    def identity(self):
        return identity_provider_of(self.request.funder)

    def get_initial(self):
        identity = self.identity
        if identity is None:
            return {}
        return {"display_name": identity.display_name, "issuer": identity.issuer, "client_id": identity.client_id,
                "enabled": identity.enabled}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "secret_saved": bool(self.identity and self.identity.encrypted_secret)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "identity": self.identity,
                "callback_url": callback_url(self.request, self.request.funder)}

    def form_valid(self, form):
        try:
            identity_provider_save(funder=self.request.funder, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The e-ID sign-in is saved."))
        return HttpResponseRedirect(self.request.path)


class EIdView(View):
    """A step of the funder's e-ID sign-in, run by allauth: only where the funder has its e-ID turned on."""

    permission_required = PUBLIC

    def adapter(self):
        identity = identity_provider_of(self.request.funder)
        if identity is None or not identity.enabled:
            raise Http404
        return FunderEIdOAuth2Adapter(self.request, identity.provider_id)


class EIdLoginView(EIdView):
    """Start: a GET asks to confirm (allauth's page), the POST of the sign-in button sends the person to the broker."""

    def get(self, request, funder_slug):
        return OAuth2LoginView.adapter_view(self.adapter())(request)

    post = get


class NonceCheckingCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the sign-in's one-time state (its nonce) to the adapter that checks the ID token,
    and refusing with a message when the broker cannot be reached (allauth would answer 500 there)."""

    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.expected_nonce = (state or {}).get("nonce")
        if response is None:
            try:
                self.adapter.openid_config
            except EIdRefused as refusal:
                return state, render_authentication_error(request, provider, exception=refusal)
        return state, response


class EIdCallbackView(EIdView):
    """Where the broker sends the person back with a code: it is exchanged, the ID token checked, the person signed in."""

    def get(self, request, funder_slug):
        return NonceCheckingCallbackView.adapter_view(self.adapter())(request)


class NotHereView(View):
    """allauth's own OpenID Connect addresses (/accounts/oidc/…): every funder's e-ID lives under the funder's
    address instead, so these find nothing."""

    permission_required = PUBLIC

    def dispatch(self, request, *args, **kwargs):
        raise Http404
