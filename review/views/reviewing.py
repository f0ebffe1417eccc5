"""The reviewer's own work: the dashboard of assignments and the review form."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.audit import confidential_viewed
from applications.pdf import answered_sections
from applications.selectors import application_with_form
from fundportal.views.base import PortalPermissionMixin
from review.forms import DeclarationForm, ReviewForm
from review.anonymity import for_the_panel, who_applied
from review.selectors import assignment_of, other_reviews, reviewer_assignments
from review.services import assignment_declare, review_save


class ReviewerDashboardView(PortalPermissionMixin, TemplateView):
    """A reviewer's working day: what to do (soonest first, all of it), what is late, and a page of what is done
    (the latest first, ``?page=``)."""

    permission_required = "review.view_reviews_dashboard"
    template_name = "review/dashboard.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        todo, done = reviewer_assignments(self.request.user)
        page = Paginator(done, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(todo=todo, done=page.object_list, page_obj=page, today=timezone.localdate(),
                                        **kwargs)


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
            sections = for_the_panel(call, answered_sections(application, application.answers,
                                                             sections=application.call.sections.all()))
            confidential_viewed(application=application, viewer=self.request.user, sections=sections, page="review")
            context.update(
                application=application, review=review, sections=sections,
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
