"""The manager answers by the emailed link, with no account: once, while the application is being written."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import FormView

from applications.drafting import manager_answerable, manager_decide
from applications.forms import ManagerDecisionForm
from applications.notices import application_of_manager_link
from applications.pdf import answered_sections
from applications.selectors import organisation_of
from fundportal.views.base import PortalPermissionMixin


class ManagerApprovalView(PortalPermissionMixin, FormView):
    """What is applied for, read-only, and the answer; a used link says who answered what, when."""

    permission_required = "fundportal.view_public"
    template_name = "applications/manager_approval.html"
    form_class = ManagerDecisionForm

    def dispatch(self, request, *args, **kwargs):
        self.application = application_of_manager_link(kwargs["token"], request.funder)
        if self.application is None:
            raise Http404(_("This link is not valid any more. Ask the applicant to send a new one."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application, call=application.call, organisation=organisation_of(application.applicant_id),
            sections=answered_sections(application, application.answers), refusal=manager_answerable(application),
            **kwargs)

    def form_valid(self, form):
        try:
            self.application = manager_decide(application=self.application,
                                              approve=form.cleaned_data["decision"] == "approve",
                                              comment=form.cleaned_data["comment"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, done=True))
