"""Each application's tally of its reviews (``ReviewTally``), what the ranking reads instead of the reviews, stays
exactly what its assignments and reviews say after every write that changes them.

The expectation is worked out here in Python from the rows themselves (the scores, not the stored weighted scores),
so a writer that forgets the tally, or a tally computed wrongly, shows as a difference.
"""

import contextlib
import importlib
import random
import statistics
import threading
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.lifecycle import State
from applications.models import Application
from calls.models import Stage
from calls.services import call_set_criteria
from fundportal.models import Membership, Role
from fundportal.services import membership_revoke
from fundportal.tenancy import scope, scopes_disabled
from review import services as review_services
from review.models import Assignment, Review, ReviewTally, weighted_score
from review.services import assignment_create, assignment_declare, assignments_close_open, review_save
from tests.conftest import service_unavailable
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db


def worked_out(application):
    """What ``application``'s tally should hold, from its assignments, reviews and its call's criteria."""
    criteria = list(application.call.criteria.all())
    assignments = [a for a in Assignment.objects.filter(application=application).select_related("review")
                   if a.has_conflict is not True]
    reviews = [a.review for a in assignments if hasattr(a, "review") and a.review.submitted_at]
    totals = [weighted_score(review.scores, criteria) for review in reviews]
    per_criterion = {}
    for criterion in criteria:
        scores = [review.scores[str(criterion.pk)]["score"] for review in reviews
                  if review.scores.get(str(criterion.pk), {}).get("score") is not None]
        per_criterion[str(criterion.pk)] = {"sum": sum(scores) if scores else None, "count": len(scores)}
    return {"reviews_done": len(reviews), "reviews_expected": len(assignments),
            "weighted_sum": sum(totals) if totals else None,
            "weighted_squares": sum(total * total for total in totals) if totals else None,
            "weighted_median": statistics.median(totals) if totals else None, "criteria": per_criterion}


def stored(application):
    """What ``application``'s tally holds (an application without one: nothing counted, nothing expected)."""
    tally = ReviewTally.objects.filter(application=application).first()
    if tally is None:
        return {"reviews_done": 0, "reviews_expected": 0, "weighted_sum": None, "weighted_squares": None,
                "weighted_median": None,
                "criteria": {str(c.pk): {"sum": None, "count": 0} for c in application.call.criteria.all()}}
    return {"reviews_done": tally.reviews_done, "reviews_expected": tally.reviews_expected,
            "weighted_sum": tally.weighted_sum, "weighted_squares": tally.weighted_squares,
            "weighted_median": tally.weighted_median, "criteria": tally.criteria}


def assert_kept(applications):
    for application in applications:
        assert stored(application) == worked_out(application), application.title


def scored(call, need, benefit):
    need_criterion, benefit_criterion = call.criteria.all()
    return {str(need_criterion.pk): {"score": need, "comment": ""},
            str(benefit_criterion.pk): {"score": benefit, "comment": ""}}


def assigned(application, reviewer):
    return assignment_create(application=application, reviewer=reviewer, by=staff(application.funder))


def test_a_submitted_review_is_counted_at_once_and_a_draft_is_not(funder, at_panel, panel):
    textilsvinn = at_panel[0]
    with scope(funder=funder):
        first, second = assigned(textilsvinn, panel[0]), assigned(textilsvinn, panel[1])
        assert stored(textilsvinn)["reviews_expected"] == 2  # the assignments are counted as they are made
        for assignment in (first, second):
            assignment_declare(assignment=assignment, has_conflict=False)
        review_save(assignment=first, scores=scored(textilsvinn.call, 6, 5), recommendation="fund", comment="",
                    submit=True)
        review_save(assignment=second, scores=scored(textilsvinn.call, 3, None), recommendation="", comment="",
                    submit=False)
        tally = ReviewTally.objects.get(application=textilsvinn)
        assert (tally.reviews_done, tally.reviews_expected, tally.weighted_sum) == (1, 2, 6 * 60 + 5 * 40)
        review_save(assignment=second, scores=scored(textilsvinn.call, 3, 2), recommendation="reject", comment="",
                    submit=True)
        tally.refresh_from_db()
        assert (tally.reviews_done, tally.weighted_sum, tally.weighted_median) == (2, 560 + 260, (560 + 260) / 2)
        assert_kept(at_panel)


def test_a_declared_conflict_is_no_longer_expected(funder, at_panel, panel):
    iva = at_panel[1]
    with scope(funder=funder):
        impartial, conflicted = assigned(iva, panel[0]), assigned(iva, panel[1])
        assignment_declare(assignment=impartial, has_conflict=False)
        assignment_declare(assignment=conflicted, has_conflict=True, note="Min kusin söker.")
        assert ReviewTally.objects.get(application=iva).reviews_expected == 1
        assert_kept(at_panel)


def test_a_removed_panel_member_s_open_assignments_leave_the_tally_and_their_submitted_reviews_stay(
        funder, at_panel, panel):
    textilsvinn, iva, _robyn = at_panel
    with scope(funder=funder):
        submitted_one = assigned(textilsvinn, panel[0])
        assignment_declare(assignment=submitted_one, has_conflict=False)
        review_save(assignment=submitted_one, scores=scored(textilsvinn.call, 7, 7), recommendation="fund",
                    comment="", submit=True)
        assigned(iva, panel[0])
        assigned(iva, panel[1])
        membership_revoke(membership=Membership.objects.get(user=panel[0], role=Role.PANEL_MEMBER),
                          by=staff(funder))
        assert ReviewTally.objects.get(application=iva).reviews_expected == 1
        assert ReviewTally.objects.get(application=textilsvinn).reviews_done == 1
        assert_kept(at_panel)


def test_closing_open_assignments_directly_keeps_the_tally(funder, at_panel, panel):
    with scope(funder=funder):
        for application in at_panel:
            assigned(application, panel[2])
        assert [stored(application)["reviews_expected"] for application in at_panel] == [1, 1, 1]
        assert assignments_close_open(reviewer=panel[2]) == 3
        assert [stored(application)["reviews_expected"] for application in at_panel] == [0, 0, 0]


def test_new_weights_and_a_new_criterion_recompute_the_whole_call_s_tallies(funder, at_panel, panel):
    with scope(funder=funder):
        for application, (need, benefit) in zip(at_panel, [(7, 1), (4, 4), (2, 6)]):
            assignment = assigned(application, panel[0])
            assignment_declare(assignment=assignment, has_conflict=False)
            review_save(assignment=assignment, scores=scored(application.call, need, benefit), recommendation="fund",
                        comment="", submit=True)
        call = at_panel[0].call
        need, benefit = call.criteria.all()
        call_set_criteria(call=call, criteria=[{"id": need.pk, "name": need.name, "weight": 20},
                                               {"id": benefit.pk, "name": benefit.name, "weight": 50},
                                               {"name": {"en": "Feasibility"}, "weight": 30}])
        assert [stored(application)["weighted_sum"] for application in at_panel] == [7 * 20 + 50, 4 * 70, 2 * 20 + 300]
        assert len(ReviewTally.objects.get(application=at_panel[0]).criteria) == 3
        assert_kept(at_panel)


def test_new_weights_update_the_calls_reviews_without_reading_the_reviews_table_again(funder, at_panel, panel):
    """An UPDATE filtered through the review's joins is written "id IN (the reviews, joined again)": on PostgreSQL,
    with statistics taken while the tables were empty, that plan ran seed_demo's criteria for minutes."""
    with scope(funder=funder):
        call = at_panel[0].call
        need, benefit = call.criteria.all()
        with CaptureQueriesContext(connection) as queries:
            call_set_criteria(call=call, criteria=[{"id": need.pk, "name": need.name, "weight": 30},
                                                   {"id": benefit.pk, "name": benefit.name, "weight": 70}])
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "review_review"')]
    assert updates and not any('FROM "review_review"' in update for update in updates)


def test_submitting_a_review_costs_the_same_queries_in_a_call_of_one_reviewed_application_as_of_twenty(
        funder, panel_call, panel):
    with scope(funder=funder):
        stage = panel_call.stages.get(kind=Stage.Kind.PANEL)

    def submitting(count):
        """The queries of submitting the last of ``count`` applications' reviews, each by every panel member."""
        applications = [ApplicationFactory(call=panel_call, state=State.IN_REVIEW, current_stage=stage)
                        for _n in range(count)]
        with scope(funder=funder):
            assignments = [assigned(application, reviewer) for application in applications for reviewer in panel]
            for assignment in assignments:
                assignment_declare(assignment=assignment, has_conflict=False)
            for assignment in assignments[:-1]:
                review_save(assignment=assignment, scores=scored(panel_call, 4, 5), recommendation="maybe",
                            comment="", submit=True)
            with CaptureQueriesContext(connection) as queries:
                review_save(assignment=assignments[-1], scores=scored(panel_call, 4, 5), recommendation="maybe",
                            comment="", submit=True)
            assert_kept(applications)
        return len(queries)

    assert submitting(1) == submitting(20)


def test_after_a_random_sequence_of_the_review_services_every_tally_equals_a_fresh_count(funder, panel_call):
    rng = random.Random(12)
    with scope(funder=funder):
        stage = panel_call.stages.get(kind=Stage.Kind.PANEL)
    applications = [ApplicationFactory(call=panel_call, state=State.IN_REVIEW, current_stage=stage,
                                       title=f"Projekt {n}") for n in range(6)]
    panel = [staff(funder, Role.PANEL_MEMBER, user__email=f"granskare{n}@example.se") for n in range(5)]
    with scope(funder=funder):
        for _step in range(120):
            action = rng.choice(["assign", "assign", "declare", "declare", "draft", "submit", "submit", "close",
                                 "reweigh"])
            assignments = list(Assignment.objects.filter(application__in=applications).select_related("review"))
            undeclared = [a for a in assignments if a.has_conflict is None]
            open_ = [a for a in assignments if a.has_conflict is False and not (
                hasattr(a, "review") and a.review.submitted_at)]
            if action == "assign":
                application, reviewer = rng.choice(applications), rng.choice(panel)
                if not any(a.application_id == application.pk and a.reviewer_id == reviewer.pk for a in assignments):
                    assigned(application, reviewer)
            elif action == "declare" and undeclared:
                conflict = rng.random() < 0.2
                assignment_declare(assignment=rng.choice(undeclared), has_conflict=conflict,
                                   note="Jäv." if conflict else "")
            elif action in ("draft", "submit") and open_:
                review_save(assignment=rng.choice(open_), recommendation=rng.choice(["fund", "maybe", "reject"]),
                            comment="", submit=action == "submit",
                            scores=scored(panel_call, rng.randint(1, 7), rng.randint(1, 7)))
            elif action == "close" and rng.random() < 0.3:
                assignments_close_open(reviewer=rng.choice(panel))
            elif action == "reweigh" and rng.random() < 0.5:
                need, benefit = panel_call.criteria.all()
                weight = rng.randrange(10, 91, 10)
                call_set_criteria(call=panel_call, criteria=[{"id": need.pk, "name": need.name, "weight": weight},
                                                             {"id": benefit.pk, "name": benefit.name,
                                                              "weight": 100 - weight}])
        assert Review.objects.submitted().count() >= 10  # the sequence went far enough to mean something
        assert_kept(applications)


def test_the_migration_fills_the_tallies_of_the_applications_there_are(funder, at_panel, panel):
    with scope(funder=funder):
        for application, reviewer in zip(at_panel, panel):
            assignment = assigned(application, reviewer)
            assignment_declare(assignment=assignment, has_conflict=False)
            review_save(assignment=assignment, scores=scored(application.call, 5, 3), recommendation="maybe",
                        comment="", submit=True)
    with scopes_disabled():
        ReviewTally.objects.all().delete()
        importlib.import_module("review.migrations.0012_review_tally").fill_tallies(apps, None)
        assert ReviewTally.objects.count() == 3
        assert_kept(at_panel)


def test_the_demo_and_the_scale_data_come_with_their_tallies(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_scale", "--funders", "2", "--calls", "9", "--applications", "200", "--big-call", "40",
                 "--panel", "6", stdout=StringIO())
    with scopes_disabled():
        assessed = list(Application.objects.filter(assignments__isnull=False).distinct().select_related("call"))
        assert len(assessed) > 40
        assert_kept(assessed)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_conflict_declared_while_another_reviewer_submits_leaves_both_in_the_tally(funder, at_panel, panel,
                                                                                      monkeypatch):
    """Each writer locks the application before computing its tally, so the later one counts what the earlier one
    wrote: without the lock, the one that waited would store a tally missing the other's write."""
    if connection.vendor != "postgresql":
        service_unavailable("thread races need PostgreSQL (set DATABASE_URL)")
    textilsvinn = at_panel[0]
    with scope(funder=funder):
        reviewing, conflicted = assigned(textilsvinn, panel[0]), assigned(textilsvinn, panel[1])
        assignment_declare(assignment=reviewing, has_conflict=False)
    barrier, original = threading.Barrier(2, timeout=1.0), review_services._tally_again

    def held(application_ids):  # the first to have computed its tally waits (a second at most) before committing
        original(application_ids)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other writer already waits on our row lock
            barrier.wait()

    monkeypatch.setattr(review_services, "_tally_again", held)
    jobs = [lambda: review_save(assignment=reviewing, scores=scored(textilsvinn.call, 6, 6), recommendation="fund",
                                comment="", submit=True),
            lambda: assignment_declare(assignment=conflicted, has_conflict=True, note="Min bror söker.")]

    def run(job):
        try:
            with scope(funder=funder):
                job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with scope(funder=funder):
        tally = ReviewTally.objects.get(application=textilsvinn)
        assert (tally.reviews_done, tally.reviews_expected, tally.weighted_sum) == (1, 1, 600)
