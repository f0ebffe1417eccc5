"""Sign-in with a funder's e-ID, end to end against a local OpenID Connect provider (tests/fundportal/oidc_provider.py):
the administrator sets the broker up, people sign in through it from the funder's pages, and every answer a broken
or hostile broker could give is refused with a message and nobody signed in."""

import html
import re
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from fundportal.identity import decrypt_secret, identity_provider_save
from fundportal.models import IdentityProvider, Role, User
from fundportal.tenancy import scope, scopes_disabled
from tests.factories import PASSWORD, UserFactory, staff
from tests.fundportal.oidc_provider import CLIENT_ID, CLIENT_SECRET, local_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    with local_provider() as provider:
        yield provider


@pytest.fixture
def bankid(funder, broker):
    return identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                                  client_secret=CLIENT_SECRET, enabled=True)


def sign_in_page(client, funder):
    return client.get(reverse("account_login") + f"?next=/{funder.slug}/calls/").content.decode()


def e_id_button(page):
    """The action of the sign-in page's e-ID form, or None."""
    found = re.search(r'<form method="post" action="([^"]*/sign-in/e-id/[^"]*)"', page)
    return html.unescape(found[1]) if found else None


def through_the_broker(client, start_url, data=None):
    """Press the e-ID button: to the broker, which approves at once, and back to the portal (following its redirects)."""
    to_broker = client.post(start_url, data or {})
    assert to_broker.status_code == 302, to_broker.content[:500]
    back = requests.get(to_broker["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}", follow=True)


def sign_in_with_e_id(client, funder):
    action = e_id_button(sign_in_page(client, funder))
    assert action, "the sign-in page shows no e-ID button"
    return through_the_broker(client, action)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- signing in -------------------------------------------------------------------------------------------------

def test_a_new_person_signs_in_with_the_funders_e_id_and_gets_an_account(client, funder, broker, bankid):
    page = sign_in_page(client, funder)
    assert "Sign in with BankID" in page and 'name="password"' in page

    landed = sign_in_with_e_id(client, funder)

    assert landed.redirect_chain[-1][0] == f"/{funder.slug}/calls/"
    anna = signed_in_user(client)
    assert anna.email == "anna.andersson@example.se" and anna.get_full_name() == "Anna Andersson"
    assert EmailAddress.objects.get(user=anna).verified
    account = SocialAccount.objects.get(user=anna)
    assert (account.provider, account.uid) == (f"e-id-{funder.pk}", "7c1d-anna")
    kept = repr(account.extra_data)
    assert "7c1d-anna" in kept and "198112289874" not in kept and "1981-12-28" not in kept
    assert not SocialToken.objects.exists()
    asked = broker.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256" and len(asked["nonce"]) >= 32
    assert broker.token_requests[-1]["code_verifier"]


def test_signing_in_again_signs_in_the_same_account(client, funder, broker, bankid):
    sign_in_with_e_id(client, funder)
    first = signed_in_user(client)
    client.post(reverse("account_logout"))
    sign_in_with_e_id(client, funder)
    assert signed_in_user(client) == first and User.objects.count() == 1


REFUSALS = {
    "another issuer": ({"issuer": "https://impostor.example"}, "comes from another issuer"),
    "another audience": ({"audience": "someone-else"}, "was meant for another service"),
    "a nonce of its own": ({"nonce": "a-replayed-nonce"}, "does not belong to this sign-in"),
    "no nonce": ({"nonce": None}, "does not belong to this sign-in"),
    "HS256 with the client secret": ({"hs256": True}, "was not signed with its published keys"),
    "a key it never published": ({"rogue_key": True}, "was not signed with its published keys"),
    "an expired token": ({"expired": True}, "has expired"),
}


@pytest.mark.parametrize("how", REFUSALS, ids=list(REFUSALS))
def test_a_broker_answering_wrongly_signs_nobody_in_and_says_why(client, funder, broker, bankid, how):
    misbehaviour, message = REFUSALS[how]
    broker.misbehave(**misbehaviour)

    refused = sign_in_with_e_id(client, funder)

    assert refused.status_code == 401
    assert message in refused.content.decode() and "The sign-in did not succeed" in refused.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_the_callback_without_a_sign_in_of_this_browser_signs_nobody_in(client, funder, broker, bankid):
    response = client.get(reverse("e_id_callback", kwargs={"funder_slug": funder.slug}) + "?code=x&state=forged")
    assert "The sign-in did not succeed" in response.content.decode()
    assert signed_in_user(client) is None


@pytest.mark.parametrize("query", [{}, {"code": "x", "state": "<script>alert(1)</script>"}, {"error": "access_denied"},
                                   {"error": "x" * 3000, "state": "s"}, {"code": ["a", "b"], "state": ["c", "d"]},
                                   {"code": "%00", "state": "../../etc/passwd"}])
def test_a_forged_return_from_the_broker_signs_nobody_in(client, funder, broker, bankid, query):
    response = client.get(reverse("e_id_callback", kwargs={"funder_slug": funder.slug}), query)
    assert response.status_code < 500 and "<script>alert(1)" not in response.content.decode()
    assert signed_in_user(client) is None and not User.objects.exists()


def test_a_broker_that_cannot_be_reached_gives_a_message_not_an_error(client, funder, broker, bankid):
    broker.misbehave(discovery_issuer="https://elsewhere.example")
    response = client.post(e_id_button(sign_in_page(client, funder)))
    assert response.status_code == 401
    assert "cannot be reached just now" in response.content.decode()


# --- matching people --------------------------------------------------------------------------------------------

def test_a_verified_email_signs_in_the_funders_own_staff_member_and_links_the_e_id(client, funder, broker, bankid):
    anna = staff(funder, Role.SCREENER, user__email="anna.andersson@example.se")

    sign_in_with_e_id(client, funder)

    assert signed_in_user(client) == anna
    assert SocialAccount.objects.get().user == anna
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)  # her password still works


def test_staff_of_a_funder_asking_for_two_factors_reach_its_pages_through_its_e_id(client, funder, broker, bankid):
    funder.staff_two_factor_required = True
    funder.save()
    anna = staff(funder, Role.SCREENER, user__email="anna.andersson@example.se")

    sign_in_with_e_id(client, funder)

    assert signed_in_user(client) == anna
    assert client.get(reverse("funder_dashboard", args=[funder.slug])).status_code == 200  # no second factor asked


def test_an_unverified_email_does_not_reach_the_account_holding_it(client, funder, broker, bankid, mailoutbox):
    anna = UserFactory(email="anna.andersson@example.se")
    broker.person["email_verified"] = False

    sign_in_with_e_id(client, funder)

    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=anna).exists()
    assert [message.to for message in mailoutbox] == [["anna.andersson@example.se"]]  # the usual email, to her


def test_a_new_person_whose_email_is_unverified_confirms_it_by_email_first(client, funder, broker, bankid, mailoutbox):
    broker.person["email_verified"] = "yes"  # not a JSON true: not verified

    sign_in_with_e_id(client, funder)

    assert signed_in_user(client) is None
    assert not EmailAddress.objects.get(email="anna.andersson@example.se").verified
    assert "confirm" in mailoutbox[0].body.lower()


def test_a_broker_giving_no_email_has_the_person_type_one_and_confirm_it(client, funder, broker, bankid, mailoutbox):
    del broker.person["email"], broker.person["email_verified"]

    asked = sign_in_with_e_id(client, funder)

    assert asked.redirect_chain[-1][0] == reverse("socialaccount_signup")
    assert 'name="email"' in asked.content.decode() and signed_in_user(client) is None
    client.post(reverse("socialaccount_signup"), {"email": "anna@example.se"})
    assert not EmailAddress.objects.get(email="anna@example.se").verified
    assert mailoutbox[-1].to == ["anna@example.se"] and signed_in_user(client) is None
    assert SocialAccount.objects.get().user.email == "anna@example.se"


@pytest.mark.parametrize("who", ["an applicant", "staff of another funder", "staff of both funders", "operator"])
def test_a_funders_broker_signs_in_by_email_none_but_its_own_staff(client, funder, other_funder, broker, bankid, who):
    """The funder's administrators choose the broker: it must not reach an applicant's account (who applies to every
    funder) nor anyone else's staff by claiming their address. They sign in with their password and link it."""
    if who == "operator":
        held = UserFactory(email="anna.andersson@example.se", is_superuser=True, is_staff=True)
    elif who == "an applicant":
        held = UserFactory(email="anna.andersson@example.se")
    else:
        held = staff(other_funder, Role.ADMINISTRATOR, user__email="anna.andersson@example.se")
        if who == "staff of both funders":
            staff(funder, Role.SCREENER, user=held)

    sign_in_with_e_id(client, funder)

    assert signed_in_user(client) != held
    assert not SocialAccount.objects.filter(user=held).exists()


def test_a_signed_in_person_links_the_e_id_from_the_connections_page(client, funder, broker, bankid):
    bo = UserFactory(email="bo@example.se")
    client.force_login(bo)
    page = client.get(reverse("socialaccount_connections") + f"?next=/{funder.slug}/").content.decode()
    assert "Connect BankID" in page

    through_the_broker(client, e_id_button(page))

    assert SocialAccount.objects.get().user == bo
    client.post(reverse("account_logout"))
    sign_in_with_e_id(client, funder)
    assert signed_in_user(client) == bo


# --- the administrator's page -----------------------------------------------------------------------------------

def settings_url(funder):
    return reverse("sign_in_settings", kwargs={"funder_slug": funder.slug})


def test_the_administrator_sets_up_the_e_id_and_the_secret_is_never_shown(client, funder, broker):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    empty = client.get(settings_url(funder)).content.decode()
    assert f"http://testserver/{funder.slug}/sign-in/e-id/callback/" in empty

    saved = client.post(settings_url(funder), {"display_name": "BankID", "issuer": broker.issuer,
                                               "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                               "enabled": "on"}, follow=True)

    page = saved.content.decode()
    assert "The e-ID sign-in is saved." in page and "saved — leave empty to keep" in page
    assert CLIENT_SECRET not in page
    with scope(funder=funder):
        identity = IdentityProvider.objects.get()
    assert CLIENT_SECRET not in identity.encrypted_secret and decrypt_secret(identity.encrypted_secret) == CLIENT_SECRET
    assert (identity.display_name, identity.issuer, identity.enabled) == ("BankID", broker.issuer, True)

    kept = client.post(settings_url(funder), {"display_name": "Freja", "issuer": broker.issuer, "client_id": CLIENT_ID,
                                              "client_secret": "", "enabled": "on"}, follow=True)
    assert CLIENT_SECRET not in kept.content.decode()
    with scope(funder=funder):
        identity = IdentityProvider.objects.get()
    assert identity.display_name == "Freja" and decrypt_secret(identity.encrypted_secret) == CLIENT_SECRET

    refused = client.post(settings_url(funder), {"display_name": "Freja", "issuer": "http://broker.example/",
                                                 "client_id": CLIENT_ID, "client_secret": "another-s3cret-typed"})
    assert "The address must start with https://." in refused.content.decode()
    assert "another-s3cret-typed" not in refused.content.decode() and CLIENT_SECRET not in refused.content.decode()


def test_the_secret_is_in_no_page_of_the_django_admin(client, funder, bankid):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert not admin.site.is_registered(IdentityProvider)
    for url in ["/admin/", "/admin/socialaccount/socialapp/", "/admin/socialaccount/socialaccount/"]:
        response = client.get(url)
        assert response.status_code == 200 and CLIENT_SECRET not in response.content.decode(), url
    assert not SocialApp.objects.exists()


def test_the_issuer_is_checked_when_saved(funder, broker, settings):
    def save(issuer):
        identity_provider_save(funder=funder, display_name="BankID", issuer=issuer, client_id=CLIENT_ID,
                               client_secret=CLIENT_SECRET, enabled=True)

    def refusal(issuer):
        with pytest.raises(ValidationError) as refused:
            save(issuer)
        return " ".join(refused.value.message_dict["issuer"])

    assert "must start with https://" in refusal("http://broker.example.se")
    assert "must start with https://" in refusal("ftp://127.0.0.1/")
    closed = f"http://127.0.0.1:{free_port()}"
    assert "cannot be reached" in refusal(closed)
    assert "answered 404" in refusal(broker.issuer + "/tenant")
    broker.misbehave(discovery_issuer="https://broker.example.se")
    assert "names another issuer (https://broker.example.se)" in refusal(broker.issuer)
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 0.5
    broker.misbehave(discovery_delay=3)
    began = time.monotonic()
    assert "did not answer within 0.5 seconds" in refusal(broker.issuer)
    assert time.monotonic() - began < 2
    settings.E_ID_ALLOW_HTTP_ON_LOCALHOST = False  # production: only https, even on this machine
    assert "must start with https://" in refusal(broker.issuer)
    with scopes_disabled():
        assert not IdentityProvider.objects.exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- tenancy ----------------------------------------------------------------------------------------------------

def test_one_funders_e_id_is_nowhere_on_another_funders_pages(client, funder, other_funder, bankid):
    assert e_id_button(sign_in_page(client, other_funder)) is None
    assert e_id_button(client.get(reverse("account_login")).content.decode()) is None
    assert e_id_button(client.get(reverse("account_signup") + f"?next=/{funder.slug}/").content.decode()) is None
    assert client.get(reverse("e_id_login", kwargs={"funder_slug": other_funder.slug})).status_code == 404
    assert client.post(reverse("e_id_login", kwargs={"funder_slug": other_funder.slug})).status_code == 404
    assert client.get(reverse("e_id_callback", kwargs={"funder_slug": other_funder.slug})).status_code == 404
    assert client.get(f"/accounts/oidc/e-id-{funder.pk}/login/").status_code == 404
    assert client.get(f"/accounts/oidc/e-id-{funder.pk}/login/callback/?code=x&state=y").status_code == 404
    client.force_login(staff(other_funder, Role.ADMINISTRATOR))
    assert client.get(settings_url(funder)).status_code == 404
    others = client.get(settings_url(other_funder)).content.decode()
    assert CLIENT_ID not in others and 'value="BankID"' not in others


@pytest.mark.parametrize("next_path", ["//region-stockholm/", "/region-stockholm\x00/", "https://evil.example/region-stockholm/",
                                       "/REGION-STOCKHOLM/", "/" + "x" * 3000 + "/"])
def test_a_next_that_is_no_funders_address_offers_no_e_id(client, funder, bankid, next_path):
    response = client.post(reverse("account_login"), {"next": next_path, "login": "", "password": ""})
    assert response.status_code == 200 and e_id_button(response.content.decode()) is None


def test_an_e_id_turned_off_is_offered_nowhere_and_works_nowhere(client, funder, broker, bankid):
    identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                           client_secret="", enabled=False)
    assert e_id_button(sign_in_page(client, funder)) is None
    assert client.post(reverse("e_id_login", kwargs={"funder_slug": funder.slug})).status_code == 404


# --- queries ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("set_up", [False, True], ids=["no e-ID yet", "an e-ID saved"])
def test_the_settings_page_reads_a_fixed_number_of_queries(client, funder, broker, django_assert_num_queries, set_up):
    if set_up:
        identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                               client_secret=CLIENT_SECRET, enabled=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    client.get(settings_url(funder))  # the session's first request records its sign-in (fundportal.sessions)
    with django_assert_num_queries(5):
        assert client.get(settings_url(funder)).status_code == 200


def test_the_sign_in_page_reads_a_fixed_number_of_queries(client, funder, bankid, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert "Sign in with BankID" in sign_in_page(client, funder)


# --- the Content-Security-Policy ---------------------------------------------------------------------------------

def form_action(response):
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    return policy["form-action"].split()


def test_the_pages_offering_the_e_id_let_their_form_go_on_to_the_broker_and_no_other_page_does(
        client, funder, other_funder, broker, bankid):
    broker_origin = broker.issuer.rstrip("/")
    sign_in = client.get(reverse("account_login") + f"?next=/{funder.slug}/calls/")
    start = client.get(reverse("e_id_login", kwargs={"funder_slug": funder.slug}))
    assert broker_origin in form_action(sign_in) and broker_origin in form_action(start)
    for elsewhere in (reverse("account_login"), reverse("account_login") + f"?next=/{other_funder.slug}/calls/",
                      reverse("home")):
        assert form_action(client.get(elsewhere)) == ["'self'"]
