"""Staff of a funder that asks for it, and operators always, sign in with two factors before any staff page.

The people here are signed in by a plain client (not the suite's StrongClient), so their sessions hold only what
each story says: a password sign-in, a second factor, an e-ID sign-in.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from fundportal.models import Membership, Role
from fundportal.security import TwoFactorMiddleware, session_is_strong, two_factor_required
from fundportal.tenancy import scopes_disabled
from tests.factories import PASSWORD, FunderFactory, UserFactory, staff
from tests.signing_in import record, session_recorded, totp_code, with_authenticator_app

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def strict_funder(funder):
    funder.staff_two_factor_required = True
    funder.save()
    return funder


@pytest.fixture
def operator(db):
    return UserFactory(email="operator@platform.example", is_superuser=True, is_staff=True)


def browser(user=None):
    """A browser in English; ``user`` signed in with their password alone (as force_login leaves the session)."""
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def dashboard(funder):
    return reverse("funder_dashboard", args=[funder.slug])


def sign_in(client, user):
    """Sign in through allauth's page with the password: signed in, or asked for the second factor."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_a_staff_member_of_a_funder_that_asks_is_led_to_set_up_a_second_factor(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    client = browser(screener)

    response = client.get(dashboard(strict_funder))

    assert response.status_code == 302 and response["Location"] == reverse("two_factor_required")
    page = client.get(response["Location"]).content.decode()
    assert ("Region Stockholm asks everyone who holds a role there to sign in with two factors" in page)
    assert reverse("mfa_activate_totp") in page and reverse("mfa_add_webauthn") in page
    assert client.get(reverse("review:queue", args=[strict_funder.slug])).status_code == 302
    assert client.get(reverse("my_applications")).status_code == 302  # their own applications wait too


def test_a_refused_post_changes_nothing(strict_funder):
    administrator = staff(strict_funder, Role.ADMINISTRATOR)
    client = browser(administrator)

    response = client.post(reverse("people", args=[strict_funder.slug]),
                           {"email": "petra.lind@karolinska.example", "role": Role.SCREENER})

    assert response["Location"] == reverse("two_factor_required")
    with scopes_disabled():
        assert not Membership.objects.filter(user__email="petra.lind@karolinska.example").exists()


def test_the_persons_own_account_pages_stay_open_on_the_way(strict_funder):
    client = browser(staff(strict_funder, Role.PANEL_MEMBER))
    for name in ("mfa_index", "account_email", "two_factor_required"):
        assert client.get(reverse(name)).status_code in (200, 302), name
        assert not client.get(reverse(name)).get("Location", "").startswith(reverse("two_factor_required"))
    assert client.post(reverse("set_language"), {"language": "sv", "next": "/"})["Location"] == "/"
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("account_logout"))["Location"] == "/"


def test_nobody_else_is_asked(funder, strict_funder, other_funder):
    applicant = UserFactory()
    relaxed_administrator = staff(other_funder, Role.ADMINISTRATOR)
    assert not two_factor_required(applicant) and not two_factor_required(relaxed_administrator)
    assert browser(applicant).get(reverse("my_applications")).status_code == 200
    assert browser(relaxed_administrator).get(dashboard(other_funder)).status_code == 200
    page = browser(applicant).get(reverse("two_factor_required")).content.decode()
    assert "Nothing is due" in page


@pytest.mark.django_db(transaction=True)  # allauth tells of the new factor once it is committed, within the request
def test_setting_up_an_authenticator_app_opens_the_staff_pages(strict_funder):
    administrator = staff(strict_funder, Role.ADMINISTRATOR)
    client = browser(administrator)
    client.get(dashboard(strict_funder))  # sent to the rule, which remembers where they were going

    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))  # allauth: confirm the password first
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    assert secret in page.content.decode() and "data:image/svg+xml;base64," in page.content.decode()  # the QR code

    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(done["Location"]).content.decode()
    assert "Continue to where you were going" in codes and dashboard(strict_funder) in codes
    assert client.get(dashboard(strict_funder)).status_code == 200  # adding the factor proved it


def test_a_second_factor_set_up_or_required_after_sign_in_must_be_used(funder):
    administrator = staff(funder, Role.ADMINISTRATOR)
    secret = with_authenticator_app(administrator)
    client = browser(administrator)
    assert client.get(dashboard(funder)).status_code == 200  # the funder does not ask yet

    funder.staff_two_factor_required = True
    funder.save()

    assert client.get(dashboard(funder))["Location"] == reverse("two_factor_required")
    page = client.get(reverse("two_factor_required")).content.decode()
    assert "Confirm with your second factor" in page
    assert f"{reverse('mfa_reauthenticate')}?next={dashboard(funder).replace('/', '%2F')}" in page
    confirmed = client.post(f"{reverse('mfa_reauthenticate')}?next={dashboard(funder)}", {"code": totp_code(secret)})
    assert confirmed["Location"] == dashboard(funder)
    assert client.get(dashboard(funder)).status_code == 200


def test_signing_in_with_the_second_factor_reaches_the_staff_pages(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    secret = with_authenticator_app(screener)
    client = browser()

    asked = sign_in(client, screener)

    assert asked["Location"] == reverse("mfa_authenticate")
    assert client.get(dashboard(strict_funder))["Location"].startswith(reverse("account_login"))  # not signed in yet
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(dashboard(strict_funder)).status_code == 200


def test_recovery_codes_work_once_each(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    with_authenticator_app(screener)
    first, second = RecoveryCodes.activate(screener).get_unused_codes()[:2]
    client = browser()

    sign_in(client, screener)
    client.post(reverse("mfa_authenticate"), {"code": first})
    assert client.get(dashboard(strict_funder)).status_code == 200
    client.post(reverse("account_logout"))

    sign_in(client, screener)
    refused = client.post(reverse("mfa_authenticate"), {"code": first})
    assert "Incorrect code." in refused.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": second})
    assert client.get(dashboard(strict_funder)).status_code == 200
    wrapped = Authenticator.objects.get(user=screener, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert first not in wrapped.get_unused_codes() and second not in wrapped.get_unused_codes()


def test_the_code_form_is_rate_limited(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    secret = with_authenticator_app(screener)
    client = browser()
    sign_in(client, screener)
    for _attempt in range(5):
        assert "Incorrect code." in client.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode()

    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert TOO_MANY in refused.content.decode()
    assert client.get(dashboard(strict_funder))["Location"].startswith(reverse("account_login"))


def test_an_operator_without_a_second_factor_is_refused_the_admin_and_the_operator_page(operator):
    client = browser(operator)
    for page in (reverse("admin:index"), reverse("admin:fundportal_funder_changelist"), reverse("operator")):
        assert client.get(page)["Location"] == reverse("two_factor_required"), page
    assert "operators always sign in with two factors" in client.get(reverse("two_factor_required")).content.decode()

    record(client, operator, "mfa", type="totp")

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("operator")).status_code == 200


def test_the_admins_own_login_is_no_side_door(operator):
    with_authenticator_app(operator)
    client = browser()

    shown = client.get(reverse("admin:login"))
    posted = client.post(reverse("admin:login"), {"username": operator.email, "password": PASSWORD})

    assert shown["Location"].startswith(reverse("account_login")) and "admin" in shown["Location"]
    assert posted["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert sign_in(client, operator)["Location"] == reverse("mfa_authenticate")  # the portal's sign-in asks
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_a_non_staff_person_signed_in_is_refused_the_admin(funder):
    assert browser(staff(funder, Role.ADMINISTRATOR)).get(reverse("admin:login")).status_code == 403


def test_the_funders_own_e_id_sign_in_counts_as_two_factors(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    client = browser(screener)
    record(client, screener, "socialaccount", provider=f"e-id-{strict_funder.pk}", uid="19800101-1234")
    assert client.get(dashboard(strict_funder)).status_code == 200


def test_another_funders_e_id_is_no_second_factor_for_this_funders_staff(strict_funder):
    """Someone who linked funder A's e-ID and also sits on this funder's panel: A's broker does not vouch here."""
    elsewhere = FunderFactory(slug="elsewhere")
    panel_member = staff(strict_funder, Role.PANEL_MEMBER)
    staff(elsewhere, Role.SCREENER, user=panel_member)
    for provider in (f"e-id-{elsewhere.pk}", "bankid-broker"):
        client = browser(panel_member)
        record(client, panel_member, "socialaccount", provider=provider, uid="19800101-1234")
        assert client.get(dashboard(strict_funder))["Location"] == reverse("two_factor_required")


def test_a_password_sign_in_or_a_confirmation_by_password_is_not_a_second_factor(strict_funder):
    screener = staff(strict_funder, Role.SCREENER)
    client = browser(screener)
    record(client, screener, "password", email=screener.email)
    record(client, screener, "password", reauthenticated=True)
    assert client.get(dashboard(strict_funder))["Location"] == reverse("two_factor_required")


def enforced(request_user, session_records=()):
    """The middleware's answer to a GET of a funder's dashboard by ``request_user`` with ``session_records``."""
    client = browser(request_user)
    for method in session_records:
        record(client, request_user, method)
    path = reverse("funder_dashboard", args=["region-stockholm"])
    request = RequestFactory().get(path)
    request.user, request.session, request.resolver_match = request_user, client.session, resolve(path)
    request.session.keys()  # the session is read before the rule, as SessionMiddleware's user lookup reads it
    return request


@pytest.mark.parametrize("who", ["applicant", "screener", "strong screener", "operator", "strong operator"])
def test_the_rule_costs_one_query_at_most_and_none_for_a_strong_session(strict_funder, operator, who,
                                                                         django_assert_num_queries):
    person = operator if "operator" in who else (UserFactory() if who == "applicant" else staff(strict_funder, Role.SCREENER))
    if who != "applicant":
        for other in range(3):  # roles at more funders that ask read in the same query
            staff(FunderFactory(slug=f"elsewhere-{other}"), Role.PANEL_MEMBER, user=person)
    request = enforced(person, ["mfa"] if who.startswith("strong") else [])
    middleware = TwoFactorMiddleware(lambda request: None)

    with django_assert_num_queries(0 if who.startswith("strong") or who == "operator" else 1):
        answer = middleware.process_view(request, request.resolver_match.func, (), {})

    assert (answer is None) == (who.startswith("strong") or who == "applicant")
    assert session_is_strong(request) == who.startswith("strong")


@pytest.mark.parametrize("funders", [1, 6])
def test_the_page_that_says_why_keeps_its_query_count(strict_funder, funders, django_assert_num_queries):
    screener = staff(strict_funder, Role.SCREENER)
    for other in range(funders - 1):
        staff(FunderFactory(slug=f"strict-{other}", staff_two_factor_required=True), Role.PANEL_MEMBER, user=screener)
    client = browser(screener)
    session_recorded(client, screener)  # as the sign-in's own response leaves it
    # the session, the person, their roles, the funders that ask, whether they have a factor
    with django_assert_num_queries(5):
        page = client.get(reverse("two_factor_required")).content.decode()
    assert page.count("asks everyone who holds a role there") == funders
