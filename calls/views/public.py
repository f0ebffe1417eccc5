"""Public pages: a funder's calls, one call, every open call, the feed and the deadline calendar."""

from functools import cached_property

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView, TemplateView

from calls.calendar import deadlines_ics
from calls.forms import EligibilityCheckForm, SubscribeForm
from calls.selectors import open_calls_everywhere, public_call, public_calls
from fundportal.views.base import PortalPermissionMixin


class CallListView(PortalPermissionMixin, TemplateView):
    """A funder's front page: its calls open now, opening soon and closed."""

    permission_required = "fundportal.view_public"
    template_name = "calls/call_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(listing=public_calls(timezone.now()), subscribe_form=SubscribeForm(), **kwargs)


class CallDetailView(PortalPermissionMixin, TemplateView):
    permission_required = "fundportal.view_public"
    template_name = "calls/call_detail.html"

    def get_context_data(self, **kwargs):
        call = public_call(self.kwargs["call_slug"], timezone.now())
        return super().get_context_data(call=call, subscribe_form=SubscribeForm(), **kwargs)


class OpenCallsView(PortalPermissionMixin, TemplateView):
    """Every funder's open calls, a page at a time."""

    permission_required = "fundportal.view_public"
    template_name = "calls/open_calls.html"

    def get_context_data(self, **kwargs):
        page = open_calls_everywhere(timezone.now(), self.request.GET.get("page"))
        return super().get_context_data(calls=page.object_list, page_obj=page, is_paginated=page.has_other_pages(),
                                        **kwargs)


class OpenCallsFeedView(PortalPermissionMixin, View):
    """JSON feed of the funder's open calls."""

    permission_required = "fundportal.view_public"

    def get(self, request, funder_slug):
        listing = public_calls(timezone.now())
        return JsonResponse({
            "funder": {"name": request.funder.name, "slug": request.funder.slug},
            "calls": [
                {
                    "title": call.title,
                    "summary": call.summary,
                    "url": request.build_absolute_uri(reverse("calls:call_detail", args=[funder_slug, call.slug])),
                    "budget": int(call.budget),
                    "currency": call.currency,
                    "application_types": call.application_types,
                    "themes": call.themes,
                    "opens_at": call.open_period.opens_at.isoformat(),
                    "closes_at": call.open_period.closes_at.isoformat(),
                }
                for call in listing.open
            ],
        }, json_dumps_params={"ensure_ascii": False})


class DeadlinesCalendarView(PortalPermissionMixin, View):
    """iCalendar of the funder's application deadlines, for a calendar subscription."""

    permission_required = "fundportal.view_public"

    def get(self, request, funder_slug):
        listing = public_calls(timezone.now())
        calls = listing.open + listing.upcoming + listing.closed
        body = deadlines_ics(request.funder, calls, lambda call: request.build_absolute_uri(
            reverse("calls:call_detail", args=[funder_slug, call.slug])))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(False, f"{funder_slug}-deadlines.ics")
        return response


class EligibilityCheckView(PortalPermissionMixin, FormView):
    """Before the form: may I apply? The answer, and the reason when not."""

    permission_required = "fundportal.view_public"
    template_name = "calls/eligibility.html"
    form_class = EligibilityCheckForm

    @cached_property
    def call(self):
        return public_call(self.kwargs["call_slug"], timezone.now(), archived=False)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questions": self.call.eligibility_questions.all()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(call=self.call, **kwargs)

    def form_valid(self, form):
        return self.render_to_response(self.get_context_data(form=form, checked=True,
                                                             reasons=form.reasons_not_eligible()))
