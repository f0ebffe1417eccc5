"""Assigning reviewers to a call's applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin
from fundportal.selectors import panel_people
from review.forms import AssignForm, AutoAssignForm
from review.selectors import applications_with_reviewers
from review.services import assignment_create, assignments_auto


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
