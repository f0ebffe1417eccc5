"""What the audit trail keeps of calls (``fundportal.audit``): every recorded edit of a published call, linked to the
call's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from calls.models import Call
from fundportal.audit import Kind, audit_record, register_link, register_sentence


def call_edited(*, call, by, summary):
    """A published call changed (``calls.services.record_change``): recorded with what changed, in short."""
    audit_record(kind=Kind.CALL_EDITED, actor=by, obj=call, label=call.slug, details={"summary": summary[:500]})


register_sentence(Kind.CALL_EDITED, lambda details: _("Edited the call: %(summary)s") % {"summary": details["summary"]})
register_link("calls.call", model=Call,
              url=lambda funder_slug, call: reverse("calls:manage_call", args=[funder_slug, call.slug]))
