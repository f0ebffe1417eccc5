"""Who may open which page of an application; everyone else gets 404, and the counts stay flat."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from applications.models import Application, Attachment, Collaborator
from fundportal.models import Role
from fundportal.tenancy import scopes_disabled
from tests.factories import ApplicationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

PAGES = ["detail", "section", "people", "submit", "pdf", "extension"]
#                    detail section people submit pdf  extension
EXPECTED = {
    "applicant":        (200, 200, 200, 200, 200, 403),
    "editor":           (200, 200, 200, 403, 200, 403),
    "reader":           (200, 403, 403, 403, 200, 403),
    "administrator":    (404, 404, 404, 404, 404, 200),  # staff read from submission on; a draft only gets more time
    "screener":         (404, 404, 404, 404, 404, 404),
    "panel_member":     (404, 404, 404, 404, 404, 404),
    "steering_member":  (404, 404, 404, 404, 404, 404),
    "someone_else":     (404, 404, 404, 404, 404, 404),
    "other_funder":     (404, 404, 404, 404, 404, 404),
}


@pytest.fixture
def application(funder, open_call, applicant):
    application = ApplicationFactory(call=open_call, applicant=applicant)
    with scopes_disabled():
        Collaborator.objects.create(funder=funder, application=application, email="editor@example.se", access="edit")
        Collaborator.objects.create(funder=funder, application=application, email="reader@example.se", access="view")
    return application


def person(kind, funder, other_funder, applicant):
    if kind == "applicant":
        return applicant
    if kind in ("editor", "reader"):
        return UserFactory(email=f"{kind}@example.se")
    if kind == "someone_else":
        return UserFactory()
    if kind == "other_funder":
        return staff(other_funder, Role.ADMINISTRATOR)
    return staff(funder, kind)


def page_url(page, application):
    args = [application.funder.slug, application.pk] + ([1] if page == "section" else [])
    return reverse(f"applications:{page}", args=args)


@pytest.mark.parametrize("kind", EXPECTED)
def test_each_role_gets_what_the_table_says(client, funder, other_funder, applicant, application, kind):
    client.force_login(person(kind, funder, other_funder, applicant))
    got = tuple(client.get(page_url(page, application)).status_code for page in PAGES)
    assert got == EXPECTED[kind]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, application):
    for page in PAGES:
        response = client.get(page_url(page, application))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_section_and_detail_pages_keep_their_query_count(client, funder, open_call, applicant, django_assert_max_num_queries):
    from applications.models import Attachment
    from calls.models import Question

    application = ApplicationFactory(call=open_call, applicant=applicant)
    client.force_login(applicant)
    with django_assert_max_num_queries(25) as one:
        client.get(page_url("section", application))
        client.get(page_url("detail", application))
    with scopes_disabled():
        section = open_call.sections.first()
        file_question = Question.objects.filter(kind="file").first()
        for number in range(10):
            Question.objects.create(funder=funder, section=section, kind="short_text", label={"en": f"Q{number}"})
            Attachment.objects.create(funder=funder, application=application, question=file_question,
                                      file="funders/x/y.pdf", original_name=f"{number}.pdf",
                                      content_type="application/pdf", size=1, uploaded_by=applicant)
    with django_assert_max_num_queries(25) as many:
        client.get(page_url("section", application))
        client.get(page_url("detail", application))
    assert len(many) == len(one)


def attachment_url(application):
    from calls.models import Question

    with scopes_disabled():
        question = Question.objects.filter(section__call=application.call, kind="file").first()
        attachment = Attachment(funder=application.funder, application=application, question=question,
                                original_name="projektplan.pdf", content_type="application/pdf", size=15,
                                uploaded_by=application.applicant)
        attachment.file.save("projektplan.pdf", ContentFile(b"%PDF-1.4 a plan"))
    return reverse("applications:attachment", args=[application.funder.slug, application.pk, attachment.pk])


def test_no_staff_member_opens_a_draft_its_pdf_revisions_or_files_but_its_applicants_do(
        client, funder, other_funder, applicant, application):
    file_url = attachment_url(application)
    urls = [page_url("detail", application), page_url("pdf", application), page_url("revisions", application)]
    for kind in ("administrator", "screener", "panel_member", "steering_member"):
        client.force_login(person(kind, funder, other_funder, applicant))
        assert [client.get(url).status_code for url in [*urls, file_url]] == [404, 404, 404, 404], kind
    for kind in ("applicant", "editor", "reader"):
        client.force_login(person(kind, funder, other_funder, applicant))
        assert [client.get(url).status_code for url in [urls[0], urls[1], file_url]] == [200, 200, 200], kind


def test_an_administrator_reads_an_application_from_its_submission_on_also_once_withdrawn(client, funder, open_call):
    submitted = ApplicationFactory(call=open_call, state=State.SUBMITTED, submitted_at=timezone.now())
    withdrawn = ApplicationFactory(call=open_call, state=State.WITHDRAWN, submitted_at=timezone.now())
    withdrawn_unsubmitted = ApplicationFactory(call=open_call, state=State.WITHDRAWN)
    client.force_login(staff(funder))
    assert client.get(page_url("detail", submitted)).status_code == 200
    assert client.get(page_url("detail", withdrawn)).status_code == 200
    assert client.get(page_url("detail", withdrawn_unsubmitted)).status_code == 404


def test_an_administrator_gives_a_draft_a_later_deadline_and_stays_on_the_extension_page(
        client, funder, application):
    client.force_login(staff(funder))
    until = timezone.localtime(timezone.now() + timedelta(days=40))
    response = client.post(page_url("extension", application), {"until": until.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert response.redirect_chain == [(page_url("extension", application), 302)]
    assert response.status_code == 200
    assert f"deadline is extended to {until:%-d %B %Y}" in response.content.decode()
    application.refresh_from_db()
    assert timezone.localtime(application.extension_until).date() == until.date()


def test_a_submitted_application_gets_no_later_deadline(client, funder, application):
    with scopes_disabled():
        Application.objects.filter(pk=application.pk).update(state=State.SUBMITTED)
    client.force_login(staff(funder))
    until = timezone.localtime(timezone.now() + timedelta(days=40))
    response = client.post(page_url("extension", application), {"until": until.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200 and "Only a draft can get a later deadline" in response.content.decode()
    application.refresh_from_db()
    assert application.extension_until is None
