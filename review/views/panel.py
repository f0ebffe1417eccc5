"""The panel's members and a call's review progress."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications.lifecycle import State
from calls.selectors import themes_in_use
from calls.views.manage import ManageCallMixin
from fundportal.db_router import ReadsFromReplicaMixin
from fundportal.models import Membership
from fundportal.services import membership_set_expertise
from fundportal.views.base import PortalPermissionMixin
from review.selectors import call_progress, drafts_past_their_deadline


class ProgressView(ManageCallMixin, ReadsFromReplicaMixin, TemplateView):
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
