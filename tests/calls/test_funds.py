"""Fund administrators create and rename their funds; the code goes into later case numbers."""

import pytest
from django.urls import reverse

from calls.models import Fund
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import FundFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def funds_url(funder):
    return reverse("calls:manage_funds", args=[funder.slug])


def test_an_administrator_creates_the_first_fund_from_the_empty_dashboard(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    dashboard = client.get(reverse("calls:manage_calls", args=[funder.slug])).content.decode()
    assert "There is no fund yet." in dashboard and funds_url(funder) in dashboard
    page = client.post(funds_url(funder), {"name": "Innovationsfonden", "code": "if", "description": "Två perioder per år"},
                       follow=True).content.decode()
    assert "The fund Innovationsfonden is saved." in page
    with scope(funder=funder):
        fund = Fund.objects.get()
    assert (fund.name, fund.code, fund.funder) == ("Innovationsfonden", "IF", funder)


def test_a_bad_code_or_a_taken_name_is_refused_and_the_text_kept(client, funder):
    FundFactory(funder=funder, name="StimuLab", code="SL")
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.post(funds_url(funder), {"name": "Nya fonden", "code": "N-F"}).content.decode()
    assert "Use letters and digits only, e.g. IF." in page and 'value="Nya fonden"' in page
    page = client.post(funds_url(funder), {"name": "stimulab", "code": "S2"}).content.decode()
    assert "There is already a fund with this name." in page
    with scope(funder=funder):
        assert Fund.objects.count() == 1


def test_renaming_a_fund_keeps_its_calls(client, funder, open_call):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    fund = open_call.fund
    client.post(reverse("calls:manage_fund", args=[funder.slug, fund.pk]), {"name": "Innovationsfonden 2.0", "code": "IF2"})
    with scope(funder=funder):
        fund.refresh_from_db()
        assert (fund.name, fund.code, fund.calls.count()) == ("Innovationsfonden 2.0", "IF2", 1)


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403),
                                              (Role.STEERING_MEMBER, 403), (None, 404)])
def test_only_administrators_keep_the_funds(client, funder, role, status):
    fund = FundFactory(funder=funder)
    client.force_login(staff(funder, role) if role else UserFactory())
    for url in (funds_url(funder), reverse("calls:manage_fund", args=[funder.slug, fund.pk])):
        assert client.get(url).status_code == status


def test_the_funds_page_keeps_its_query_count(client, funder, django_assert_max_num_queries):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    FundFactory(funder=funder)
    with django_assert_max_num_queries(10) as one:
        client.get(funds_url(funder))
    for _number in range(20):
        FundFactory(funder=funder)
    with django_assert_max_num_queries(10) as many:
        client.get(funds_url(funder))
    assert len(many) == len(one)
