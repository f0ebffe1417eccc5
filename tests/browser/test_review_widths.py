"""The assessment's tables fit the screen: the ranking at 1280 px, the screening queue on a 390 px phone."""

import pytest

from calls.services import call_set_criteria
from fundportal.models import Role
from fundportal.tenancy import scope
from review.models import Assignment
from review.services import assignment_declare, assignments_auto, review_save
from tests.factories import staff
from tests.review.conftest import at_panel, panel, panel_call, submitted  # noqa: F401 - the review stories' fixtures
from tests.browser.steps import page_width, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = [({"en": "A significant need among users, patients or the organisation"}, 30),
            ({"en": "Good prerequisites to run the project and solve the need"}, 25),
            ({"en": "Benefit and measurable advantages"}, 25),
            ({"en": "How unique the solution is and whether alternatives exist"}, 20)]


def test_the_ranking_fits_1280_pixels(page, live_server, funder, at_panel, panel, log_in, assert_accessible):
    call = at_panel[0].call
    with scope(funder=funder):
        call_set_criteria(call=call, criteria=CRITERIA)
        assignments_auto(applications=at_panel, per_application=3, by=staff(funder))
        for number, assignment in enumerate(Assignment.objects.all()):
            assignment_declare(assignment=assignment, has_conflict=False)
            review_save(assignment=assignment, recommendation="fund", comment="", submit=True, scores={
                str(c.pk): {"score": 1 + (number + position) % 7, "comment": ""} for position, c in enumerate(call.criteria.all())})
    for application in at_panel:
        application.title = "Stöd och organisation för innovation inom Life Science och hälsa i norra Sverige"
        application.amount_requested = 12_450_000
        application.save()
    path = f"/{funder.slug}/manage/calls/{call.slug}/ranking/"
    signed_in(page, live_server, log_in, staff(funder, Role.ADMINISTRATOR), path, 1280)
    assert page.get_by_role("link", name="Decide").first.is_visible()
    assert page_width(page) <= 1280
    for header in ("Applied for", "Running sum", "Decision"):
        box = page.get_by_role("columnheader", name=header).bounding_box()
        assert box["x"] + box["width"] <= 1280, header
    assert_accessible(page)


def test_the_screening_queue_fits_a_phone(page, live_server, funder, submitted, log_in, assert_accessible):
    path = f"/{funder.slug}/screening/"
    signed_in(page, live_server, log_in, staff(funder, Role.SCREENER), path, 390)
    assert page.get_by_text("Textilsvinn").is_visible()
    assert page_width(page) <= 390
    assert_accessible(page)
