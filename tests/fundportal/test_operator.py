"""An operator onboards a funder and its first fund administrator, who then runs the rest."""

import pytest
from django.urls import reverse

from fundportal.models import Funder, Membership, OutboxEmail, Role
from fundportal.tenancy import scope
from tests.factories import FunderFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

NEW_FUNDER = {"name": "Region Västerbotten", "slug": "region-vasterbotten", "short_name": "RV", "default_language": "sv",
              "currency": "SEK", "time_zone": "Europe/Stockholm", "primary_colour": "#00653b",
              "administrator_email": "anna.ek@regionvasterbotten.example"}


@pytest.fixture
def operator(db):
    return UserFactory(is_superuser=True, is_staff=True)


def test_an_operator_onboards_a_funder_and_its_first_administrator_is_emailed(client, operator):
    client.force_login(operator)
    page = client.post(reverse("operator"), NEW_FUNDER, follow=True).content.decode()
    assert "Region Västerbotten is on board; anna.ek@regionvasterbotten.example has been emailed a link" in page
    assert 'href="/operator/"' in page  # the operator's account menu leads here
    funder = Funder.objects.get(slug="region-vasterbotten")
    assert (funder.short_name, funder.time_zone, funder.primary_colour) == ("RV", "Europe/Stockholm", "#00653b")
    with scope(funder=funder):
        membership = Membership.objects.get()
        invitation = OutboxEmail.objects.get(kind="staff_invitation")
    assert membership.role == Role.ADMINISTRATOR and membership.user.email == NEW_FUNDER["administrator_email"]
    assert invitation.recipient == NEW_FUNDER["administrator_email"] and "Fondadministratör" in invitation.body

    client.force_login(membership.user)  # the new administrator can run the funder's pages at once
    assert client.get(reverse("people", args=[funder.slug])).status_code == 200


def test_a_reserved_or_taken_address_is_refused_and_the_form_keeps_the_rest(client, operator):
    FunderFactory(slug="region-stockholm")
    client.force_login(operator)
    page = client.post(reverse("operator"), {**NEW_FUNDER, "slug": "admin"}).content.decode()
    assert "“admin” is reserved by the portal." in page and 'value="Region Västerbotten"' in page
    page = client.post(reverse("operator"), {**NEW_FUNDER, "slug": "region-stockholm"}).content.decode()
    assert "Funder with this Address name already exists." in page
    assert not Funder.objects.filter(name="Region Västerbotten").exists()


@pytest.mark.parametrize("who", ["administrator", "applicant"])
def test_only_operators_onboard_funders(client, funder, who):
    client.force_login(staff(funder, Role.ADMINISTRATOR) if who == "administrator" else UserFactory())
    assert client.get(reverse("operator")).status_code == 403
    assert 'href="/operator/"' not in client.get(reverse("home")).content.decode()
    assert client.post(reverse("operator"), NEW_FUNDER).status_code == 403
    assert not Funder.objects.filter(slug="region-vasterbotten").exists()


def test_a_visitor_is_asked_to_sign_in(client):
    assert client.get(reverse("operator")).url.startswith("/accounts/login/")


def test_the_operator_page_keeps_its_query_count(client, operator, django_assert_max_num_queries):
    client.force_login(operator)
    FunderFactory()
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("operator"))
    for _number in range(15):
        staff(FunderFactory(), Role.ADMINISTRATOR)
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("operator"))
    assert len(many) == len(one)


def test_an_operator_opens_no_funders_pages_by_being_a_superuser(client, operator, open_call):
    """The platform runs the funders' portal; it does not read their applications or stand in for their staff."""
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(call=open_call)
    client.force_login(operator)
    funder = open_call.funder.slug
    for url in (reverse("people", args=[funder]), reverse("review:queue", args=[funder]),
                reverse("applications:detail", args=[funder, application.pk]),
                reverse("applications:section", args=[funder, application.pk, 1])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("admin:fundportal_funder_changelist")).status_code == 200  # the admin site still works
