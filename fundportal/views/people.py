"""Fund administrators run their own team: who holds which role, inviting people, taking roles away."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from fundportal.forms import IdField
from fundportal.models import Membership, Role
from fundportal.security import RecentAuthenticationRequired
from fundportal.selectors import team, team_changes
from fundportal.services import membership_invite, membership_revoke
from fundportal.views.base import PortalPermissionMixin


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class RevokeForm(forms.Form):
    revoke = IdField()


class PeopleView(PortalPermissionMixin, RecentAuthenticationRequired, FormView):
    permission_required = "fundportal.manage_people"
    template_name = "fundportal/people.html"
    form_class = InviteForm
    per_page = 50

    def get_context_data(self, **kwargs):
        people = team(funder=self.request.funder, search=self.request.GET.get("q", "").strip(),
                      role=self.request.GET.get("role", ""))
        page = Paginator(people, self.per_page).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            page_obj=page, people=page.object_list, is_paginated=page.has_other_pages(), query_string=query.urlencode(),
            roles=Role.choices, changes=team_changes(), **kwargs)

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            return self.revoke(RevokeForm(request.POST))
        return super().post(request, *args, **kwargs)

    def revoke(self, form):
        request = self.request
        if not form.is_valid():
            messages.error(request, _("Which role to take away was not understood; nothing was changed."))
            return HttpResponseRedirect(request.get_full_path())
        membership = get_object_or_404(Membership, pk=form.cleaned_data["revoke"])
        try:
            membership_revoke(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(person)s no longer holds the role %(role)s.") % {
                "person": membership.user, "role": membership.get_role_display()})
        return HttpResponseRedirect(request.get_full_path())

    def form_valid(self, form):
        try:
            membership = membership_invite(funder=self.request.funder, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(email)s now holds the role %(role)s and has been told by email.") % {
            "email": membership.user.email, "role": membership.get_role_display()})
        return HttpResponseRedirect(self.request.path)
