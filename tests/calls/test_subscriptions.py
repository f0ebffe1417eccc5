"""Anyone can hear about a funder's new calls: double opt-in, unsubscribe in every email, one send per call."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from calls.models import Subscriber
from calls.services import call_publish, call_unpublish
from fundportal.models import LocalMail, OutboxEmail
from fundportal.tenancy import scope
from tests.factories import CallFactory, make_publishable, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),  # emails are queued on commit
    pytest.mark.usefixtures("mailoutbox_to_db"),  # and read back from the local mailbox
]

def link(mail, name):
    return re.search(rf"http://\S+/subscribe/{name}/\S+/", mail.body).group(0).split("127.0.0.1:8000", 1)[-1]


def subscribe(client, funder, email):
    return client.post(reverse("calls:subscribe", args=[funder.slug]), {"email": email}, follow=True)


def test_a_subscriber_confirms_by_the_emailed_link_and_then_hears_of_a_new_call_once(client, funder):
    response = subscribe(client, funder, "Ingrid@Kommune.no")
    assert "we have emailed you a link" in response.content.decode()
    confirmation = LocalMail.objects.get(recipient="ingrid@kommune.no")
    assert "Confirm" in confirmation.subject and "/subscribe/cancel/" in confirmation.body

    call = make_publishable(CallFactory(fund__funder=funder, title={"en": "Innovation 2025"}))
    admin = staff(funder)
    with scope(funder=funder):
        call_publish(call=call, by=admin)
    assert LocalMail.objects.filter(subject__contains="Innovation 2025").count() == 0  # not confirmed yet

    confirm_page = client.get(link(confirmation, "confirm"))
    assert confirm_page.status_code == 200 and "ingrid@kommune.no" in confirm_page.content.decode()
    client.post(link(confirmation, "confirm"))
    with scope(funder=funder):
        assert Subscriber.objects.get().confirmed_at is not None

    second = make_publishable(CallFactory(fund__funder=funder, title={"en": "Innovation 2026"}))
    with scope(funder=funder):
        call_publish(call=second, by=admin)
        call_unpublish(call=second, by=admin)
        call_publish(call=second, by=admin)  # a re-publish sends nothing again
    announcements = LocalMail.objects.filter(subject__contains="Innovation 2026")
    assert announcements.count() == 1
    assert "/subscribe/cancel/" in announcements.get().body


def test_unsubscribing_by_the_link_stops_the_emails(client, funder):
    subscribe(client, funder, "ola@example.no")
    mail = LocalMail.objects.get(recipient="ola@example.no")
    client.post(link(mail, "confirm"))
    client.post(link(mail, "cancel"))
    with scope(funder=funder):
        assert not Subscriber.objects.exists()
        call_publish(call=make_publishable(CallFactory(fund__funder=funder)), by=staff(funder))
    assert LocalMail.objects.filter(recipient="ola@example.no").count() == 1


def test_a_tampered_or_other_funders_link_is_not_found(client, funder, other_funder):
    subscribe(client, funder, "ola@example.no")
    path = link(LocalMail.objects.get(), "confirm")
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get(path.replace(funder.slug, other_funder.slug)).status_code == 404


def test_subscribing_twice_sends_one_confirmation(client, funder):
    subscribe(client, funder, "ola@example.no")
    subscribe(client, funder, "ola@example.no")
    assert LocalMail.objects.filter(recipient="ola@example.no").count() == 1


def test_an_invalid_address_is_refused_with_a_message(client, funder):
    response = client.post(reverse("calls:subscribe", args=[funder.slug]), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    with scope(funder=funder):
        assert not OutboxEmail.objects.exists()


def test_the_confirmation_is_written_in_the_subscribers_language(funder):
    browser = Client()
    browser.cookies["django_language"] = "sv"
    browser.post(reverse("calls:subscribe", args=[funder.slug]), {"email": "anna@example.se"})
    assert LocalMail.objects.get().subject.startswith("Bekräfta")


@pytest.mark.services
def test_on_the_real_worker_a_confirmed_subscriber_hears_of_a_call_once(celery_worker_process, client, funder):
    from tests.conftest import wait_for

    subscribe(client, funder, "ingrid@kommune.no")
    assert wait_for(lambda: LocalMail.objects.filter(recipient="ingrid@kommune.no").exists())
    client.post(link(LocalMail.objects.get(recipient="ingrid@kommune.no"), "confirm"))

    call = make_publishable(CallFactory(fund__funder=funder, title={"en": "Innovation 2025", "sv": "Innovationsfonden 2025"}))
    admin = staff(funder)
    with scope(funder=funder):
        call_publish(call=call, by=admin)
        call_unpublish(call=call, by=admin)
        call_publish(call=call, by=admin)
    assert wait_for(lambda: LocalMail.objects.filter(subject__contains="Innovation 2025").exists())
    with scope(funder=funder):
        assert wait_for(lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists())
    assert LocalMail.objects.filter(subject__contains="Innovation 2025").count() == 1


def test_the_outbox_never_holds_a_subscribers_links(client, funder):
    """Whoever reads the funder's outbox could otherwise confirm or end anyone's subscription."""
    subscribe(client, funder, "ola@example.no")
    client.post(link(LocalMail.objects.get(recipient="ola@example.no"), "confirm"))
    with scope(funder=funder):
        call_publish(call=make_publishable(CallFactory(fund__funder=funder, title={"en": "Innovation 2027"})),
                     by=staff(funder))
        stored = list(OutboxEmail.objects.values_list("body", "html"))
    assert len(stored) == 2 and not any("/subscribe/" in body + html for body, html in stored)
    announcement = LocalMail.objects.get(subject__contains="Innovation 2027")
    client.post(link(announcement, "cancel"))
    with scope(funder=funder):
        assert not Subscriber.objects.exists()
