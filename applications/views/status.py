"""After writing: submit, follow the status, withdraw; a person's applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from applications.audit import application_downloaded, confidential_viewed
from applications.drafting import locked_by_deadline, profile_save
from applications.forms import ExtensionForm, ProfileForm, WithdrawForm
from applications.letters import decision_letter_pdf
from applications.lifecycle import State
from applications.models import ApplicantProfile
from applications.pdf import answered_sections, application_pdf
from applications.selectors import applications_of, latest_revisions, revisions_of
from applications.revisions import compare
from applications.services import TransitionRefused
from applications.submission import (
    SubmissionRefused, application_extend, application_submit, application_withdraw, deadline_of, submission_transition,
)
from applications.timeline import timeline
from applications.views.base import ApplicationMixin
from fundportal.exports import pdf_response
from fundportal.templatetags.portal import when
from fundportal.views.base import PortalPermissionMixin


def first_part_to_complete(application, sections):
    """The number of the first part the applicant may change: for a returned application, the first one named."""
    return next((number for number, section in enumerate(sections, start=1)
                 if application.may_change_section(section.pk)), 1)


class DetailView(ApplicationMixin, TemplateView):
    """Status in words an applicant understands, what happened when, and the answers."""

    permission_required = "applications.view_application"
    template_name = "applications/detail.html"

    def get_context_data(self, **kwargs):
        application, user = self.application, self.request.user
        sections = answered_sections(application, application.answers)
        confidential_viewed(application=application, viewer=user, sections=sections, page="application")
        return super().get_context_data(
            timeline=timeline(application), deadline=deadline_of(application), status=application.applicant_status,
            completing=application.state == State.RETURNED, drafting=application.state == State.DRAFT,
            sections=sections,
            can_edit=user.has_perm("applications.edit_application", application) and not locked_by_deadline(application),
            first_part=first_part_to_complete(application, self.sections),
            can_withdraw=user.has_perm("applications.withdraw_application", application),
            can_manage=user.has_perm("applications.manage_applications", application),
            letter_released=application.decision_letter_sent, **kwargs)


class SubmitView(ApplicationMixin, TemplateView):
    """A summary of what is missing, each linked to its place; then submission."""

    permission_required = "applications.submit_application"
    template_name = "applications/submit.html"

    def get_context_data(self, **kwargs):
        missing = []
        for number, section in enumerate(self.sections, start=1):
            for question in section.questions.all():
                if question.pk in self.problems_by_question:
                    missing.append((number, section, question, self.problems_by_question[question.pk]))
        manager_missing = (self.application.call.requires_manager_approval
                           and not self.application.manager_approved)
        return super().get_context_data(
            missing=missing, manager_missing=manager_missing, progress=self.progress(),
            deadline=deadline_of(self.application), too_late=locked_by_deadline(self.application),
            completing=self.application.state == State.RETURNED, submit_as=submission_transition(self.application),
            sections=answered_sections(self.application, self.application.answers), **kwargs)

    def post(self, request, funder_slug, application_id):
        try:
            application = application_submit(application=self.application, by=request.user)
        except SubmissionRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        except TransitionRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("Your application is submitted. Its case number is %(number)s; "
                                    "a receipt is on its way to your email.") % {"number": application.case_number})
        return HttpResponseRedirect(reverse("applications:detail", args=[funder_slug, application_id]))


class WithdrawView(ApplicationMixin, FormView):
    permission_required = "applications.withdraw_application"
    form_class = WithdrawForm
    http_method_names = ["post"]

    def form_valid(self, form):
        try:
            application_withdraw(application=self.application, by=self.request.user, comment=form.cleaned_data["comment"])
            messages.success(self.request, _("Your application is withdrawn."))
        except TransitionRefused as refusal:
            messages.error(self.request, str(refusal))
        return self.back_to_the_application()

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return self.back_to_the_application()

    def back_to_the_application(self):
        return HttpResponseRedirect(reverse("applications:detail", args=[self.request.funder.slug, self.application.pk]))


class PdfView(ApplicationMixin, View):
    permission_required = "applications.view_application"

    def get(self, request, funder_slug, application_id):
        revision = next(iter(latest_revisions(self.application)), None)
        answers = revision.answers if revision and self.application.state != State.RETURNED else self.application.answers
        name = self.application.case_number or f"application-{self.application.pk}"
        application_downloaded(application=self.application, viewer=request.user)
        return pdf_response(application_pdf(self.application, answers), f"{name}.pdf")


class ExtensionView(ApplicationMixin, FormView):
    """An administrator gives one applicant a later deadline."""

    permission_required = "applications.manage_applications"
    template_name = "applications/extension.html"
    form_class = ExtensionForm

    def form_valid(self, form):
        try:
            application_extend(application=self.application, until=form.cleaned_data["until"])
        except ValidationError as error:
            form.add_error("until", error)
            return self.form_invalid(form)
        messages.success(self.request, _("The applicant's deadline is extended to %(until)s.")
                         % {"until": when(self.application.extension_until)})
        return HttpResponseRedirect(self.request.path)  # a draft's own pages are the applicant's


class MyApplicationsView(PortalPermissionMixin, TemplateView):
    """Everything a person applies for, at every funder."""

    permission_required = "fundportal.signed_in"
    template_name = "applications/mine.html"

    def get_permission_object(self):
        return None

    def get_context_data(self, **kwargs):
        """Each application with the deadline its applicant still works towards (a draft's, or a completion's)."""
        return super().get_context_data(applications=[
            (application, deadline_of(application) if application.state in State.EDITABLE else None)
            for application in applications_of(self.request.user)], **kwargs)


class ProfileView(PortalPermissionMixin, FormView):
    permission_required = "fundportal.signed_in"
    template_name = "applications/profile.html"
    form_class = ProfileForm

    def get_permission_object(self):
        return None

    def get_form_kwargs(self):
        profile, _created = ApplicantProfile.objects.get_or_create(user=self.request.user)
        return {**super().get_form_kwargs(), "instance": profile,
                "initial": {"first_name": self.request.user.first_name, "last_name": self.request.user.last_name,
                            "wants_reminders": self.request.user.wants_reminders}}

    def form_valid(self, form):
        profile_save(user=self.request.user, profile=form.save(commit=False),
                     first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
                     wants_reminders=form.cleaned_data["wants_reminders"])
        messages.success(self.request, _("Your profile is saved."))
        return HttpResponseRedirect(self.request.path)


class RevisionsView(ApplicationMixin, TemplateView):
    """An administrator compares what was submitted at two times."""

    permission_required = "applications.compare_revisions"
    template_name = "applications/revisions.html"

    def get_context_data(self, **kwargs):
        revisions = revisions_of(self.application)
        newer = next((r for r in revisions if str(r.number) == self.request.GET.get("new")), revisions[-1] if revisions else None)
        older = next((r for r in revisions if str(r.number) == self.request.GET.get("old")), None)
        if older is None and newer is not None and newer.number > 1:
            older = revisions[newer.number - 2]
        rows = compare(self.application.call, older, newer) if older and newer else []
        return super().get_context_data(revisions=revisions, older=older, newer=newer, rows=rows, **kwargs)


class DecisionLetterView(ApplicationMixin, View):
    """The released decision letter, in the reader's language."""

    permission_required = "applications.view_application"

    def get(self, request, funder_slug, application_id):
        decision = getattr(self.application, "decision", None)
        if decision is None or not self.application.decision_letter_sent:  # known from the letter, once sent
            raise Http404
        pdf = decision_letter_pdf(decision, translation.get_language())
        return pdf_response(pdf, f"{self.application.case_number}-decision.pdf")
