"""The outbox: every email the funder sends, drafts to check and send, and sending progress as it happens."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from fundportal.forms import IdListField
from fundportal.links import personal_links_hidden
from fundportal.models import OutboxEmail
from fundportal.outbox import outbox_edit, outbox_restore, outbox_send, outbox_withhold
from fundportal.selectors import count_by_status, outbox_batches, outbox_emails, sendable
from fundportal.views.base import PortalPermissionMixin


BADGES = {OutboxEmail.Status.SENT: "text-bg-success", OutboxEmail.Status.FAILED: "text-bg-danger",
          OutboxEmail.Status.PENDING: "text-bg-warning", OutboxEmail.Status.PREPARING: "text-bg-info"}


def status_counts(emails):
    """Per status (label, count, badge), and whether an email is still on its way (the page follows it then)."""
    counts = count_by_status(emails)
    return {"rows": [(label, counts.get(status, 0), BADGES.get(status, "text-bg-secondary"))
                     for status, label in OutboxEmail.Status.choices],
            "on_the_way": any(counts.get(status) for status in OutboxEmail.ON_THE_WAY)}


class OutboxFilterMixin:
    @cached_property
    def batch(self):
        return self.request.GET.get("batch", "")

    def filtered(self):
        """The emails the page shows: by batch, status and a search of recipient and subject."""
        return outbox_emails(batch=self.batch, search=self.request.GET.get("q", "").strip(),
                             status=self.request.GET.get("status", ""))


class SendForm(forms.Form):
    selected = IdListField(required=False)


class OutboxView(PortalPermissionMixin, OutboxFilterMixin, ListView):
    permission_required = "fundportal.manage_outbox"
    template_name = "fundportal/outbox.html"
    context_object_name = "emails"
    paginate_by = 50

    def get_queryset(self):
        return self.filtered().order_by("-created", "-id")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            batch=self.batch, batches=outbox_batches(), counts=status_counts(self.filtered()),
            statuses=OutboxEmail.Status.choices, query_string=query.urlencode(), **kwargs)

    def post(self, request, funder_slug):
        form = SendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Which emails to send was not understood; nothing was sent."))
            return HttpResponseRedirect(request.get_full_path())
        sent = outbox_send(emails=sendable(self.filtered(), form.cleaned_data["selected"]))
        messages.success(request, ngettext("%(count)d email is on its way.", "%(count)d emails are on their way.", sent)
                         % {"count": sent})
        return HttpResponseRedirect(request.get_full_path())


class OutboxProgressView(PortalPermissionMixin, OutboxFilterMixin, TemplateView):
    """The counts of the outbox (or a batch), polled by the outbox page while emails are on their way."""

    permission_required = "fundportal.manage_outbox"
    template_name = "fundportal/_outbox_progress.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(counts=status_counts(self.filtered()), batch=self.batch, **kwargs)


class DraftForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=998)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 14}))


class OutboxEmailView(PortalPermissionMixin, FormView):
    """One email: read it, and change it while it is a draft."""

    permission_required = "fundportal.manage_outbox"
    template_name = "fundportal/outbox_email.html"
    form_class = DraftForm

    @cached_property
    def email(self):
        return get_object_or_404(OutboxEmail, pk=self.kwargs["email_id"])

    def get_initial(self):
        return {"subject": self.email.subject, "body": self.email.body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.email, body=personal_links_hidden(self.email.body), **kwargs)

    def post(self, request, *args, **kwargs):
        for action, service, message in (
                ("withhold", outbox_withhold, _("The email is withheld and will not be sent.")),
                ("restore", outbox_restore, _("The email is a draft again."))):
            if action in request.POST:
                try:
                    service(email=self.email)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, message)
                return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            outbox_edit(email=self.email, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The draft is saved."))
        return HttpResponseRedirect(self.request.path)


class OutboxAttachmentView(PortalPermissionMixin, View):
    permission_required = "fundportal.manage_outbox"

    def get(self, request, funder_slug, email_id):
        email = get_object_or_404(OutboxEmail, pk=email_id)
        if not email.attachment:
            raise Http404
        return FileResponse(email.attachment.open("rb"), content_type="application/pdf", filename=email.attachment_name)
