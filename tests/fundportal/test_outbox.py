"""What every outgoing email looks like."""

import pytest

from fundportal.tenancy import scope

pytestmark = pytest.mark.django_db


def test_every_email_has_a_plain_text_part_and_the_funders_html_layout(funder):
    from fundportal.outbox import email_queue

    funder.primary_colour = "#002d5a"
    funder.save()
    with scope(funder=funder):
        email = email_queue(funder=funder, recipient="anna@example.se", subject="Ansökan mottagen",
                            body="Tack!\n\nSe https://example.se/a/1", kind="receipt", occasion="receipt:x")
    assert email.body.startswith("Tack!")
    assert "#002d5a" in email.html and "Region Stockholm" in email.html
    assert '<a href="https://example.se/a/1"' in email.html


def test_an_administrator_finds_the_email_sent_to_one_applicant(client, funder):
    from django.urls import reverse

    from fundportal.models import Role
    from fundportal.outbox import email_queue
    from tests.factories import staff

    with scope(funder=funder):
        for name in ("anna", "bertil", "cecilia"):
            email_queue(funder=funder, recipient=f"{name}@example.se", subject=f"Beslut för {name.title()}", body="…",
                        kind="decision", occasion=f"decision:{name}", draft=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "BERTIL"}).content.decode()
    assert "bertil@example.se" in page and "anna@example.se" not in page and "cecilia@example.se" not in page
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "Beslut för Cecilia"}).content.decode()
    assert "cecilia@example.se" in page and "bertil@example.se" not in page
    page = client.get(reverse("outbox", args=[funder.slug]), {"q": "nobody"}).content.decode()
    assert "No email matches." in page


def test_an_smtp_failure_is_retried_and_shows_in_the_outbox_until_it_is_sent(client, funder, settings, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    """A real SMTP connection to a port where no server listens: refused, retried, stored, then sent once a
    server answers again."""
    import socket

    from django.urls import reverse

    from fundportal.models import LocalMail, OutboxEmail, Role
    from fundportal.outbox import email_queue, outbox_send
    from fundportal.tasks import send_outbox_email
    from tests.factories import staff

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    with scope(funder=funder):
        email = email_queue(funder=funder, recipient="anna@example.se", subject="Beslut", body="…", kind="decision",
                            occasion="decision:smtp", draft=True)
        OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxEmail.Status.PENDING)
    from fundportal.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)  # let the in-process retries run as a worker's
    result = send_outbox_email.apply(kwargs={"funder_id": funder.pk, "email_id": email.pk})
    assert result.failed()  # every retry was refused too
    with scope(funder=funder):
        email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED and email.attempts == 7  # the first try and six retries
    assert "refused" in email.last_error.lower()

    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.get(reverse("outbox", args=[funder.slug]), {"status": "failed"}).content.decode()
    assert "anna@example.se" in page and "Failed; will retry" in page and "refused" in page.lower()
    assert "1 email failed" in client.get(reverse("funder_dashboard", args=[funder.slug])).content.decode()

    settings.EMAIL_BACKEND = "fundportal.mail.LocalMailboxBackend"  # the mail server answers again
    with scope(funder=funder), django_capture_on_commit_callbacks(execute=True):
        assert outbox_send(emails=[email]) == 1  # the administrator sends it again
    with scope(funder=funder):
        email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 8
    assert LocalMail.objects.filter(recipient="anna@example.se").count() == 1


def test_a_withheld_draft_is_not_sent_until_it_is_a_draft_again(client, funder, mailoutbox_to_db,
                                                                 django_capture_on_commit_callbacks):
    from django.urls import reverse

    from fundportal.models import LocalMail, OutboxEmail, Role
    from fundportal.outbox import email_queue
    from tests.factories import staff

    with scope(funder=funder):
        kept, other = (email_queue(funder=funder, recipient=f"{name}@example.se", subject="Beslut", body="…",
                                   kind="decision", occasion=f"decision:{name}", draft=True, batch="decisions:9")
                       for name in ("anna", "bertil"))
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.post(reverse("outbox_email", args=[funder.slug, kept.pk]), {"withhold": "1"}, follow=True)
    assert "The email is withheld and will not be sent." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox", args=[funder.slug]) + "?batch=decisions:9")  # send every draft of the batch
    assert list(LocalMail.objects.values_list("recipient", flat=True)) == ["bertil@example.se"]

    page = client.post(reverse("outbox_email", args=[funder.slug, other.pk]), {"withhold": "1"}, follow=True)
    assert "Only a draft can be withheld." in page.content.decode()  # already sent
    client.post(reverse("outbox_email", args=[funder.slug, kept.pk]), {"restore": "1"})
    with scope(funder=funder):
        kept.refresh_from_db()
    assert kept.status == OutboxEmail.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox", args=[funder.slug]) + "?batch=decisions:9")
    assert LocalMail.objects.filter(recipient="anna@example.se").count() == 1


@pytest.mark.parametrize("selected", [["abc"], ["1", "abc"], ["1.5"], ["99999999999999999999"]])
def test_a_garbled_choice_of_emails_sends_nothing_and_says_so(client, funder, selected):
    from django.urls import reverse

    from fundportal.models import OutboxEmail, Role
    from fundportal.outbox import email_queue
    from tests.factories import staff

    with scope(funder=funder):
        email_queue(funder=funder, recipient="anna@example.se", subject="Beslut", body="…", kind="decision",
                    occasion="decision:anna", draft=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    response = client.post(reverse("outbox", args=[funder.slug]), {"selected": selected}, follow=True)
    assert response.status_code == 200
    assert "Which emails to send was not understood; nothing was sent." in response.content.decode()
    with scope(funder=funder):
        assert OutboxEmail.objects.get().status == OutboxEmail.Status.DRAFT


def test_a_personal_link_typed_into_a_draft_never_opens_someone_elses_account(
        client, funder, mailoutbox_to_db, django_capture_on_commit_callbacks):
    """Stand-ins are made into links only for the email's own recipient."""
    from django.urls import reverse

    from fundportal.links import personal_link
    from fundportal.models import LocalMail, OutboxEmail, Role, User
    from fundportal.outbox import email_queue
    from tests.factories import staff

    funder.default_language = "en"  # the language of the refusal in the email
    funder.save()
    victim = User.objects.create_user("victim@example.se")
    victim.set_unusable_password()
    victim.save()
    with scope(funder=funder):
        draft = email_queue(funder=funder, recipient="anna@example.se", subject="Beslut", body="Hej", kind="decision",
                            occasion="decision:anna", draft=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = reverse("outbox_email", args=[funder.slug, draft.pk])
    client.post(page, {"subject": "Beslut", "body": f"Hej {personal_link('set-password', victim.pk)}"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox", args=[funder.slug]), {"selected": [draft.pk]})
    with scope(funder=funder):
        assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
    sent = LocalMail.objects.get(recipient="anna@example.se")
    assert "/accounts/password/reset/key/" not in sent.body + sent.html
    assert "Hej [this link is no longer valid]" in sent.body
