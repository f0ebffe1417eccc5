"""The panel: assigning reviewers, the reviewer's own work, and the ranking."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from applications.lifecycle import State
from applications.pdf import answered_sections
from applications.selectors import application_with_form
from calls.selectors import themes_in_use
from calls.views.manage import ManageCallMixin, add_service_errors
from fundportal.models import Membership
from fundportal.services import membership_set_expertise
from fundportal.exports import csv_response, pdf_response, xlsx_response
from fundportal.selectors import panel_people
from fundportal.translated import translated
from fundportal.views.base import PortalPermissionMixin
from review.decisions import consensus_record, decision_record, decisions_release, granted_sum, unreleased_decisions
from review.forms import (
    AssignForm, AutoAssignForm, ConsensusForm, DecisionForm, DeclarationForm, RankingFilterForm, ReviewForm,
)
from review.anonymity import for_the_panel, who_applied
from review.letters import letter
from review.selectors import (
    DISAGREEMENT, RANKING_PAGE_SIZE, Ranking, RankingFilter, application_past_screening, applications_with_reviewers,
    assignment_of, call_progress, decision_history, drafts_past_their_deadline, other_reviews, review_summary,
    reviewer_assignments,
)
from review.services import assignment_create, assignment_declare, assignments_auto, review_save


class AssignmentsView(ManageCallMixin, TemplateView):
    """Applications at a panel stage with their reviewers; assign by hand or automatically."""

    permission_required = "review.manage_panel"
    template_name = "review/assignments.html"
    tab = "assignments"

    def applications(self):
        return applications_with_reviewers(self.call)

    def reviewers(self):
        return panel_people()

    def get_context_data(self, assign_form=None, auto_form=None, **kwargs):
        return super().get_context_data(
            applications=self.applications(),
            assign_form=assign_form or AssignForm(applications=self.applications(), reviewers=self.reviewers()),
            auto_form=auto_form or AutoAssignForm(initial={"per_application": self.call.reviewers_per_application}),
            **kwargs)

    def post(self, request, *args, **kwargs):
        if "auto" in request.POST:
            form = AutoAssignForm(request.POST)
            if form.is_valid():
                made = assignments_auto(applications=list(self.applications()), by=request.user,
                                        per_application=form.cleaned_data["per_application"], due=form.cleaned_data["due"])
                messages.success(request, ngettext("%(count)d assignment made.", "%(count)d assignments made.", made) % {"count": made})
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(auto_form=form))
        form = AssignForm(request.POST, applications=self.applications(), reviewers=self.reviewers())
        if form.is_valid():
            try:
                assignment_create(application=form.cleaned_data["application"], reviewer=form.cleaned_data["reviewer"],
                                  due=form.cleaned_data["due"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The reviewer is assigned."))
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(assign_form=form))


class ReviewerDashboardView(PortalPermissionMixin, TemplateView):
    """A reviewer's working day: what to do (soonest first), what is late, what is done."""

    permission_required = "review.view_reviews_dashboard"
    template_name = "review/dashboard.html"

    def get_context_data(self, **kwargs):
        todo, done = reviewer_assignments(self.request.user)
        return super().get_context_data(todo=todo, done=done, today=timezone.localdate(), **kwargs)


class ReviewView(PortalPermissionMixin, TemplateView):
    """First the impartiality declaration; then the application and the review form."""

    permission_required = "review.read_review"  # writing needs "review.review": the stage still open
    template_name = "review/review.html"

    @cached_property
    def assignment(self):
        return assignment_of(self.request.user, self.kwargs["assignment_id"])

    def get_permission_object(self):
        return self.assignment

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, form=None, declaration=None, **kwargs):
        assignment = self.assignment
        call = assignment.application.call
        context = {"assignment": assignment, "call": call,
                   "may_write": self.request.user.has_perm("review.review", assignment)}
        if assignment.has_conflict is None:
            context["declaration"] = declaration or DeclarationForm()
            context["who"] = None if call.anonymous_to_panel else who_applied(assignment.application)
        else:
            application = application_with_form(assignment.application_id)
            review = getattr(assignment, "review", None)
            context.update(
                application=application, review=review,
                sections=for_the_panel(call, answered_sections(application, application.answers)),
                form=form or ReviewForm(call=application.call, review=review),
                others=self.other_reviews(review))
        return super().get_context_data(**context, **kwargs)

    def other_reviews(self, review):
        call = self.assignment.application.call
        if not (review and review.submitted_at and call.reviews_visible_after_own):
            return None
        return other_reviews(self.assignment.application, review)

    def post(self, request, funder_slug, assignment_id):
        assignment = self.assignment
        if not request.user.has_perm("review.review", assignment):
            raise Http404
        if assignment.has_conflict is None:
            declaration = DeclarationForm(request.POST)
            if declaration.is_valid():
                try:
                    assignment_declare(assignment=assignment, has_conflict=declaration.cleaned_data["has_conflict"],
                                       note=declaration.cleaned_data["note"])
                except ValidationError as error:
                    declaration.add_error("note", error)
                else:
                    if assignment.has_conflict:
                        messages.success(request, _("Thank you. The application is no longer assigned to you."))
                        return HttpResponseRedirect(reverse("review:dashboard", args=[funder_slug]))
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(declaration=declaration))
        form = ReviewForm(request.POST, call=assignment.application.call, review=getattr(assignment, "review", None))
        if form.is_valid():
            try:
                review_save(assignment=assignment, scores=form.scores(), recommendation=form.cleaned_data["recommendation"],
                            comment=form.cleaned_data["comment"], submit="submit" in request.POST)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your review is submitted.") if "submit" in request.POST
                                 else _("Your draft review is saved."))
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


def chosen_period(call, value):
    """The call's period named by ``value`` (a period id from a query or a form); None for the whole call.

    Anything that is not one of the call's periods (``abc``, ``1.5``, a huge number, another call's period) is
    refused with 404.
    """
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return get_object_or_404(call.periods, pk=int(value))


class RankingMixin:
    """The call's ranking, and which of its applications to show: a period (``?period=<id>``; anything else is a
    404), a search, filters and an order from the query string (a value the form does not know counts as unset)."""

    @cached_property
    def period(self):
        return chosen_period(self.call, self.request.GET.get("period", ""))

    @cached_property
    def ranking(self):
        return Ranking(self.call)

    @cached_property
    def filter_form(self):
        return RankingFilterForm.reading(self.request.GET, themes=self.call.themes or [],
                                 sorts=self.ranking.sorts(self.request.funder.default_language))

    @cached_property
    def chosen(self):
        """(the filter, the sort key) asked for."""
        return self.filter_form.chosen(self.period)

    def shown(self):
        return self.ranking.shown(*self.chosen)


class RankingView(RankingMixin, ManageCallMixin, TemplateView):
    """A page of the call's applications by weighted total, with spread, reviews done and the running sum against
    the budget; above it, where the funding line falls in the whole call, and a link to the page that shows it."""

    permission_required = "review.view_ranking"
    template_name = "review/ranking.html"
    tab = "ranking"

    def get_context_data(self, **kwargs):
        shown = self.shown()
        line, whole_count = self.ranking.funding_line()
        total, above_line = self.ranking.counted(self.chosen[0], shown, line, whole_count)
        paginator = Paginator(shown, RANKING_PAGE_SIZE)
        paginator.count = total  # counted above with the line's place, in the same query
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            criteria=self.ranking.criteria, rows=self.ranking.rows(page.object_list), page_obj=page,
            filter_form=self.filter_form, filtered=self.chosen[0] != RankingFilter(),
            query=query.urlencode(), columns=len(self.ranking.criteria) + 9,
            line=line, **(self.line_on_this_list(above_line, query) if line else {}),
            granted=granted_sum(self.call), unreleased=unreleased_decisions(self.call, self.period),
            periods=self.call.periods.all(), period=self.period, disagreement=DISAGREEMENT,
            export_query=f"?{query.urlencode()}" if query else "", **kwargs)

    def line_on_this_list(self, above_line, query):
        """Where the funding line falls among the applications shown, ``above_line`` of them above it:
        ``line_before``, the place in the list (in the ranking's order; None in another) of the first one below it,
        and ``line_url``, the page that shows it."""
        before = above_line + 1
        query = query.copy()
        query.pop("sort", None)  # the line is a place in the ranking's order
        query["page"] = (before - 1) // RANKING_PAGE_SIZE + 1
        return {"line_before": before if self.chosen[1] == "rank" else None,
                "line_url": f"?{query.urlencode()}#funding-line"}


class RankingExportView(RankingMixin, ManageCallMixin, View):
    """The ranking as on screen (same period, filters and order, every page), as CSV, or as an Excel workbook with
    every review on a second sheet."""

    permission_required = "review.view_ranking"

    def table(self):
        criteria = self.ranking.criteria
        rows = self.ranking.rows(self.shown(), with_reviews=True)
        language = self.request.funder.default_language
        header = [_("Rank"), _("Case number"), _("Project"), _("Applicant"),
                  *[translated(c.name, language) for c in criteria],
                  _("Weighted total"), _("Median"), _("Standard deviation"), _("Reviews done"),
                  _("Reviews expected"), _("Amount applied for"), _("Running sum"), _("Decision")]
        body = []
        for row in rows:
            application = row.application
            decision = getattr(application, "decision", None)
            body.append([row.rank, application.case_number, application.title, str(application.applicant),
                         *row.criterion_means, row.total, row.median, row.deviation, row.done, row.expected,
                         application.amount_requested, row.running_sum,
                         decision.get_outcome_display() if decision else ""])
        return [str(cell) for cell in header], body, criteria, rows

    def reviews_sheet(self, criteria, rows):
        language = self.request.funder.default_language
        header = [str(_("Case number")), str(_("Reviewer")), *[translated(c.name, language) for c in criteria],
                  str(_("Recommendation")), str(_("Overall comment"))]
        body = []
        for row in rows:
            for assignment in row.application.assignments.all():
                review = getattr(assignment, "review", None)
                if review is None or not review.submitted_at:
                    continue
                body.append([row.application.case_number, str(assignment.reviewer),
                             *[review.scores.get(str(c.pk), {}).get("score") for c in criteria],
                             review.get_recommendation_display(), review.comment])
        return header, body

    def get(self, request, funder_slug, call_slug, extension):
        if extension not in ("csv", "xlsx"):
            raise Http404
        header, body, criteria, rows = self.table()
        name = f"{call_slug}-ranking.{extension}"
        if extension == "xlsx":
            return xlsx_response(name, [(str(_("Ranking")), header, body),
                                        (str(_("Reviews")), *self.reviews_sheet(criteria, rows))])
        return csv_response(name, header, body)


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


class ReleaseDecisionsView(ManageCallMixin, View):
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


class ProgressView(ManageCallMixin, TemplateView):
    """How many applications are screened, reviewed and decided, and which reviewers are late."""

    permission_required = "review.manage_panel"
    template_name = "review/progress.html"
    tab = "progress"

    def get_context_data(self, **kwargs):
        progress = call_progress(self.call, timezone.localdate())
        states = [(label, progress["by_state"].get(value, 0)) for value, label in State.choices]
        return super().get_context_data(progress=progress, states=states,
                                        late_drafts=drafts_past_their_deadline(self.call, timezone.now()), **kwargs)


class PanelView(PortalPermissionMixin, TemplateView):
    """The funder's panel members and the theme areas each of them knows."""

    permission_required = "review.manage_panel"
    template_name = "review/panel.html"

    def members(self):
        return list(Membership.objects.panel_by_email())

    def themes(self):
        return themes_in_use()

    def get_context_data(self, **kwargs):
        return super().get_context_data(members=self.members(), themes=self.themes(), **kwargs)

    def post(self, request, funder_slug):
        known = set(self.themes())
        for membership in self.members():
            chosen = [theme for theme in request.POST.getlist(f"expertise-{membership.pk}") if theme in known]
            membership_set_expertise(membership=membership, themes=chosen)
        messages.success(request, _("The panel's expertise is saved."))
        return HttpResponseRedirect(request.path)
