"""Who may open which page of an application; everyone else gets 404, and the counts stay flat."""

import pytest
from django.urls import reverse

from applications.models import Collaborator
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
    "administrator":    (200, 403, 403, 403, 200, 200),
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
