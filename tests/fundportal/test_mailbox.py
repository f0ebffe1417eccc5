"""The local mailbox of development and the demo: a new account reads its verification email before it can sign in,
and no one reads anyone else's mail."""

import re

import pytest
from django.core.mail import send_mail
from django.test import Client
from django.urls import reverse

from fundportal.models import LocalMail, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mailoutbox_to_db")]

PASSWORD = "Ett-långt-lösenord-2026"


def sign_up(client, email):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD},
                       follow=True)


def test_a_new_account_reads_its_verification_email_and_can_then_sign_in(client):
    send_mail("Sent before the account existed", "Not yours to read", None, ["nora@example.no"])
    page = sign_up(client, "Nora@Example.no").content.decode()
    assert "Read the email in this installation" in page

    mailbox = client.get(reverse("mailbox_new_account")).content.decode()
    assert "Sent before the account existed" not in mailbox
    confirm = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mailbox).group(1)
    client.post(confirm)
    assert client.get(reverse("mailbox_new_account")).status_code == 404  # verified: sign in instead
    assert Client().login(email="nora@example.no", password=PASSWORD)


def test_another_browser_cannot_read_a_new_accounts_mail(client):
    sign_up(client, "nora@example.no")
    stranger = Client()
    assert stranger.get(reverse("mailbox_new_account")).status_code == 404
    assert "Read the email in this installation" not in stranger.get(reverse("account_email_verification_sent")).content.decode()


def test_signing_up_with_someone_elses_address_reads_none_of_their_mail(client):
    User.objects.create_user("erik@example.org", "erik-has-a-password-1")
    send_mail("For Erik", "Private", None, ["erik@example.org"])
    sign_up(client, "erik@example.org")
    assert client.get(reverse("mailbox_new_account")).status_code == 404
    assert LocalMail.objects.filter(recipient="erik@example.org").count() == 2  # his mail and "you have an account"


@pytest.mark.parametrize("mails", [0, 30])
def test_the_new_accounts_mailbox_reads_in_the_same_queries_however_much_mail_came(client, mails,
                                                                                    django_assert_max_num_queries):
    sign_up(client, "nora@example.no")
    for number in range(mails):
        send_mail(f"Reminder {number}", "Body", None, ["nora@example.no"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("mailbox_new_account"))
    assert page.status_code == 200 and page.content.decode().count("Reminder ") == mails
