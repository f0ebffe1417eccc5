"""The pre-screening group's queue and the screening of one application."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView, TemplateView

from applications.audit import confidential_viewed
from applications.pdf import answered_sections
from applications.revisions import compare
from applications.selectors import latest_revisions
from applications.services import TransitionRefused
from fundportal.views.base import PortalPermissionMixin
from review.forms import ChecklistForm, OutcomeForm, QueueFilterForm
from review.selectors import application_to_screen, screenable_among, screening_queue
from review.services import screening_decide, screening_save


class QueueFilterMixin:
    @cached_property
    def filter_form(self):
        return QueueFilterForm(self.request.GET or None)

    def get_queryset(self):
        return screening_queue(**self.filter_form.filters())


class ScreeningQueueView(PortalPermissionMixin, QueueFilterMixin, ListView):
    """Submitted applications to screen: search, filters, sort, pages, passing several at once, and downloads."""

    permission_required = "review.screen"
    template_name = "review/queue.html"
    context_object_name = "applications"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter_form=self.filter_form, query_string=query.urlencode(), **kwargs)

    def post(self, request, funder_slug):
        ids = [value for value in request.POST.getlist("selected") if value.isascii() and value.isdigit() and len(value) <= 18]
        passed, refused = 0, []
        for application in screenable_among(ids):
            try:
                screening_decide(application=application, by=request.user, outcome="pass")
                passed += 1
            except (TransitionRefused, ValidationError) as error:
                refused.append(f"{application.case_number}: {error}")
        if passed:
            messages.success(request, ngettext("%(count)d application passed to the next stage.",
                                               "%(count)d applications passed to the next stage.", passed) % {"count": passed})
        for message in refused:
            messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())


class ScreeningView(PortalPermissionMixin, TemplateView):
    """One application: its answers beside the call's checklist and the outcome."""

    permission_required = "review.screen_application"
    template_name = "review/screening.html"

    @cached_property
    def application(self):
        return application_to_screen(self.kwargs["application_id"])

    def get_permission_object(self):
        return self.application

    def handle_no_permission(self):
        """A draft, a withdrawn application or one past screening is not on the screener's table: 404."""
        if self.request.user.is_authenticated and self.request.user.has_perm("review.screen", self.request.funder):
            raise Http404
        return super().handle_no_permission()

    def forms(self, data=None):
        screening = getattr(self.application, "screening", None)
        return (ChecklistForm(data, items=self.application.call.checklist.all(), screening=screening, prefix="check"),
                OutcomeForm(data, prefix="outcome", sections=self.application.call.sections.all(),
                            language=self.request.funder.default_language))

    def changes_since_return(self):
        """[(question, changed, diff lines)] between the last two submissions, when a completion came back."""
        revisions = latest_revisions(self.application, 2)
        if len(revisions) < 2:
            return []
        return [row for row in compare(self.application.call, revisions[1], revisions[0]) if row[1]]

    def get_context_data(self, checklist=None, outcome=None, **kwargs):
        default_checklist, default_outcome = self.forms()
        application = self.application
        changes = self.changes_since_return()
        sections = answered_sections(application, application.answers, sections=application.call.sections.all())
        confidential_viewed(application=application, viewer=self.request.user, sections=sections, page="screening")
        return super().get_context_data(
            application=application, call=application.call, checklist=checklist or default_checklist,
            outcome=outcome or default_outcome, sections=sections,
            eligibility=application.call.eligibility_questions.all(), changes=changes,
            changed={question.pk for question, _changed, _lines in changes}, **kwargs)

    def post(self, request, funder_slug, application_id):
        checklist, outcome = self.forms(request.POST)
        deciding = "decide" in request.POST
        if not checklist.is_valid() or (deciding and not outcome.is_valid()):
            return self.render_to_response(self.get_context_data(checklist=checklist, outcome=outcome if deciding else None))
        try:
            with transaction.atomic():  # a refused outcome leaves the checklist as it was too
                screening_save(application=self.application, by=request.user, results=checklist.results())
                if deciding:
                    data = outcome.cleaned_data
                    screening_decide(application=self.application, by=request.user, outcome=data["outcome"],
                                     reason=data["reason"], due=data["due"], sections=data["sections"])
        except (ValidationError, TransitionRefused) as error:
            outcome.add_error(None, error.messages if hasattr(error, "messages") else str(error))
            return self.render_to_response(self.get_context_data(checklist=checklist, outcome=outcome))
        if not deciding:
            messages.success(request, _("The checklist is saved."))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("The screening outcome is recorded."))
        return HttpResponseRedirect(reverse("review:queue", args=[funder_slug]))
