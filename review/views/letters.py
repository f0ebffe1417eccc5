"""Administrators word the decision letters per outcome and language, with placeholders and a preview."""

from functools import cached_property

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from fundportal.views.base import PortalPermissionMixin
from review.letters import DEFAULT_BODY, DEFAULT_SUBJECT, PLACEHOLDERS, SAMPLE, letter_template_save, validate_placeholders
from review.models import Decision, LetterTemplate


class LetterTemplatesView(PortalPermissionMixin, TemplateView):
    permission_required = "review.manage_panel"
    template_name = "review/letters.html"

    def get_context_data(self, **kwargs):
        own = {(t.outcome, t.language) for t in LetterTemplate.objects.all()}
        rows = [(outcome, label, [(code, name, (outcome, code) in own) for code, name in settings.LANGUAGES])
                for outcome, label in Decision.Outcome.choices]
        return super().get_context_data(rows=rows, **kwargs)


class LetterForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Email subject"), max_length=300)
    body = forms.CharField(label=gettext_lazy("Letter text"), widget=forms.Textarea(attrs={"rows": 12}))

    def clean_subject(self):
        validate_placeholders(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        validate_placeholders(self.cleaned_data["body"])
        return self.cleaned_data["body"]


class LetterTemplateView(PortalPermissionMixin, FormView):
    """Edit one wording; the page shows it filled with sample values."""

    permission_required = "review.manage_panel"
    template_name = "review/letter_form.html"
    form_class = LetterForm

    @cached_property
    def key(self):
        outcome, language = self.kwargs["outcome"], self.kwargs["language"]
        if outcome not in Decision.Outcome.values or language not in dict(settings.LANGUAGES):
            raise Http404
        return outcome, language

    def get_initial(self):
        outcome, language = self.key
        template = LetterTemplate.objects.filter(outcome=outcome, language=language).first()
        if template:
            return {"subject": template.subject, "body": template.body}
        from django.utils import translation

        with translation.override(language):
            return {"subject": str(DEFAULT_SUBJECT), "body": str(DEFAULT_BODY[outcome])}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        source = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
        preview = None
        if not form.errors:
            preview = (source["subject"].format_map(SAMPLE), source["body"].format_map(SAMPLE))
        outcome, language = self.key
        return {**context, "preview": preview, "placeholders": PLACEHOLDERS.items(),
                "outcome_label": Decision.Outcome(outcome).label, "language_label": dict(settings.LANGUAGES)[language]}

    def form_valid(self, form):
        outcome, language = self.key
        try:
            letter_template_save(funder=self.request.funder, outcome=outcome, language=language,
                                 subject=form.cleaned_data["subject"], body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The letter text is saved."))
        return HttpResponseRedirect(self.request.path)
