"""Deciding many applications at once by the funding line: grant those above it, or decline those below it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin, add_service_errors
from review.decisions import by_the_funding_line, decisions_record_in_bulk
from review.forms import BulkDecisionForm
from review.models import Decision
from review.selectors import RankingFilter
from review.views.ranking import RankingMixin

MOST_LISTED = 100  # refusals named one by one in the message; the rest are counted
AT_ONCE = 200  # decisions confirmed and recorded in one request (each takes a few queries): more come in turns


class BulkDecisionView(RankingMixin, ManageCallMixin, TemplateView):
    """GET: the applications the decision would take — those the ranking shows (its period, search and filters) on
    the outcome's side of the funding line and not decided yet — with what they add up to, and a button to confirm.
    POST: the decision for the applications confirmed (the list the page showed, posted back), each recorded as a
    single decision; back on the ranking, what was recorded and, per application refused, why.

    A page lists at most ``AT_ONCE`` applications, the first in the ranking's order, so that one request stays well
    within the server's time limit whatever the size of the call; while more are left, the POST comes back to this
    page for the next ones."""

    permission_required = "review.decide"
    template_name = "review/bulk_decision.html"
    tab = "ranking"
    outcome = None  # Decision.Outcome.GRANTED (above the line) or DECLINED (below it), set by the URL configuration

    def get_context_data(self, form=None, **kwargs):
        beside = by_the_funding_line(self.ranking, self.outcome, self.chosen[0])
        undecided = [application for application in beside if not hasattr(application, "decision")]
        now = undecided[:AT_ONCE]
        initial = {"applications": ",".join(str(application.pk) for application in now)}
        return super().get_context_data(
            granting=self.outcome == Decision.Outcome.GRANTED, applications=now, later=len(undecided) - len(now),
            already_decided=len(beside) - len(undecided), filtered=self.chosen[0] != RankingFilter(),
            total=sum(application.amount_requested or 0 for application in now),
            form=form or BulkDecisionForm(initial=initial), ranking_url=self.ranking_url(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = BulkDecisionForm(request.POST)
        if form.is_valid():
            try:
                done = decisions_record_in_bulk(call=self.call, by=request.user, outcome=self.outcome,
                                                filter=self.chosen[0], reason=form.cleaned_data["reason"],
                                                application_ids=form.cleaned_data["applications"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.tell(done)
                return HttpResponseRedirect(self.next_url())
        return self.render_to_response(self.get_context_data(form=form))

    def next_url(self):
        """This page again while applications on this side of the line are left to decide, else the ranking."""
        left = [application for application in by_the_funding_line(self.ranking, self.outcome, self.chosen[0])
                if not hasattr(application, "decision")]
        return self.request.get_full_path() if left else self.ranking_url()

    def ranking_url(self):
        """The ranking as the administrator left it (period, search, filters, order and page)."""
        query = self.request.GET.urlencode()
        return reverse("review:ranking", args=[self.request.funder.slug, self.call.slug]) + (f"?{query}" if query else "")

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
