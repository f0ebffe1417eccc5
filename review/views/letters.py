"""Administrators word the decision letters per outcome and language, with placeholders and a preview."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from fundportal.exports import pdf_response
from fundportal.models import Funder
from fundportal.services import funder_letter_settings_save
from fundportal.views.base import PortalPermissionMixin
from fundportal.views.wording import WordingView, wording_rows
from fundportal.wording import fill, worded
from review.letters import (
    PLACEHOLDERS, SAMPLE, letter_template_reset, letter_template_save, sample_letter_pdf, wording)
from review.models import Decision, LetterTemplate


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = Funder
        fields = ["letter_justification", "letter_signature", "letter_distribution"]
        widgets = {"letter_justification": forms.RadioSelect, "letter_signature": forms.Textarea(attrs={"rows": 3}),
                   "letter_distribution": forms.Textarea(attrs={"rows": 3})}


class LetterTemplatesView(PortalPermissionMixin, FormView):
    """The wordings per outcome and language, and the funder's letter settings."""

    permission_required = "review.manage_panel"
    template_name = "review/letters.html"
    form_class = LetterSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.funder}

    def get_context_data(self, **kwargs):
        own = worded(LetterTemplate, "outcome")
        return super().get_context_data(rows=wording_rows(Decision.Outcome.choices, own), **kwargs)

    def form_valid(self, form):
        funder_letter_settings_save(funder=self.request.funder, **{
            name.removeprefix("letter_"): form.cleaned_data[name] for name in form.Meta.fields})
        messages.success(self.request, _("The letter settings are saved."))
        return HttpResponseRedirect(self.request.path)


class LetterTemplateView(WordingView):
    permission_required = "review.manage_panel"
    body_label = gettext_lazy("Letter text")
    back_url_name = "review:letters"
    back_label = gettext_lazy("Decision letters")

    @cached_property
    def outcome(self):
        if self.kwargs["outcome"] not in Decision.Outcome.values:
            raise Http404
        return self.kwargs["outcome"]

    def placeholders(self):
        return PLACEHOLDERS

    def current(self):
        return wording(outcome=self.outcome, language=self.language)

    def preview(self, subject, body):
        with translation.override(self.language):
            return fill(subject, SAMPLE), fill(body, SAMPLE)

    def save(self, subject, body):
        letter_template_save(funder=self.request.funder, outcome=self.outcome, language=self.language,
                             subject=subject, body=body, by=self.request.user)

    def reset(self):
        letter_template_reset(funder=self.request.funder, outcome=self.outcome, language=self.language)

    def get_context_data(self, **kwargs):
        pdf = reverse("review:letter_pdf", args=[self.request.funder.slug, self.outcome, self.language])
        return super().get_context_data(title=Decision.Outcome(self.outcome).label, pdf_preview_url=pdf, **kwargs)


class LetterSamplePdfView(LetterTemplateView):
    """The saved (or standard) wording on the funder's letterhead, filled with sample values, as a PDF."""

    def get(self, request, *args, **kwargs):
        _subject, body, _own = self.current()
        pdf = sample_letter_pdf(funder=request.funder, outcome=self.outcome, language=self.language, body=body)
        return pdf_response(pdf, f"letter-{self.outcome}-{self.language}.pdf")
