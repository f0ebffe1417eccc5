"""Taking a panel member's role away ends their access at once.

The choice: the revocation closes their open assignments (no review submitted yet, drafts with them), so the
applications can be given to someone else; reviews they submitted while they held the role stay in the ranking.
"""

import pytest
from django.urls import reverse

from fundportal.models import Membership, Role
from fundportal.services import membership_revoke
from fundportal.tenancy import scope
from review.models import Assignment, Review
from review.services import assignment_declare, assignments_auto, review_save
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(funder, at_panel, panel):
    """Each panel member assigned the first application, impartiality declared."""
    with scope(funder=funder):
        assignments_auto(applications=at_panel[:1], per_application=3, by=staff(funder))
        assignments = list(Assignment.objects.select_related("reviewer").order_by("reviewer__email"))
        for assignment in assignments:
            assignment_declare(assignment=assignment, has_conflict=False)
    return assignments


def scores(assignment, value):
    return {str(criterion.pk): {"score": value, "comment": ""} for criterion in assignment.application.call.criteria.all()}


def revoke(funder, user):
    with scope(funder=funder):
        membership_revoke(membership=Membership.objects.get(user=user, role=Role.PANEL_MEMBER), by=staff(funder))


def test_a_panel_member_whose_role_is_taken_away_can_no_longer_open_the_application(client, funder, declared):
    assignment = declared[0]
    client.force_login(assignment.reviewer)
    url = reverse("review:review", args=[funder.slug, assignment.pk])
    assert client.get(url).status_code == 200
    revoke(funder, assignment.reviewer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"recommendation": "fund", "submit": "1"}).status_code == 404
    with scope(funder=funder):
        assert not Assignment.objects.filter(reviewer=assignment.reviewer).exists()  # closed: free to reassign
        assert not Review.objects.filter(assignment__reviewer=assignment.reviewer).exists()


def test_a_review_cannot_be_submitted_once_the_role_is_gone_and_the_ranking_does_not_count_it(client, funder, declared, at_panel):
    stale = declared[0]
    with scope(funder=funder):
        Membership.objects.filter(user=stale.reviewer, role=Role.PANEL_MEMBER).delete()  # even without the service
        with pytest.raises(Exception, match="no longer hold the panel member role"):
            review_save(assignment=stale, scores=scores(stale, 7), recommendation="fund", comment="", submit=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    rows = client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).context["rows"]
    assert [row.done for row in rows if row.application == at_panel[0]] == [0]


def test_reviews_submitted_while_the_role_was_held_stay_in_the_ranking(client, funder, declared, at_panel):
    done, open_draft = declared[0], declared[1]
    with scope(funder=funder):
        review_save(assignment=done, scores=scores(done, 6), recommendation="fund", comment="", submit=True)
        review_save(assignment=open_draft, scores=scores(open_draft, 2), recommendation="", comment="", submit=False)
    revoke(funder, done.reviewer)
    revoke(funder, open_draft.reviewer)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    row = next(row for row in client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).context["rows"]
               if row.application == at_panel[0])
    assert (row.done, row.expected, row.total) == (1, 2, 6.0)  # the draft's assignment is closed, the review kept
    with scope(funder=funder):
        assert Assignment.objects.filter(reviewer=done.reviewer).count() == 1


def test_the_freed_application_goes_to_another_panel_member(funder, declared, at_panel):
    leaving = declared[0].reviewer
    newcomer = staff(funder, Role.PANEL_MEMBER, user__email="panel4@example.se")
    revoke(funder, leaving)
    with scope(funder=funder):
        assignments_auto(applications=at_panel[:1], per_application=3, by=staff(funder))
        assert {a.reviewer for a in Assignment.objects.filter(application=at_panel[0])} == {
            declared[1].reviewer, declared[2].reviewer, newcomer}
