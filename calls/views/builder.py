"""The form builder: sections and typed questions, and a preview exactly as applicants see it."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from calls.answer_forms import answer_form_class
from calls.builder_forms import QuestionForm, SectionForm
from calls.form_services import question_delete, question_move, question_save, section_create, section_delete, section_move
from calls.models import Question, Section
from calls.selectors import has_applications, sections_with_questions
from calls.views.manage import ManageCallMixin, add_service_errors


class FormBuilderView(ManageCallMixin, FormView):
    """The call's sections and questions, with a form to add a section."""

    template_name = "calls/manage/builder.html"
    form_class = SectionForm
    tab = "form"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sections=sections_with_questions(self.call), has_applications=has_applications(self.call), **kwargs
        )

    def form_valid(self, form):
        section_create(call=self.call, title=form.cleaned_data["title"], by=self.request.user)
        return self.back_here(_("The section is added."))


class QuestionEditView(ManageCallMixin, FormView):
    """Add a question to a section, or change one."""

    template_name = "calls/manage/question_form.html"
    form_class = QuestionForm
    tab = "form"

    @cached_property
    def section(self):
        return get_object_or_404(Section, call=self.call, pk=self.kwargs["section_id"])

    @cached_property
    def question(self):
        question_id = self.kwargs.get("question_id")
        return get_object_or_404(Question, section=self.section, pk=question_id) if question_id else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.question or Question(section=self.section)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, question=self.question, **kwargs)

    def form_valid(self, form):
        try:
            question_save(section=self.section, question=self.question, by=self.request.user, **form.question_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The question is saved."))
        return HttpResponseRedirect(reverse("calls:manage_form", args=[self.request.funder.slug, self.call.slug]))


class BuilderActionView(ManageCallMixin, View):
    """Remove or move a question or a section (POST); refused with a message where answers would suffer."""

    http_method_names = ["post"]
    ACTIONS = {  # action: (what it acts on, what it does, what the administrator is told)
        "delete-section": (Section, lambda item, by: section_delete(section=item, by=by),
                           gettext_lazy("The section is removed.")),
        "section-up": (Section, lambda item, by: section_move(section=item, offset=-1), None),
        "section-down": (Section, lambda item, by: section_move(section=item, offset=1), None),
        "delete-question": (Question, lambda item, by: question_delete(question=item, by=by),
                            gettext_lazy("The question is removed.")),
        "move-up": (Question, lambda item, by: question_move(question=item, offset=-1), None),
        "move-down": (Question, lambda item, by: question_move(question=item, offset=1), None),
    }

    def post(self, request, funder_slug, call_slug, action, object_id):
        if action not in self.ACTIONS:
            raise Http404
        model, act, message = self.ACTIONS[action]
        of_this_call = {"call": self.call} if model is Section else {"section__call": self.call}
        item = get_object_or_404(model, pk=object_id, **of_this_call)
        try:
            act(item, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(reverse("calls:manage_form", args=[funder_slug, call_slug]))


class FormPreviewView(ManageCallMixin, TemplateView):
    """The form as applicants will see it; a submitted preview is validated but never stored."""

    template_name = "calls/manage/preview.html"
    tab = "form"

    def get_context_data(self, data=None, files=None, **kwargs):
        sections = list(sections_with_questions(self.call))
        steps = []
        for section in sections:
            form_class = answer_form_class(section.questions.all(), currency=self.call.currency)
            steps.append((section, form_class(data, files, prefix=f"s{section.pk}")))
        return super().get_context_data(steps=steps, **kwargs)

    def post(self, request, *args, **kwargs):
        context = self.get_context_data(data=request.POST, files=request.FILES)
        context["checked"] = all(form.is_valid() for _section, form in context["steps"])
        return self.render_to_response(context)
