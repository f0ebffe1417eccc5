"""Administrators reword the funder's emails and letters: one page per kind and language, with a live preview.

``WordingView`` is shared by the email and the decision-letter editors; each
subclass says which placeholders its text may use, what the current wording
is, how a preview reads, and how to store or drop the funder's own wording.
"""

from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from fundportal.emails import (
    KINDS, PLACEHOLDERS, email_preview, email_template_reset, email_template_save, email_test_send, wording)
from fundportal.models import EmailTemplate
from fundportal.views.base import PortalPermissionMixin
from fundportal.wording import validate_placeholders, worded


class WordingForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Email subject"), max_length=300)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, placeholders, body_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholders = placeholders
        if body_label:
            self.fields["body"].label = body_label

    def clean_subject(self):
        validate_placeholders(self.cleaned_data["subject"], self.placeholders)
        return self.cleaned_data["subject"]

    def clean_body(self):
        validate_placeholders(self.cleaned_data["body"], self.placeholders)
        return self.cleaned_data["body"]


class WordingView(PortalPermissionMixin, FormView):
    """Edit one wording; the page shows it as a reader would get it, filled with sample values."""

    template_name = "fundportal/wording_form.html"
    form_class = WordingForm
    body_label = None
    back_url_name = ""
    back_label = ""
    sends_tests = False

    # What each editor tells: its placeholders, current wording, preview, and how to store or drop a wording.
    def placeholders(self):
        raise NotImplementedError

    def current(self):
        """(subject, body, the funder's own stored wording or None)."""
        raise NotImplementedError

    def preview(self, subject, body):
        raise NotImplementedError

    def save(self, subject, body):
        raise NotImplementedError

    def reset(self):
        raise NotImplementedError

    def send_test(self):
        """Send the saved wording to the person editing it (where ``sends_tests``)."""
        raise NotImplementedError

    @cached_property
    def language(self):
        language = self.kwargs["language"]
        if language not in dict(settings.LANGUAGES):
            raise Http404
        return language

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "placeholders": self.placeholders(), "body_label": self.body_label}

    def get_initial(self):
        subject, body, _own = self.current()
        return {"subject": subject, "body": body}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        source = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
        preview = None if form.errors else self.preview(source["subject"], source["body"])
        placeholders = self.placeholders()
        return {**context, "preview": preview, "own": self.current()[2], "can_send_test": self.sends_tests,
                "placeholders": [(name, meaning) for name, meaning in placeholders.items()],
                "language_label": dict(settings.LANGUAGES)[self.language],
                "back_url_name": self.back_url_name, "back_label": self.back_label}

    def post(self, request, *args, **kwargs):
        if "send_test" in request.POST and self.sends_tests:
            self.send_test()
            messages.success(request, _("A test email with sample values is on its way to %(email)s.") % {
                "email": request.user.email})
            return HttpResponseRedirect(request.path)
        if "reset" in request.POST:
            self.reset()
            messages.success(request, _("The standard wording is used again."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data["subject"], form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The wording is saved."))
        return HttpResponseRedirect(self.request.path)


def wording_rows(keys_and_labels, own):
    """Table rows: each kind with, per language, whether the funder has its own wording."""
    return [(key, label, [(code, name, (key, code) in own) for code, name in settings.LANGUAGES])
            for key, label in keys_and_labels]


class EmailTemplatesView(PortalPermissionMixin, TemplateView):
    permission_required = "fundportal.manage_emails"
    template_name = "fundportal/email_templates.html"

    def get_context_data(self, **kwargs):
        own = worded(EmailTemplate, "kind")
        return super().get_context_data(rows=wording_rows([(kind, spec.label) for kind, spec in KINDS.items()], own),
                                        **kwargs)


class EmailTemplateView(WordingView):
    permission_required = "fundportal.manage_emails"
    back_url_name = "email_templates"
    back_label = gettext_lazy("Emails")
    sends_tests = True

    @cached_property
    def kind(self):
        if self.kwargs["kind"] not in KINDS:
            raise Http404
        return self.kwargs["kind"]

    def placeholders(self):
        return {name: PLACEHOLDERS[name] for name in KINDS[self.kind].placeholders}

    def current(self):
        return wording(kind=self.kind, language=self.language)

    def preview(self, subject, body):
        return email_preview(funder=self.request.funder, kind=self.kind, language=self.language, subject=subject,
                             body=body)

    def save(self, subject, body):
        email_template_save(funder=self.request.funder, kind=self.kind, language=self.language, subject=subject,
                            body=body, by=self.request.user)

    def reset(self):
        email_template_reset(funder=self.request.funder, kind=self.kind, language=self.language)

    def send_test(self):
        email_test_send(funder=self.request.funder, kind=self.kind, language=self.language,
                        recipient=self.request.user.email)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=KINDS[self.kind].label, **kwargs)
