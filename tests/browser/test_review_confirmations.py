"""The assessment's confirmations in Chromium, through data-confirm: submitting a review asks once and "Cancel" keeps
the draft, while saving the draft asks nothing; the release asks before any decision reaches an applicant."""

import pytest

from fundportal.models import Role
from fundportal.tenancy import scope
from review.decisions import decision_record
from review.models import Decision
from review.services import assignment_create, assignment_declare
from tests.factories import staff
from tests.review.conftest import at_panel, panel, panel_call, submitted  # noqa: F401 - the review stories' fixtures
from tests.browser.steps import answering, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submitting_a_review_asks_once_and_saving_the_draft_asks_nothing(page, live_server, funder, at_panel, panel,
                                                                         log_in):
    with scope(funder=funder):
        assignment = assignment_create(application=at_panel[0], reviewer=panel[0], by=staff(funder))
        assignment_declare(assignment=assignment, has_conflict=False)
    signed_in(page, live_server, log_in, panel[0], f"/{funder.slug}/reviews/{assignment.pk}/")
    answer = [False]
    asked = answering(page, answer)
    for criterion in ("Need (60 %)", "Benefit (40 %)"):
        page.get_by_label(criterion).select_option("5")
    page.get_by_label("Recommendation").select_option(index=1)

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Your draft review is saved.").wait_for()
    assert asked == []

    page.get_by_role("button", name="Submit the review").click()
    assert asked == ["Submit the review? It cannot be changed afterwards."]
    assignment.review.refresh_from_db()
    assert assignment.review.submitted_at is None

    answer[0] = True
    page.get_by_role("button", name="Submit the review").click()
    page.get_by_text("Your review is submitted.").wait_for()
    assert len(asked) == 2


def test_the_release_asks_before_any_decision_reaches_an_applicant(page, live_server, funder, at_panel, log_in):
    admin = staff(funder, Role.ADMINISTRATOR)
    with scope(funder=funder):
        decision_record(application=at_panel[0], by=admin, outcome="declined", reason="Outside the call's scope.")
    signed_in(page, live_server, log_in, admin, f"/{funder.slug}/manage/calls/{at_panel[0].call.slug}/ranking/")
    asked = answering(page, [False])
    page.get_by_role("button", name="Release the decisions").click()
    assert asked == ["Release every recorded decision to the applicants? Released decisions cannot change."]
    with scope(funder=funder):
        assert not Decision.objects.filter(released_at__isnull=False).exists()
