"""The core's own export (``fundportal.export_jobs``): the audit trail, filtered as on its page — a funder's whole
trail, or one application's (``subject``: the application's id) — read from the database a chunk at a time."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from fundportal.audit import AuditFilterForm, audit_trail, described
from fundportal.export_jobs import ExportKind, register_export_kind
from fundportal.exports import Table, choice_labels
from fundportal.models import AuditEvent

CHUNK = 1000  # events read at a time


def trail_table(*, query: QueryDict, subject: str, extension: str) -> Table:
    application_id = int(subject) if subject else None
    events = audit_trail(application_id=application_id, **AuditFilterForm(query).filters())
    kinds = choice_labels(AuditEvent, "kind")
    header = [_("When"), _("Who"), _("What"), _("Kind"), _("Object"), _("Application"), _("Address")]
    name = f"audit-{subject}" if subject else "audit"
    return Table(filename=f"{name}-{timezone.localdate():%Y-%m-%d}.{extension}", sheets=[(_("Audit trail"), header)],
                 total=events.count(),
                 rows=((0, event_cells(event, kinds)) for event in events.iterator(chunk_size=CHUNK)))


def event_cells(event, kinds):
    return [timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.actor_email, described(event),
            kinds.get(event.kind, event.kind), event.object_label, event.application_id or "", event.address or ""]


register_export_kind(ExportKind(name="fundportal.audit", permission="fundportal.view_audit", table=trail_table,
                                title=lambda subject: _("Audit trail of application %(id)s") % {"id": subject}
                                if subject else _("Audit trail")))
