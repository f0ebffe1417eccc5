"""The front page, a funder's dashboard and the friendly error pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import ApplicationFactory, CallFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def dashboard(funder):
    return reverse("funder_dashboard", args=[funder.slug])


@pytest.mark.parametrize("role", Role.values)
def test_every_staff_role_sees_its_funders_dashboard(client, funder, people, role):
    client.force_login(people[role])
    response = client.get(dashboard(funder))
    assert response.status_code == 200
    assert str(Role(role).label) in response.content.decode()


def test_an_applicant_without_a_role_gets_404_on_the_dashboard(client, funder, people):
    client.force_login(people["applicant"])
    assert client.get(dashboard(funder)).status_code == 404


def test_another_funders_administrator_gets_404(client, funder, other_funder):
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    response = client.get(dashboard(funder))
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, funder):
    response = client.get(dashboard(funder))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_counts_applications_by_status(client, funder, other_funder, people):
    call = CallFactory(fund__funder=funder)
    ApplicationFactory.create_batch(3, call=call, state=State.DRAFT)
    ApplicationFactory(call=call, state=State.GRANTED)
    ApplicationFactory.create_batch(5, call__fund__funder=other_funder)  # not ours
    client.force_login(people["administrator"])
    figures = {figure["label"]: figure["count"] for figure in client.get(dashboard(funder)).context["figures"]}
    assert figures == {"Calls": 1, "Drafts": 3, "Submitted": 0, "In review": 0, "Decided": 1}


def test_the_dashboard_query_count_does_not_grow_with_rows(client, funder, people, django_assert_max_num_queries):
    client.force_login(people["administrator"])
    ApplicationFactory(call__fund__funder=funder)
    with django_assert_max_num_queries(14) as one:
        client.get(dashboard(funder))
    ApplicationFactory.create_batch(30, call__fund__funder=funder)
    with django_assert_max_num_queries(14) as many:
        client.get(dashboard(funder))
    assert len(many) == len(one)


def test_the_front_page_lists_funders_and_where_you_work(client, funder, other_funder, people):
    client.force_login(people["screener"])
    page = client.get("/").content.decode()
    assert "Region Stockholm" in page and "Forskningsrådet" in page
    assert "Where you work" in page and "Pre-screener" in page


def test_an_unknown_funder_address_is_a_friendly_404(client, db):
    response = client.get("/no-such-funder/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_health_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"].startswith("ok")


def test_a_funder_page_wears_the_funders_colour_and_name(client, funder):
    funder.primary_colour = "#002d5a"
    funder.save()
    page = client.get(reverse("calls:call_list", args=[funder.slug])).content.decode()
    assert "--funder-colour: #002d5a" in page
    assert "Region Stockholm" in page


def test_someone_signed_in_reads_only_their_own_mail(client, db, mailoutbox_to_db):
    from django.core.mail import send_mail

    anna = UserFactory(email="anna@example.org")
    UserFactory(email="erik@example.org")
    send_mail("For Anna", "Hello Anna", None, ["anna@example.org"])
    send_mail("For Erik", "Hello Erik", None, ["erik@example.org"])
    client.force_login(anna)
    page = client.get(reverse("mailbox")).content.decode()
    assert "For Anna" in page and "For Erik" not in page
    from fundportal.models import LocalMail

    eriks = LocalMail.objects.get(recipient="erik@example.org")
    assert client.get(reverse("mail", args=[eriks.pk])).status_code == 404


def test_the_mailbox_query_count_does_not_grow(client, db, mailoutbox_to_db, django_assert_max_num_queries):
    from django.core.mail import send_mail

    anna = UserFactory(email="anna@example.org")
    client.force_login(anna)
    send_mail("One", "1", None, ["anna@example.org"])
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("mailbox"))
    for number in range(20):
        send_mail(f"Mail {number}", "text", None, ["anna@example.org"])
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("mailbox"))
    assert len(many) == len(one)


def test_the_dashboard_lists_what_waits_for_each_role(client, funder, other_funder, people):
    from fundportal.outbox import email_queue
    from calls.models import Stage
    from review.models import Assignment, Decision

    call = CallFactory(fund__funder=funder, slug="innovationsfonden")
    ApplicationFactory.create_batch(2, call=call, state=State.SUBMITTED)
    ApplicationFactory.create_batch(4, call__fund__funder=other_funder, state=State.SUBMITTED)  # not ours
    decided = ApplicationFactory(call=call, state=State.IN_REVIEW)
    with scope(funder=funder):
        Decision.objects.create(funder=funder, application=decided, outcome="granted", amount=1000,
                                decided_by=people["administrator"])
        stage = Stage.objects.create(funder=funder, call=call, position=0, kind=Stage.Kind.PANEL, name="Panel")
        Assignment.objects.create(funder=funder, application=decided, stage=stage, reviewer=people["panel_member"],
                                  due=timezone.localdate() - timedelta(days=2), has_conflict=False)
        email_queue(funder=funder, recipient="a@example.se", subject="s", body="b", kind="k", occasion="o", draft=True)

    client.force_login(people["administrator"])
    work = {label: url for label, _count, url in client.get(dashboard(funder)).context["work"]}
    assert list(work) == ["2 applications wait for screening", "1 decision to release", "1 email draft to check and send",
                          "1 review is late"]
    assert work["1 review is late"] == reverse("review:progress", args=[funder.slug, call.slug])
    client.force_login(people["screener"])
    assert [label for label, _c, _u in client.get(dashboard(funder)).context["work"]] == [
        "2 applications wait for screening"]
    client.force_login(people["panel_member"])
    page = client.get(dashboard(funder)).content.decode()
    assert "1 review to do" in page and "screening" not in page.split("Waiting for you")[1].split("</section>")[0]
    client.force_login(people["steering_member"])
    assert [label for label, _c, _u in client.get(dashboard(funder)).context["work"]] == ["1 decision to release"]


def test_someone_not_signed_in_is_asked_to_sign_in_before_any_staff_page_looks_anything_up(client, funder):
    response = client.get(reverse("review:review", args=[funder.slug, 999]))  # was a 500: the lookup ran on nobody
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
