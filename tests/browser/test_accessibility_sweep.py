"""Every page an administrator or a visitor can open passes axe-core (WCAG 2.1 AA) in Chromium and is valid HTML,
under a strict Content-Security-Policy that Chromium reports no violation of."""

import pytest
from django.core.management import call_command

from applications.lifecycle import State
from applications.models import Application
from calls.models import Fund, Subscriber
from calls.notices import subscription_token
from fundportal.demo import DEMO_PASSWORD
from fundportal.identity import identity_provider_save
from fundportal.models import Funder
from fundportal.tenancy import scopes_disabled
from tests.conftest import IN_CI
from tests.fundportal.oidc_provider import CLIENT_ID, CLIENT_SECRET, local_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL = "/region-stockholm/manage/calls/innovationsfonden-2024"
ADMIN_PAGES = [
    f"{CALL}/", f"{CALL}/periods/", f"{CALL}/eligibility/", f"{CALL}/criteria/", f"{CALL}/pipeline/",
    f"{CALL}/history/", f"{CALL}/copy/", f"{CALL}/form/", f"{CALL}/form/preview/", "/region-stockholm/manage/calls/new/",
    "/region-stockholm/dashboard/", "/mailbox/", "/region-stockholm/manage/emails/",
    "/region-stockholm/manage/emails/draft_reminder/sv/", "/region-stockholm/manage/people/",
    "/region-stockholm/manage/funds/", "/region-stockholm/manage/report/", "/region-stockholm/manage/settings/",
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def assert_accessible(assert_accessible, saved_pages, browser_log):
    """Every page the sweep checks with axe came with a strict Content-Security-Policy and a Permissions-Policy,
    logged no error in Chromium (no policy violation), and is saved for the HTML check at the end of the sweep."""

    def check(page):
        browser_log.assert_strict(page)
        saved_pages.save(page)
        assert_accessible(page)

    return check


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_pages_pass_axe(page, live_server, demo, assert_accessible, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    with scopes_disabled():
        subscriber = Subscriber.objects.create(funder=Funder.objects.get(slug="region-stockholm"),
                                               email="anna@example.se", language="sv")
    token = subscription_token(subscriber)
    for path in ["/", "/calls/", "/forskningsradet/", "/region-stockholm/calls/innovationsfonden-2024/eligibility/",
                 "/region-stockholm/subscribe/", f"/region-stockholm/subscribe/confirm/{token}/",
                 f"/region-stockholm/subscribe/cancel/{token}/", "/accounts/signup/", "/accounts/password/reset/",
                 "/no-such-page/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_administrator_pages_pass_axe(page, live_server, demo, log_in, assert_accessible):
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/dashboard/")
    page.wait_for_url("**/dashboard/")
    with scopes_disabled():
        fund = Fund.objects.filter(funder__slug="region-stockholm").first()
    for path in [*ADMIN_PAGES, f"/region-stockholm/manage/funds/{fund.pk}/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_applicant_and_manager_pages_pass_axe(page, live_server, demo, log_in, assert_accessible):
    from applications.models import Application
    from applications.notices import manager_token

    with scopes_disabled():
        draft = Application.objects.get(title="Barnens väg till Röntgen")
        draft.manager_email, draft.manager_decision = "chef@example.se", "pending"
        draft.save()
        token = manager_token(draft)
        extension_target = Application.objects.get(title="IVA-dagboken – minskar effekter av PICS")
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.goto(f"{live_server.url}/region-stockholm/approval/{token}/")
    assert_accessible(page)
    log_in(page, "applicant1@applicants.demo", DEMO_PASSWORD, next_path=f"/region-stockholm/applications/{draft.pk}/people/")
    page.wait_for_url("**/people/")
    assert_accessible(page)
    for path in [f"/region-stockholm/applications/{draft.pk}/", f"/region-stockholm/applications/{draft.pk}/sections/2/",
                 f"/region-stockholm/applications/{draft.pk}/sections/3/", f"/region-stockholm/applications/{draft.pk}/submit/",
                 "/region-stockholm/calls/innovationsfonden-2027/apply/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD,
           next_path=f"/region-stockholm/applications/{extension_target.pk}/extension/")
    page.wait_for_url("**/extension/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/region-stockholm/applications/{extension_target.pk}/revisions/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/region-stockholm/applications/{extension_target.pk}/")
    assert_accessible(page)


def test_assessment_pages_pass_axe(page, live_server, demo, log_in, assert_accessible):
    from applications.models import Application
    from review.models import Assignment

    with scopes_disabled():
        submitted = Application.objects.get(title="IVA-dagboken – minskar effekter av PICS")
        assignment = Assignment.objects.filter(application__title__startswith="Robyn", review__submitted_at__isnull=True).first()
        declared_reviewer = assignment.reviewer.email
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/screening/")
    page.wait_for_url("**/screening/")
    assert_accessible(page)
    call = "/region-stockholm/manage/calls/innovationsfonden-2027"
    from fundportal.models import OutboxEmail

    with scopes_disabled():
        robyn = Application.objects.get(title__startswith="Robyn")
        draft = OutboxEmail.objects.filter(funder__slug="region-stockholm", status="draft").first()
    for path in [f"/region-stockholm/screening/{submitted.pk}/", f"{call}/checklist/", f"{call}/assignments/", f"{call}/ranking/",
                 f"{call}/decisions/{robyn.pk}/", f"{call}/progress/", "/region-stockholm/manage/letters/",
                 "/region-stockholm/manage/letters/granted/sv/", "/region-stockholm/manage/outbox/",
                 f"/region-stockholm/manage/outbox/{draft.pk}/",
                 "/region-stockholm/manage/panel/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, declared_reviewer, DEMO_PASSWORD, next_path="/region-stockholm/reviews/")
    page.wait_for_url("**/reviews/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/region-stockholm/reviews/{assignment.pk}/")
    assert_accessible(page)


def test_the_pages_added_for_soundness_pass_axe(page, live_server, demo, log_in, assert_accessible):
    """A new account reads its verification mail; the main applicant confirms removing a co-applicant."""
    from applications.drafting import collaborator_invite
    from applications.models import Application
    from fundportal.tenancy import scope

    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/signup/")
    page.locator("input[name=email]").fill("ny.sokande@example.se")
    page.locator("input[name=password1]").fill("a-long-new-password-42")
    page.locator("input[name=password2]").fill("a-long-new-password-42")
    page.locator("form[action^='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url("**/confirm-email/")
    assert_accessible(page)
    page.get_by_role("link", name="Läs e-postmeddelandet i den här installationens brevlåda").click()
    page.wait_for_url("**/mailbox/new-account/")
    assert page.get_by_text("ny.sokande@example.se").first.is_visible()
    assert_accessible(page)

    with scopes_disabled():
        draft = Application.objects.get(title="Barnens väg till Röntgen")
    with scope(funder=draft.funder):
        collaborator = collaborator_invite(application=draft, email="kollega@example.se", access="view",
                                           by=draft.applicant)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    remove = f"/region-stockholm/applications/{draft.pk}/people/{collaborator.pk}/remove/"
    log_in(page, draft.applicant.email, DEMO_PASSWORD, next_path=remove)
    page.wait_for_url(f"**{remove}")
    assert_accessible(page)


def test_the_operator_page_passes_axe(page, live_server, demo, log_in, assert_accessible):
    from tests.factories import PASSWORD, UserFactory
    from tests.signing_in import totp_code, with_authenticator_app

    operator = UserFactory(is_superuser=True, is_staff=True)
    secret = with_authenticator_app(operator)  # operators always sign in with two factors
    page.context.add_cookies([{"name": "django_language", "value": "nb", "url": live_server.url}])
    log_in(page, operator.email, PASSWORD, next_path="/operator/")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("form[action^='/accounts/2fa/authenticate/'] button[type=submit]").click()
    page.wait_for_url("**/operator/")
    assert page.get_by_role("cell", name="/region-norrbotten/").is_visible()
    assert_accessible(page)


def test_a_returned_applications_locked_part_passes_axe(page, live_server, demo, log_in, assert_accessible):
    from applications.models import Application

    with scopes_disabled():
        returned = Application.objects.get(title="Parkinsonprojektet")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "applicant6@applicants.demo", DEMO_PASSWORD,
           next_path=f"/region-stockholm/applications/{returned.pk}/sections/1/")
    page.wait_for_url("**/sections/1/")
    assert page.get_by_text("This part can be read but not changed.").is_visible()
    assert_accessible(page)


def test_the_e_id_pages_pass_axe(page, live_server, demo, log_in, assert_accessible):
    """The administrator's e-ID page before and after saving, and the sign-in page offering the funder's e-ID."""
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/manage/sign-in/")
    page.wait_for_url("**/manage/sign-in/")
    assert_accessible(page)
    with local_provider() as broker:
        with scopes_disabled():
            funder = Funder.objects.get(slug="region-stockholm")
        identity_provider_save(funder=funder, display_name="BankID", issuer=broker.issuer, client_id=CLIENT_ID,
                               client_secret=CLIENT_SECRET, enabled=True)
        page.reload()
        assert_accessible(page)
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/?next=/region-stockholm/")
        assert page.get_by_role("button", name="BankID").is_visible()
        assert_accessible(page)
        page.goto(f"{live_server.url}/region-stockholm/sign-in/e-id/")  # allauth's page confirming the start
        assert_accessible(page)


def test_the_audit_trail_passes_axe(page, live_server, demo, log_in, assert_accessible):
    with scopes_disabled():
        application = Application.objects.filter(funder__slug="region-stockholm", state=State.IN_REVIEW).first()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "admin@region-stockholm.demo", DEMO_PASSWORD, next_path="/region-stockholm/manage/audit/")
    page.wait_for_url("**/manage/audit/")
    assert page.get_by_role("cell", name="admin@region-stockholm.demo").first.is_visible()  # the sign-in
    assert_accessible(page)
    for path in ["/region-stockholm/manage/audit/?kind=role_taken&since=2001-01-01",
                 f"/region-stockholm/applications/{application.pk}/",
                 f"/region-stockholm/manage/applications/{application.pk}/audit/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_every_page_of_the_sweep_is_valid_html(saved_pages):
    """Keep this test last: the Nu Html Checker reads, in one run, every page the tests above saved."""
    if not saved_pages.paths:
        if IN_CI:
            pytest.fail("The HTML check ran before (or without) the sweep: no page was saved to check")
        pytest.skip("no page of the sweep was visited in this run")
    errors = saved_pages.html_errors()
    assert not errors, "The Nu Html Checker finds errors:\n" + "\n".join(
        f"{page} line {line}: {message}" for page, message, line in errors)
