"""What every page about one application shares."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404

from applications import answers as answer_rules
from applications.models import Application
from applications.selectors import application_with_form
from fundportal.views.base import PortalPermissionMixin


class ApplicationMixin(PortalPermissionMixin):
    """A page about one of the active funder's applications; the permission is checked against it."""

    @cached_property
    def application(self):
        try:
            return application_with_form(self.kwargs["application_id"])
        except Application.DoesNotExist as missing:
            raise Http404 from missing

    def get_permission_object(self):
        return self.application

    def handle_no_permission(self):
        """Someone who may read the application but not do this gets 403; anyone else 404."""
        user = self.request.user
        if not user.is_authenticated:
            return super().handle_no_permission()
        if user.has_perm("applications.view_application", self.application):
            raise PermissionDenied
        raise Http404

    @cached_property
    def sections(self):
        return list(self.application.call.sections.all())

    @cached_property
    def problems_by_question(self):
        questions = [question for section in self.sections for question in section.questions.all()]
        counts = {}
        for attachment in self.application.attachments.all():
            counts[attachment.question_id] = counts.get(attachment.question_id, 0) + 1
        found = answer_rules.problems(questions, self.application.answers, counts, self.application.call.currency)
        return {question.pk: message for question, message in found}

    def progress(self):
        """Per section: (number, section, how many answers are missing or wrong, is it named for completion)."""
        return [
            (number, section, sum(1 for question in section.questions.all() if question.pk in self.problems_by_question),
             self.application.asked_to_complete(section.pk))
            for number, section in enumerate(self.sections, start=1)
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, call=self.application.call, **kwargs)
