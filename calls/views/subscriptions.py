"""Subscribe to a funder's new calls: ask, confirm by the emailed link, cancel by the link in any email."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from calls.forms import SubscribeForm
from calls.notices import read_subscription_token
from calls.selectors import subscriber_numbered
from calls.services import subscriber_cancel, subscriber_confirm, subscriber_subscribe
from fundportal.views.base import PortalPermissionMixin


class SubscribeView(PortalPermissionMixin, FormView):
    permission_required = "fundportal.view_public"
    form_class = SubscribeForm
    template_name = "calls/subscribe.html"

    def form_valid(self, form):
        subscriber_subscribe(funder=self.request.funder, email=form.cleaned_data["email"], language=get_language())
        messages.success(self.request, _("Almost done: we have emailed you a link. Open it to confirm your subscription."))
        return HttpResponseRedirect(reverse("calls:call_list", args=[self.request.funder.slug]))


class SubscriptionTokenView(PortalPermissionMixin, TemplateView):
    """Shows what the link will do; the button (a POST) does it, so mail scanners cannot."""

    permission_required = "fundportal.view_public"
    action = None  # "confirm" or "cancel"

    def get_subscriber(self):
        subscriber_id = read_subscription_token(self.kwargs["token"], self.request.funder)
        subscriber = subscriber_numbered(subscriber_id)
        if subscriber is None:
            raise Http404(_("This link is not valid any more."))
        return subscriber

    def get_template_names(self):
        return [f"calls/subscription_{self.action}.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscriber=self.get_subscriber(), **kwargs)

    def post(self, request, funder_slug, token):
        subscriber = self.get_subscriber()
        if self.action == "confirm":
            subscriber_confirm(subscriber=subscriber)
            messages.success(request, _("Thank you! We will email you when a new call is published."))
        else:
            subscriber_cancel(subscriber=subscriber)
            messages.success(request, _("You will get no more emails about new calls."))
        return HttpResponseRedirect(reverse("calls:call_list", args=[funder_slug]))
