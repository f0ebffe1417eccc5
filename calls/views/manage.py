"""The fund administrator's pages for setting up calls."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from calls import services
from calls.forms import (
    CallForm, ChecklistFormSet, CopyCallForm, CriterionFormSet, EligibilityFormSet, PeriodFormSet, StageFormSet,
)
from calls.models import Call
from calls.selectors import PERIOD_FIGURES, call_history, funds_with_calls, managed_call
from fundportal.views.base import PortalPermissionMixin


class CallDashboardView(PortalPermissionMixin, TemplateView):
    """Each fund with its calls, their status and per period its figures (the drafts and submissions)."""

    permission_required = "calls.manage_calls"
    template_name = "calls/manage/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(funds=funds_with_calls(timezone.now()), figures=PERIOD_FIGURES, **kwargs)


class ManageCallMixin(PortalPermissionMixin):
    """A page about one of the active funder's calls, for its administrators."""

    permission_required = "calls.manage_calls"
    tab = None

    @cached_property
    def call(self):
        return managed_call(self.kwargs["call_slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, tab=self.tab, **kwargs)

    def back_here(self, message):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.request.path)


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: on its fields when it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CallCreateView(PortalPermissionMixin, FormView):
    permission_required = "calls.manage_calls"
    template_name = "calls/manage/call_form.html"
    form_class = CallForm

    def get_initial(self):
        return {"currency": self.request.funder.currency, "application_types": ["new"], "score_min": 1, "score_max": 7}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Call(funder=self.request.funder)}

    def form_valid(self, form):
        try:
            call = services.call_create(**form.call_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The call is created as a draft. Add its periods, criteria and form next."))
        return HttpResponseRedirect(reverse("calls:manage_periods", args=[self.request.funder.slug, call.slug]))


class CallEditView(ManageCallMixin, FormView):
    template_name = "calls/manage/call_form.html"
    form_class = CallForm
    tab = "details"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.call}

    def form_valid(self, form):
        fields = form.call_fields()
        fields.pop("slug", None)
        try:
            services.call_update(call=self.call, by=self.request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return self.back_here(_("The call is saved."))


class CallFormSetView(ManageCallMixin, TemplateView):
    """A page editing one list of the call's parts (periods, criteria, …) as a formset."""

    template_name = "calls/manage/formset.html"
    formset_class = None
    heading = None
    explanation = None

    def related(self):
        raise NotImplementedError

    def save(self, formset):
        raise NotImplementedError

    PREFIX = "items"

    def get_context_data(self, formset=None, **kwargs):
        formset = formset or self.formset_class(queryset=self.related(), prefix=self.PREFIX)
        return super().get_context_data(formset=formset, heading=self.heading, explanation=self.explanation, **kwargs)

    def post(self, request, *args, **kwargs):
        if "add_row" in request.POST:
            return self.render_to_response(self.get_context_data(formset=self.with_another_row(request.POST)))
        formset = self.formset_class(request.POST, queryset=self.related(), prefix=self.PREFIX)
        if formset.is_valid():
            try:
                self.save(formset)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                return self.back_here(_("Saved."))
        return self.render_to_response(self.get_context_data(formset=formset, checked=True))

    def with_another_row(self, data):
        """The rows as typed and one empty row more, nothing saved (the "Add a row" button without JavaScript)."""
        data = data.copy()
        total = f"{self.PREFIX}-TOTAL_FORMS"
        if data.get(total, "").isdigit():
            data[total] = str(int(data[total]) + 1)
        return self.formset_class(data, queryset=self.related(), prefix=self.PREFIX)


class CallPeriodsView(CallFormSetView):
    formset_class = PeriodFormSet
    tab = "periods"
    heading = gettext_lazy("Application periods")
    explanation = gettext_lazy("Times are in the funder's time zone. Periods may not overlap.")

    def related(self):
        return self.call.periods.all()

    def save(self, formset):
        services.call_set_periods(call=self.call, periods=formset.periods(), by=self.request.user)


class CallCriteriaView(CallFormSetView):
    formset_class = CriterionFormSet
    tab = "criteria"
    heading = gettext_lazy("Assessment criteria")
    explanation = gettext_lazy("The weights are per cent of the total score and must add up to 100.")

    def related(self):
        return self.call.criteria.all()

    def save(self, formset):
        services.call_set_criteria(call=self.call, criteria=formset.criteria(), by=self.request.user)


class CallEligibilityView(CallFormSetView):
    formset_class = EligibilityFormSet
    tab = "eligibility"
    heading = gettext_lazy("Eligibility questions")
    explanation = gettext_lazy("Applicants answer these before the form; a wrong answer shows them the reason.")

    def related(self):
        return self.call.eligibility_questions.all()

    def save(self, formset):
        services.call_set_eligibility(call=self.call, questions=formset.questions(), by=self.request.user)


class CallPipelineView(CallFormSetView):
    formset_class = StageFormSet
    tab = "pipeline"
    heading = gettext_lazy("Review stages")
    explanation = gettext_lazy("The stages every application passes through, in order, e.g. screening, panel, decision.")

    def related(self):
        return self.call.stages.all()

    def save(self, formset):
        services.call_set_pipeline(call=self.call, stages=formset.stages(), by=self.request.user)


class CallChecklistView(CallFormSetView):
    formset_class = ChecklistFormSet
    tab = "checklist"
    heading = gettext_lazy("Screening checklist")
    explanation = gettext_lazy("What the pre-screening group checks in every application, e.g. “manager's approval present”.")

    def related(self):
        return self.call.checklist.all()

    def save(self, formset):
        services.call_set_checklist(call=self.call, items=formset.items(), by=self.request.user)


class CallHistoryView(ManageCallMixin, TemplateView):
    template_name = "calls/manage/history.html"
    tab = "history"

    def get_context_data(self, **kwargs):
        return super().get_context_data(changes=call_history(self.call), **kwargs)


class CallActionView(ManageCallMixin, View):
    """Publish, unpublish, archive or bring back the call (a POST from a confirmed button)."""

    http_method_names = ["post"]
    ACTIONS = {
        "publish": (services.call_publish, gettext_lazy("The call is published.")),
        "unpublish": (services.call_unpublish, gettext_lazy("The call is no longer public.")),
        "archive": (services.call_archive, gettext_lazy("The call is archived.")),
        "unarchive": (services.call_unarchive, gettext_lazy("The call is back from the archive.")),
    }

    def post(self, request, funder_slug, call_slug, action):
        if action not in self.ACTIONS:
            raise Http404
        service, message = self.ACTIONS[action]
        try:
            service(call=self.call, by=request.user)
        except ValidationError as error:
            messages.error(request, _("The call cannot be published yet. It still needs: %(missing)s.")
                           % {"missing": "; ".join(error.messages)})
        else:
            messages.success(request, message)
        return HttpResponseRedirect(reverse("calls:manage_call", args=[funder_slug, call_slug]))


class CallCopyView(ManageCallMixin, FormView):
    template_name = "calls/manage/copy.html"
    form_class = CopyCallForm
    tab = "details"

    def form_valid(self, form):
        copy = services.call_copy(call=self.call, slug=form.cleaned_data["slug"],
                                  title={self.request.funder.default_language: form.cleaned_data["title"]})
        messages.success(self.request, _("The copy is a draft; its periods are moved a year on. Check them."))
        return HttpResponseRedirect(reverse("calls:manage_periods", args=[self.request.funder.slug, copy.slug]))
