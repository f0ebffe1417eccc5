"""Before the most sensitive things — giving roles, exporting personal data, changing an email address, the password
or a second factor — a person confirms it is them (password or second factor) within the last few minutes.

The people here are signed in by a plain client, with two factors but no recent confirmation, unless a story says
so; releasing decisions is told in tests/review/test_release_reauthentication.py.
"""

from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from applications.lifecycle import State
from fundportal.models import ExportJob, Membership, Role
from fundportal.tenancy import scopes_disabled
from tests.factories import PASSWORD, ApplicationFactory, CallFactory, staff
from tests.signing_in import confirmed_just_now, signed_in_with_two_factors, totp_code, with_authenticator_app

pytestmark = pytest.mark.django_db

CONFIRM = reverse("account_reauthenticate")


@pytest.fixture
def administrator(funder):
    return staff(funder, Role.ADMINISTRATOR, user__email="karin@regionstockholm.example")


def signed_in(user):
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    signed_in_with_two_factors(client, user)
    return client


def asked_to_confirm(response, back):
    return response.status_code == 302 and response["Location"] == f"{CONFIRM}?{urlencode({'next': back})}"


def confirm_with_password(client, back):
    return client.post(f"{CONFIRM}?{urlencode({'next': back})}", {"password": PASSWORD})


def invite(client, funder, email="petra.lind@karolinska.example"):
    people = reverse("people", args=[funder.slug])
    return client.post(people, {"email": email, "role": Role.SCREENER}, HTTP_REFERER=f"http://testserver{people}")


def holds_a_role(email):
    with scopes_disabled():
        return Membership.objects.filter(user__email=email).exists()


def test_giving_a_role_asks_to_confirm_first_and_gives_nothing_until_then(funder, administrator):
    client = signed_in(administrator)
    people = reverse("people", args=[funder.slug])
    assert client.get(people).status_code == 200  # reading the team asks nothing

    refused = invite(client, funder)

    assert asked_to_confirm(refused, people) and not holds_a_role("petra.lind@karolinska.example")
    confirm_page = client.get(refused["Location"]).content.decode()
    assert "Nothing was done yet: confirm it is you, then do it again." in confirm_page
    assert confirm_with_password(client, people)["Location"] == people  # back where the form was
    assert invite(client, funder)["Location"] == people
    assert holds_a_role("petra.lind@karolinska.example")


def test_a_wrong_password_confirms_nothing(funder, administrator):
    client = signed_in(administrator)
    people = reverse("people", args=[funder.slug])
    assert client.post(f"{CONFIRM}?next={people}", {"password": "not-it"}).status_code == 200
    assert asked_to_confirm(invite(client, funder), people)


def test_a_confirmation_with_the_second_factor_is_honoured(funder, administrator):
    secret = with_authenticator_app(administrator)
    client = signed_in(administrator)
    people = reverse("people", args=[funder.slug])
    invite(client, funder)

    confirmed = client.post(f"{reverse('mfa_reauthenticate')}?next={people}", {"code": totp_code(secret)})

    assert confirmed["Location"] == people
    invite(client, funder)
    assert holds_a_role("petra.lind@karolinska.example")


def test_a_confirmation_lasts_a_few_minutes(funder, administrator, settings):
    client = signed_in(administrator)
    confirmed_just_now(client, administrator)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the few minutes have passed

    assert asked_to_confirm(invite(client, funder), reverse("people", args=[funder.slug]))
    assert not holds_a_role("petra.lind@karolinska.example")


def test_without_the_right_role_the_answer_is_as_before(funder):
    screener = staff(funder, Role.SCREENER)
    assert invite(signed_in(screener), funder).status_code == 403  # refused, not asked to confirm


@pytest.fixture
def queue(funder):
    call = CallFactory(fund__funder=funder)
    ApplicationFactory(call=call, state=State.SUBMITTED, case_number="RS-IF-2026-0001")
    return reverse("review:queue", args=[funder.slug])


def test_downloading_the_queue_at_once_asks_to_confirm_and_then_downloads(funder, administrator, queue):
    client = signed_in(administrator)
    export = reverse("review:queue_export", args=[funder.slug, "csv"]) + "?sort=case_number"
    assert client.get(queue).status_code == 200  # the list itself asks nothing

    asked = client.get(export)

    assert asked_to_confirm(asked, export)
    assert confirm_with_password(client, export)["Location"] == export
    downloaded = client.get(export)
    assert downloaded.status_code == 200 and "RS-IF-2026-0001" in downloaded.content.decode()


def test_an_export_job_starts_only_once_confirmed_and_its_file_asks_again_later(
        funder, administrator, queue, settings, django_capture_on_commit_callbacks):
    client = signed_in(administrator)
    export = reverse("review:queue_export", args=[funder.slug, "xlsx"])

    refused = client.post(export, HTTP_REFERER=f"http://testserver{queue}")

    assert asked_to_confirm(refused, queue) and not ExportJob.objects.exists()
    confirm_with_password(client, queue)
    with django_capture_on_commit_callbacks(execute=True):  # the job is queued once stored, and runs eagerly here
        job_page = client.post(export, HTTP_REFERER=f"http://testserver{queue}")
    with scopes_disabled():
        job = ExportJob.objects.get()
    assert job_page["Location"] == reverse("export_job", args=[funder.slug, job.pk])
    download = reverse("export_job_download", args=[funder.slug, job.pk])
    assert client.get(download).status_code == 200

    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    assert client.get(job_page["Location"]).status_code == 200  # its progress asks nothing
    assert asked_to_confirm(client.get(download), download)


def test_adding_an_email_address_asks_to_confirm_and_allauth_then_adds_it(funder, administrator):
    client = signed_in(administrator)

    added = client.post(reverse("account_email"), {"action_add": "", "email": "karin.new@regionstockholm.example"})

    assert added["Location"].startswith(CONFIRM)
    assert not EmailAddress.objects.filter(email="karin.new@regionstockholm.example").exists()
    confirm_with_password(client, reverse("account_email"))  # allauth keeps the form it refused and sends it now
    assert EmailAddress.objects.filter(email="karin.new@regionstockholm.example").exists()


def test_changing_the_password_asks_for_the_current_one(funder, administrator):
    client = signed_in(administrator)
    new = {"password1": "an-even-longer-password-43", "password2": "an-even-longer-password-43"}

    client.post(reverse("account_change_password"), {"oldpassword": "not-it", **new})
    assert client.login(email=administrator.email, password=PASSWORD)
    client.post(reverse("account_change_password"), {"oldpassword": PASSWORD, **new})
    administrator.refresh_from_db()
    assert administrator.check_password("an-even-longer-password-43")


def test_turning_off_the_authenticator_app_asks_to_confirm(funder, administrator):
    with_authenticator_app(administrator)
    client = signed_in(administrator)

    asked = client.post(reverse("mfa_deactivate_totp"))

    assert asked["Location"].startswith(CONFIRM)
    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.TOTP).exists()
