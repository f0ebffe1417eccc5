"""Deciding an application, previewing its letter, and releasing a call's decisions."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin, add_service_errors
from fundportal.exports import pdf_response
from fundportal.security import RecentAuthenticationRequired
from review.decisions import consensus_record, decision_record, decisions_release
from review.forms import ConsensusForm, DecisionForm, chosen_period
from review.letters import letter
from review.selectors import application_past_screening, decision_history, review_summary


class DecisionView(ManageCallMixin, TemplateView):
    """Record or revise the decision on one application, with the panel's consensus; its history below."""

    permission_required = "review.decide"
    template_name = "review/decision.html"
    tab = "ranking"

    @cached_property
    def application(self):
        return application_past_screening(self.call, self.kwargs["application_id"])

    def get_context_data(self, form=None, consensus_form=None, **kwargs):
        decision = getattr(self.application, "decision", None)
        changes = decision_history(decision)
        consensus = getattr(self.application, "consensus", None)
        return super().get_context_data(
            application=self.application, decision=decision, changes=changes, reviews=review_summary(self.application),
            form=form or DecisionForm(instance=decision, prefix="decision"),
            consensus_form=consensus_form or ConsensusForm(instance=consensus, prefix="consensus"), **kwargs)

    def post(self, request, *args, **kwargs):
        if "consensus" in request.POST:
            consensus_form = ConsensusForm(request.POST, prefix="consensus")
            if consensus_form.is_valid():
                try:
                    consensus_record(application=self.application, by=request.user, **consensus_form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(consensus_form, error)
                else:
                    messages.success(request, _("The panel's consensus is recorded. Record the decision below."))
                    return HttpResponseRedirect(request.path)  # the decision is taken right below
            return self.render_to_response(self.get_context_data(consensus_form=consensus_form))
        form = DecisionForm(request.POST, instance=getattr(self.application, "decision", None), prefix="decision")
        if form.is_valid():
            try:
                decision_record(application=self.application, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The decision is recorded. It stays internal until it is released."))
                return HttpResponseRedirect(reverse("review:ranking", args=[request.funder.slug, self.call.slug]))
        return self.render_to_response(self.get_context_data(form=form))


class DecisionLetterPreviewView(DecisionView):
    """The letter as the applicant will get it, from the recorded decision, before anything is released."""

    def get(self, request, *args, **kwargs):
        decision = getattr(self.application, "decision", None)
        if decision is None:
            raise Http404
        language = self.application.applicant.language or request.funder.default_language
        _subject, _body, pdf = letter(decision, language)
        return pdf_response(pdf, f"{self.application.case_number or decision.pk}-preview.pdf")


class ReleaseDecisionsView(ManageCallMixin, RecentAuthenticationRequired, View):
    permission_required = "review.decide"
    http_method_names = ["post"]

    def post(self, request, funder_slug, call_slug):
        period = chosen_period(self.call, request.POST.get("period", ""))
        count = decisions_release(call=self.call, by=request.user, period=period)
        if not request.user.has_perm("fundportal.manage_outbox", request.funder):  # the steering group
            messages.success(request, ngettext(
                "%(count)d decision is released. Its letter is being written; the administrators check and send it.",
                "%(count)d decisions are released. Their letters are being written; the administrators check and send them.",
                count) % {"count": count})
            return HttpResponseRedirect(reverse("review:ranking", args=[funder_slug, self.call.slug]))
        messages.success(request, ngettext(
            "%(count)d decision is released. Its letter is being written and waits here as a draft to check and send.",
            "%(count)d decisions are released. Their letters are being written and wait here as drafts to check and send.",
            count) % {"count": count})
        return HttpResponseRedirect(reverse("outbox", args=[funder_slug]) + f"?batch=decisions:{self.call.pk}")
