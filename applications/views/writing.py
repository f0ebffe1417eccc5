"""Writing an application: start it, fill in its sections (with autosave), add files and people."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from applications import answers as answer_rules
from applications.audit import file_downloaded
from applications.drafting import (
    AnswersRefused, EditConflict, application_save_answers, application_start, attachment_add, attachment_remove,
    collaborator_invite, collaborator_remove, locked_by_deadline, manager_request_approval,
)
from applications.forms import AttachmentForm, CollaboratorForm, ManagerForm, StartForm
from applications.models import Attachment, Collaborator
from applications.selectors import attachment_of, earlier_applications
from applications.views.base import ApplicationMixin
from calls.forms import EligibilityCheckForm
from calls.models import Question
from calls.selectors import file_question, public_call
from fundportal.views.base import PortalPermissionMixin


def safe_next(request):
    """The ``next`` address the page sent, if it stays on this site; else None."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and allowed else None


class StartView(PortalPermissionMixin, TemplateView):
    """From an open call: pass the eligibility questions, pick the type, get a draft."""

    permission_required = "fundportal.signed_in"
    template_name = "applications/start.html"

    def get_permission_object(self):
        return None

    @cached_property
    def call(self):
        return public_call(self.kwargs["call_slug"], timezone.now(), archived=False)

    def forms(self, data=None):
        return (EligibilityCheckForm(data, questions=self.call.eligibility_questions.all(), prefix="eligibility"),
                StartForm(data, call=self.call, earlier=earlier_applications(self.request.user), prefix="start"))

    def get_context_data(self, **kwargs):
        eligibility, start = kwargs.pop("forms", None) or self.forms()
        return super().get_context_data(call=self.call, eligibility=eligibility, start=start, **kwargs)

    def post(self, request, *args, **kwargs):
        eligibility, start = self.forms(request.POST)
        if not (eligibility.is_valid() and start.is_valid()):
            return self.render_to_response(self.get_context_data(forms=(eligibility, start)))
        reasons = eligibility.reasons_not_eligible()
        if reasons:
            return self.render_to_response(self.get_context_data(forms=(eligibility, start), reasons=reasons))
        try:
            application = application_start(call=self.call, applicant=request.user,
                                            application_type=start.cleaned_data["application_type"],
                                            previous=start.cleaned_data.get("previous"),
                                            theme=start.cleaned_data.get("theme", ""))
        except ValidationError as error:
            start.add_error(None, error)
            return self.render_to_response(self.get_context_data(forms=(eligibility, start)))
        messages.success(request, _("Your draft is created. It is saved as you write; come back to it any time."))
        return HttpResponseRedirect(reverse("applications:section", args=[request.funder.slug, application.pk, 1]))


class SectionView(ApplicationMixin, TemplateView):
    """One step of the form, with the progress of every step beside it."""

    permission_required = "applications.edit_application"
    template_name = "applications/section.html"

    @cached_property
    def section(self):
        number = self.kwargs["number"]
        if not 1 <= number <= len(self.sections):
            raise Http404
        return self.sections[number - 1]

    def form(self, data=None):
        questions = [q for q in self.section.questions.all() if q.kind != Question.Kind.FILE]
        form_class = answer_rules.draft_form_class(questions, self.application.call.currency)
        return form_class(data, initial=self.application.answers, prefix="answers")

    def get_context_data(self, form=None, **kwargs):
        number = kwargs.pop("number", self.kwargs["number"])
        files = [(question, [a for a in self.application.attachments.all() if a.question_id == question.pk])
                 for question in self.section.questions.all() if question.kind == Question.Kind.FILE]
        return super().get_context_data(
            section=self.section, number=number, form=form or self.form(), progress=self.progress(),
            locked=self.locked_because(),
            problems=self.problems_by_question, file_questions=files, attachment_form=AttachmentForm(),
            previous_number=number - 1 if number > 1 else None,
            next_number=number + 1 if number < len(self.sections) else None, **kwargs)

    def locked_because(self):
        """Why this part can be read but not changed, or ""."""
        if not self.application.may_change_section(self.section.pk):
            return _("The funder asked you to complete other parts of the application. This part can be read but "
                     "not changed.")
        return locked_by_deadline(self.application)

    def posted_version(self):
        """The version the page was loaded at, or None when the page sent none that is a number."""
        value = self.request.POST.get("version", "")
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None

    def save(self, request):
        """Store what was sent, valid or not; returns (form, application) or raises EditConflict or ValidationError."""
        version = self.posted_version()
        if version is None:
            raise AnswersRefused(_("This page was sent incomplete. Reload it; your text stays in this browser."))
        form = self.form(request.POST)
        form.is_valid()  # run the checks so the page can show them; the draft keeps the text either way
        title = request.POST.get("title") if self.kwargs["number"] == 1 else None
        confidential = {name: request.POST.get(f"confidential-{name}", "").strip() for name in form.fields
                        if f"confidential-{name}" in request.POST}
        application = application_save_answers(
            application=self.application, answers=answer_rules.raw_answers(form), title=title,
            confidential=confidential or None, version=version, by=request.user)
        return form, application

    def post(self, request, *args, **kwargs):
        try:
            form, application = self.save(request)
        except EditConflict as conflict:
            return self.refuse(str(conflict), "conflict", 409)
        except AnswersRefused as refused:
            return self.refuse(" ".join(refused.messages), "invalid", 400)
        except ValidationError as refused:
            return self.refuse(" ".join(refused.messages), "refused", 403)
        return self.saved(form, application)

    def refuse(self, message, status, code):
        """Nothing was stored: say why; what was typed is shown again unless the application may not change."""
        messages.error(self.request, message)
        form = None if status == "refused" else self.form(self.request.POST)
        return self.render_to_response(self.get_context_data(form=form), status=code)

    def saved(self, form, application):
        request = self.request
        messages.success(request, _("Saved at %(time)s.") % {"time": formats.time_format(timezone.localtime(application.updated), "H:i")})
        if "review" in request.POST:
            return HttpResponseRedirect(reverse("applications:submit", args=[request.funder.slug, application.pk]))
        number = self.kwargs["number"]
        target = number + 1 if "continue" in request.POST and number < len(self.sections) else number
        return HttpResponseRedirect(reverse("applications:section", args=[request.funder.slug, application.pk, target]))


class AutosaveView(SectionView):
    """The page's script posts the section here as the person types; answers JSON."""

    http_method_names = ["post"]

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return JsonResponse({"status": "signed-out", "message": _(
                "You have been signed out. Sign in again in another tab; your text stays on this page.")}, status=401)
        try:
            return super().handle_no_permission()  # 404 for someone with no business here
        except PermissionDenied:
            return JsonResponse({"status": "refused", "message": _("This application can no longer be edited.")},
                                status=403)

    def refuse(self, message, status, code):
        return JsonResponse({"status": status, "message": message}, status=code)

    def saved(self, form, application):
        return JsonResponse({
            "status": "saved", "version": application.version,
            "message": _("Saved %(time)s") % {"time": formats.time_format(timezone.localtime(application.updated), "H:i")},
            "errors": {name: errors for name, errors in form.errors.items()},
        })


class AttachmentUploadView(ApplicationMixin, View):
    permission_required = "applications.edit_application"
    http_method_names = ["post"]

    def post(self, request, funder_slug, application_id, question_id):
        question = file_question(self.application.call, question_id)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment_add(application=self.application, question=question, upload=form.cleaned_data["file"],
                               by=request.user, confidential_reason=form.cleaned_data["confidential_reason"])
                messages.success(request, _("The file is added."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        number = next(n for n, section in enumerate(self.sections, 1) if section.pk == question.section_id)
        return HttpResponseRedirect(reverse("applications:section", args=[funder_slug, application_id, number]))


class AttachmentDownloadView(ApplicationMixin, View):
    """A file, only to those who may read the application (its people, and the funder's staff whose work it is);
    never from a public address."""

    permission_required = "applications.view_attachment"

    @cached_property
    def attachment(self):
        return attachment_of(self.application, self.kwargs["attachment_id"])

    def get_permission_object(self):
        return self.attachment

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()

    def get(self, request, funder_slug, application_id, attachment_id):
        attachment = self.attachment
        file_downloaded(attachment=attachment, viewer=request.user)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)


class AttachmentDeleteView(ApplicationMixin, View):
    permission_required = "applications.edit_application"
    http_method_names = ["post"]

    def post(self, request, funder_slug, application_id, attachment_id):
        attachment = get_object_or_404(Attachment, pk=attachment_id, application=self.application)
        try:
            attachment_remove(attachment=attachment, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("The file is removed."))
        return HttpResponseRedirect(safe_next(request) or reverse("applications:detail", args=[funder_slug, application_id]))


class PeopleView(ApplicationMixin, FormView):
    """Co-applicants, and the manager who must approve. Only the main applicant invites and removes co-applicants."""

    permission_required = "applications.edit_application"
    template_name = "applications/people.html"
    form_class = CollaboratorForm

    @cached_property
    def manages_people(self):
        return self.request.user.has_perm("applications.manage_people", self.application)

    def get_context_data(self, **kwargs):
        manager_form = kwargs.pop("manager_form", None) or ManagerForm(initial={
            "manager_name": self.application.manager_name, "manager_email": self.application.manager_email})
        return super().get_context_data(collaborators=self.application.collaborators.all(), manager_form=manager_form,
                                        manages_people=self.manages_people, progress=self.progress(), **kwargs)

    def post(self, request, *args, **kwargs):
        if "manager_email" in request.POST:
            manager_form = ManagerForm(request.POST)
            if manager_form.is_valid():
                try:
                    manager_request_approval(application=self.application, name=manager_form.cleaned_data["manager_name"],
                                             email=manager_form.cleaned_data["manager_email"], by=request.user)
                except ValidationError as refusal:
                    manager_form.add_error("manager_email", refusal)
                else:
                    messages.success(request, _("We have emailed your manager a link to approve the application."))
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(form=self.get_form(), manager_form=manager_form))
        if not self.manages_people:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            collaborator_invite(application=self.application, email=form.cleaned_data["email"],
                                access=form.cleaned_data["access"], by=self.request.user)
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        messages.success(self.request, _("The invitation is sent."))
        return HttpResponseRedirect(self.request.path)


class CollaboratorRemoveView(ApplicationMixin, TemplateView):
    """The main applicant removes a co-applicant, after confirming."""

    permission_required = "applications.manage_people"
    template_name = "applications/collaborator_remove.html"

    @cached_property
    def collaborator(self):
        return get_object_or_404(Collaborator, pk=self.kwargs["collaborator_id"], application=self.application)

    def get_context_data(self, **kwargs):
        return super().get_context_data(collaborator=self.collaborator, **kwargs)

    def post(self, request, funder_slug, application_id, collaborator_id):
        try:
            collaborator_remove(collaborator=self.collaborator, by=request.user)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("%(email)s is no longer a co-applicant.") % {"email": self.collaborator.email})
        return HttpResponseRedirect(reverse("applications:people", args=[funder_slug, application_id]))
