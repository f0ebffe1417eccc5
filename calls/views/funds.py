"""Fund administrators keep their funds: the programmes calls belong to, and the code in their case numbers."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from calls.models import Fund
from calls.selectors import funds_with_call_counts
from calls.services import fund_save
from fundportal.views.base import PortalPermissionMixin


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["name", "code", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        """Saved through fund_save."""


class FundsView(PortalPermissionMixin, FormView):
    """Every fund with its number of calls, and a form for a new one."""

    permission_required = "calls.manage_calls"
    template_name = "calls/manage/funds.html"
    form_class = FundForm

    @cached_property
    def fund(self):
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.fund}

    def get_context_data(self, **kwargs):
        return super().get_context_data(funds=funds_with_call_counts(), fund=self.fund, **kwargs)

    def form_valid(self, form):
        try:
            fund = fund_save(funder=self.request.funder, fund=self.fund, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The fund %(name)s is saved.") % {"name": fund.name})
        return HttpResponseRedirect(reverse("calls:manage_funds", args=[self.request.funder.slug]))


class FundEditView(FundsView):
    template_name = "calls/manage/fund_form.html"

    @cached_property
    def fund(self):
        return get_object_or_404(Fund, pk=self.kwargs["fund_id"])
