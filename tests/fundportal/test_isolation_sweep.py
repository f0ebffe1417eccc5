"""Sweep every funder URL: another funder's people get 404, and one funder's objects never show under another."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Attachment, Collaborator
from applications.notices import manager_token
from calls.models import Question, Section, Stage, Subscriber
from calls.notices import subscription_token
from fundportal.models import ExportJob, OutboxEmail, Role
from fundportal.tenancy import scopes_disabled
from review.models import Assignment, BulkDecisionJob
from tests.factories import ApplicationFactory, CallFactory, staff

pytestmark = pytest.mark.django_db


def funder_routes(patterns=None, namespace=""):
    """(url name, view class, argument names) for every pattern under /<funder_slug>/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if patterns is None and "funder_slug" not in str(pattern.pattern):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from funder_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and patterns is not None:
            yield namespace + pattern.name, pattern.callback.view_class, tuple(sorted(pattern.pattern.converters))


ROUTES = sorted(set(funder_routes()), key=lambda route: route[0])
STAFF_ROUTES = [route for route in ROUTES if route[1].permission_required != "fundportal.view_public"]
NOT_OBJECTS = {"action", "extension", "outcome", "language", "number", "kind"}  # arguments that name no funder's object
OBJECT_ROUTES = [route for route in ROUTES if set(route[2]) - NOT_OBJECTS]
ACTIONS = {"calls:manage_action": "publish", "calls:manage_form_action": "move-up"}
PER_ROUTE = {"applications:manager_approval": {"token": "manager_token"}}


@pytest.fixture
def world(funder, other_funder):
    """One object of ``funder`` for each kind of URL argument."""
    call = CallFactory(fund__funder=funder, slug="innovationsfonden-2024")
    application = ApplicationFactory(call=call, manager_email="chef@example.se", manager_decision="pending",
                                     state=State.SUBMITTED, submitted_at=timezone.now(), case_number="IF-2024-0001")
    with scopes_disabled():
        subscriber = Subscriber.objects.create(funder=funder, email="anna@example.se", language="sv")
        section = Section.objects.create(funder=funder, call=call, title={"sv": "Projektet"})
        question = Question.objects.create(funder=funder, section=section, kind="short_text", label={"sv": "Namn"})
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.PANEL, name="Panel")
        assignment = Assignment.objects.create(funder=funder, application=application, stage=stage,
                                               reviewer=staff(funder, Role.PANEL_MEMBER))
        email = OutboxEmail.objects.create(funder=funder, recipient="anna@example.se", subject="Beslut", body="…",
                                           kind="decision", occasion="decision:1", status="draft",
                                           attachment_name="decision.pdf")
        email.attachment.save("decision.pdf", ContentFile(b"%PDF-1.4 letter"))
        attachment = Attachment(
            funder=funder, application=application, question=question, original_name="y.pdf",
            content_type="application/pdf", size=10, uploaded_by=application.applicant)
        attachment.file.save("y.pdf", ContentFile(b"%PDF-1.4 file"))
        collaborator = Collaborator.objects.create(funder=funder, application=application, email="erik@example.se")
        job = ExportJob.objects.create(funder=funder, user=staff(funder, Role.SCREENER), kind="review.queue",
                                       title="Queue", extension="csv", language="sv", expires=timezone.now())
        bulk_job = BulkDecisionJob.objects.create(funder=funder, call=call, by=staff(funder, Role.ADMINISTRATOR),
                                                  outcome="declined", reason="Utanför budgeten.", state="done")
    return {"collaborator_id": collaborator.pk, "call_slug": call.slug, "token": subscription_token(subscriber), "section_id": section.pk,
            "question_id": question.pk, "object_id": question.pk, "application_id": application.pk, "number": 1,
            "attachment_id": attachment.pk, "manager_token": manager_token(application), "assignment_id": assignment.pk, "extension": "csv",
            "email_id": email.pk, "outcome": "granted", "language": "sv", "kind": "receipt", "fund_id": call.fund_id,
            "job_id": job.pk, "bulk_job_id": bulk_job.pk}


def url_for(name, arguments, funder, world):
    values = {argument: ACTIONS[name] if argument == "action" else world[PER_ROUTE.get(name, {}).get(argument, argument)]
              for argument in arguments}
    return reverse(name, kwargs={"funder_slug": funder.slug, **values})


def test_the_sweep_covers_the_funder_pages():
    assert len(STAFF_ROUTES) >= 10 and len(OBJECT_ROUTES) >= 10


@pytest.mark.parametrize(("name", "view", "arguments"), STAFF_ROUTES, ids=[route[0] for route in STAFF_ROUTES])
def test_another_funders_administrator_gets_404_on_staff_pages(client, funder, other_funder, world, name, view, arguments):
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    url = url_for(name, arguments, funder, world)
    response = client.post(url) if "post" in view.http_method_names and "get" not in view.http_method_names else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "view", "arguments"), OBJECT_ROUTES, ids=[route[0] for route in OBJECT_ROUTES])
def test_one_funders_object_is_not_found_under_another_funders_address(client, funder, other_funder, world, name, view, arguments):
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    url = url_for(name, arguments, funder, world).replace(f"/{funder.slug}/", f"/{other_funder.slug}/", 1)
    response = client.post(url) if "get" not in view.http_method_names else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "view", "arguments"), STAFF_ROUTES, ids=[route[0] for route in STAFF_ROUTES])
def test_the_funders_own_administrator_opens_every_page_without_a_server_error(client, funder, world, name, view,
                                                                                arguments):
    """The other side of the sweep: the same addresses answer the funder's own administrator (no 404, no 500)."""
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = url_for(name, arguments, funder, world)
    if "get" not in view.http_method_names:
        return  # actions are posted with their forms; their own tests cover them
    response = client.get(url)
    assert response.status_code < 500, url
    if name not in NOTHING_THERE_YET:
        assert response.status_code != 404, url


# Pages that answer 404 while the world has nothing for them: no released or recorded decision, no open period,
# a file type not offered, an assignment or an export that is somebody else's; the world's application is submitted
# (staff read an application from its submission on) and waits for screening, so it has no decision yet.
NOTHING_THERE_YET = {"applications:decision_letter", "review:decision_letter_preview", "applications:start",
                     "applications:report_export", "review:review", "review:decision",
                     "export_job", "export_job_progress", "export_job_download"}
