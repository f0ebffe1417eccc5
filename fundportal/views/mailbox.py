"""The local mailbox: read the mail the portal sent you (development and demo)."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from fundportal.models import LocalMail
from fundportal.views.base import PortalPermissionMixin


class OwnMailMixin(PortalPermissionMixin):
    permission_required = "fundportal.signed_in"

    def get_permission_object(self):
        return None

    def get_queryset(self):
        return LocalMail.objects.filter(recipient=self.request.user.email.lower())


class MailboxView(OwnMailMixin, ListView):
    template_name = "fundportal/mailbox.html"
    context_object_name = "mails"
    paginate_by = 25


class MailView(OwnMailMixin, DetailView):
    template_name = "fundportal/mail.html"
    context_object_name = "mail"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
