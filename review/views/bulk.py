"""Deciding many applications at once by the funding line: grant those above it, or decline those below it — at once
when few, else in the background with a page that shows how far it has come (``review.bulk_jobs``)."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin, add_service_errors
from review.bulk_jobs import (
    bulk_decision_job_start, bulk_decision_job_under_way, bulk_decision_jobs_of, bulk_decisions_record_at_once,
    in_the_background,
)
from review.decisions import by_the_funding_line
from review.forms import BulkDecisionForm
from review.models import Decision
from review.selectors import RankingFilter
from review.views.ranking import RankingMixin

MOST_LISTED = 100  # applications the confirmation lists, and refusals named one by one; the rest are counted


def ranking_url(funder, call, query):
    """The ranking as the administrator left it (``query``: its period, search, filters, order and page)."""
    return reverse("review:ranking", args=[funder.slug, call.slug]) + (f"?{query}" if query else "")


class BulkDecisionView(RankingMixin, ManageCallMixin, TemplateView):
    """GET: the applications the decision would take — those the ranking shows (its period, search and filters) on
    the outcome's side of the funding line and not decided yet — how many they are and what they add up to, the
    first ``MOST_LISTED`` of them listed, and a button to confirm them all.
    POST: the decision for the applications confirmed (the list the page showed, posted back), each recorded as a
    single decision: a few at once, back on the ranking with what was recorded and, per application refused, why;
    more by a worker, on the job's page."""

    permission_required = "review.decide"
    template_name = "review/bulk_decision.html"
    tab = "ranking"
    outcome = None  # Decision.Outcome.GRANTED (above the line) or DECLINED (below it), set by the URL configuration

    def get_context_data(self, form=None, **kwargs):
        beside = by_the_funding_line(self.ranking, self.outcome, self.chosen[0])
        undecided = [application for application in beside if not hasattr(application, "decision")]
        initial = {"applications": ",".join(str(application.pk) for application in undecided)}
        return super().get_context_data(
            granting=self.outcome == Decision.Outcome.GRANTED, applications=undecided[:MOST_LISTED],
            count=len(undecided), unlisted=max(0, len(undecided) - MOST_LISTED),
            in_background=in_the_background(len(undecided)),
            already_decided=len(beside) - len(undecided), filtered=self.chosen[0] != RankingFilter(),
            total=sum(application.amount_requested or 0 for application in undecided),
            under_way=bulk_decision_job_under_way(self.call),
            form=form or BulkDecisionForm(initial=initial), ranking_url=self.ranking_url(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = BulkDecisionForm(request.POST)
        if form.is_valid():
            try:
                return self.decide(form.cleaned_data["applications"], form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
        return self.render_to_response(self.get_context_data(form=form))

    def decide(self, application_ids, reason):
        """A few at once, back to the ranking with the message; more by a worker, on the job's page."""
        confirmed = {"call": self.call, "by": self.request.user, "outcome": self.outcome, "filter": self.chosen[0],
                     "reason": reason, "application_ids": application_ids}
        if in_the_background(len(application_ids)):
            job = bulk_decision_job_start(**confirmed, query=self.request.GET.urlencode())
            return HttpResponseRedirect(reverse("review:bulk_decision_job",
                                                args=[self.request.funder.slug, self.call.slug, job.pk]))
        self.tell(bulk_decisions_record_at_once(**confirmed))
        return HttpResponseRedirect(self.ranking_url())

    def ranking_url(self):
        return ranking_url(self.request.funder, self.call, self.request.GET.urlencode())

    def tell(self, done):
        """One message: how many were decided and, when some were refused, which and why (a warning when none was
        decided)."""
        recorded, refused = len(done.recorded), len(done.refused)
        if not refused:
            text = (_("Granted %(recorded)d. The decisions stay internal until they are released.")
                    if self.outcome == Decision.Outcome.GRANTED else
                    _("Declined %(recorded)d. The decisions stay internal until they are released.")) % {
                "recorded": recorded}
            messages.success(self.request, text)
            return
        heading = (_("Granted %(recorded)d; %(refused)d refused:") if self.outcome == Decision.Outcome.GRANTED
                   else _("Declined %(recorded)d; %(refused)d refused:")) % {"recorded": recorded, "refused": refused}
        listed = format_html_join("", "<li>{}: {}</li>", done.refused[:MOST_LISTED])
        more = (format_html("<li>{}</li>", _("and %(count)d more.") % {"count": refused - MOST_LISTED})
                if refused > MOST_LISTED else "")
        message = format_html("{}<ul class=\"mb-0\">{}{}</ul>", heading, listed, more)
        (messages.success if recorded else messages.warning)(self.request, message)


class BulkDecisionJobView(ManageCallMixin, TemplateView):
    """A bulk decision's progress, which follows itself (the page polls itself) until it is done; then how many were
    recorded and each application refused with why. For the funder's decision-makers only: to anyone else, even
    staff of the funder, it is not found."""

    permission_required = "review.decide"
    template_name = "review/bulk_decision_job.html"
    tab = "ranking"

    @cached_property
    def job(self):
        return get_object_or_404(bulk_decision_jobs_of(self.call).select_related("by"), pk=self.kwargs["bulk_job_id"])

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        job = self.job
        return super().get_context_data(job=job, refusals=job.refusals.all()[:MOST_LISTED],
                                        unlisted=max(0, job.refused - MOST_LISTED),
                                        ranking_url=ranking_url(self.request.funder, self.call, job.query), **kwargs)
