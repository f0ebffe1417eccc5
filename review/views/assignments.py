"""Assigning reviewers to a call's applications."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from calls.views.manage import ManageCallMixin
from fundportal.selectors import panel_people
from review.forms import AssignForm, AssignmentsFilterForm, AutoAssignForm
from review.selectors import applications_with_reviewers, reviewer_loads
from review.services import assignment_create, assignments_auto


class AssignmentsView(ManageCallMixin, TemplateView):
    """A page of the call's applications at a panel stage with their reviewers, searched, filtered and sorted from
    the query string, under each panel member's load; assign by hand or automatically, then back to the same page."""

    permission_required = "review.manage_panel"
    template_name = "review/assignments.html"
    tab = "assignments"
    paginate_by = 50

    @cached_property
    def filter_form(self):
        return AssignmentsFilterForm.reading(self.request.GET, call=self.call, reviewers=self.reviewers())

    @cached_property
    def page(self):
        shown = applications_with_reviewers(self.call, **self.filter_form.chosen())
        return Paginator(shown, self.paginate_by).get_page(self.request.GET.get("page"))

    def applications(self):
        """Every application of the call at a panel stage: those the forms may assign."""
        return applications_with_reviewers(self.call)

    def reviewers(self):
        return panel_people()

    def assign_form(self, data=None):
        return AssignForm(data, applications=self.applications(), reviewers=self.reviewers(),
                          offered=self.page.object_list)

    def get_context_data(self, assign_form=None, auto_form=None, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            page_obj=self.page, applications=self.page.object_list, query=query.urlencode(),
            filter_form=self.filter_form, filtered=self.filter_form.narrows(),
            loads=reviewer_loads(self.call),
            assign_form=assign_form or self.assign_form(),
            auto_form=auto_form or AutoAssignForm(initial={"per_application": self.call.reviewers_per_application}),
            **kwargs)

    def post(self, request, *args, **kwargs):
        if "auto" in request.POST:
            form = AutoAssignForm(request.POST)
            if form.is_valid():
                made = assignments_auto(applications=list(self.applications()), by=request.user,
                                        per_application=form.cleaned_data["per_application"], due=form.cleaned_data["due"])
                messages.success(request, ngettext("%(count)d assignment made.", "%(count)d assignments made.", made) % {"count": made})
                return self.back()
            return self.render_to_response(self.get_context_data(auto_form=form))
        form = self.assign_form(request.POST)
        if form.is_valid():
            try:
                assignment_create(application=form.cleaned_data["application"], reviewer=form.cleaned_data["reviewer"],
                                  due=form.cleaned_data["due"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The reviewer is assigned."))
                return self.back()
        return self.render_to_response(self.get_context_data(assign_form=form))

    def back(self):
        """To the page, filters and order the form was sent from."""
        return HttpResponseRedirect(self.request.get_full_path())
