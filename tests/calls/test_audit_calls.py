"""The audit trail of calls: each recorded edit of a published call is one event, linked to the call's page."""

import pytest
from django.urls import reverse

from calls.services import call_update
from fundportal.models import AuditEvent, Role
from fundportal.tenancy import scope
from tests.factories import staff

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


def test_editing_a_published_call_is_recorded_once_and_linked_to_the_call(client, funder, open_call):
    admin = staff(funder, Role.ADMINISTRATOR, user__email="admin@rs.example")
    with scope(funder=funder):
        call_update(call=open_call, by=admin, budget=2_000_000, contact="new@rs.example")
        call_update(call=open_call, by=admin, budget=2_000_000)  # nothing changed: nothing recorded
        [edited] = AuditEvent.objects.filter(kind=Kind.CALL_EDITED)
    assert (edited.actor, edited.object_label, edited.details) == (admin, "innovationsfonden",
                                                                   {"summary": "budget, contact"})
    client.force_login(admin)
    page = client.get(reverse("audit", args=[funder.slug]), {"kind": Kind.CALL_EDITED}).content.decode()
    assert "Edited the call: budget, contact" in page
    assert f'href="{reverse("calls:manage_call", args=[funder.slug, open_call.slug])}"' in page
