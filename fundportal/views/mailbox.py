"""The local mailbox: read the mail the portal sent you (development and demo)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from fundportal.mail import new_account_address, new_account_mail
from fundportal.selectors import mail_of
from fundportal.views.base import PortalPermissionMixin


class OwnMailMixin(PortalPermissionMixin):
    permission_required = "fundportal.signed_in"

    def get_permission_object(self):
        return None

    def get_queryset(self):
        return mail_of(self.request.user)


class MailboxView(OwnMailMixin, ListView):
    template_name = "fundportal/mailbox.html"
    context_object_name = "mails"
    paginate_by = 25


class MailView(OwnMailMixin, DetailView):
    template_name = "fundportal/mail.html"
    context_object_name = "mail"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class UnverifiedMailboxView(PortalPermissionMixin, ListView):
    """The mail of the account this browser has just signed up, until its address is verified: a new account reads
    the verification email it needs before it can sign in. Anyone else's mail is never shown."""

    permission_required = "fundportal.view_public"
    template_name = "fundportal/mailbox_new_account.html"
    context_object_name = "mails"

    def get_queryset(self):
        self.address = new_account_address(self.request)
        if self.address is None:
            raise Http404
        return new_account_mail(self.address)

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, **kwargs)
