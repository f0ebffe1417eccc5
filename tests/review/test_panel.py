"""The panel: assignments, impartiality, reviews and the ranking."""

import pytest
from django.urls import reverse

from applications.services import application_transition
from calls.models import Question, Section
from fundportal.models import Role
from fundportal.tenancy import scope
from review.models import Assignment
from review.services import assignment_declare, assignments_auto, review_save
from tests.factories import staff

pytestmark = pytest.mark.django_db


def review_url(funder, assignment):
    return reverse("review:review", args=[funder.slug, assignment.pk])


def assign_all(funder, applications, per_application=2):
    with scope(funder=funder):
        assignments_auto(applications=applications, per_application=per_application, by=staff(funder))
        return list(Assignment.objects.select_related("reviewer").order_by("application_id", "reviewer__email"))


def test_automatic_assignment_balances_the_load_and_skips_conflicts(funder, at_panel, panel):
    assignments = assign_all(funder, at_panel, per_application=2)
    load = {}
    for assignment in assignments:
        load[assignment.reviewer.email] = load.get(assignment.reviewer.email, 0) + 1
    assert len(assignments) == 6 and sorted(load.values()) == [2, 2, 2]

    conflicted = assignments[0]
    with scope(funder=funder):
        assignment_declare(assignment=conflicted, has_conflict=True, note="My sister runs the project.")
        assignments_auto(applications=[conflicted.application], per_application=2, by=staff(funder))
        active = Assignment.objects.filter(application=conflicted.application).exclude(has_conflict=True)
        assert conflicted.reviewer not in [a.reviewer for a in active] and active.count() == 2


def test_a_reviewer_declares_impartiality_before_seeing_the_application(client, funder, at_panel, panel):
    assignment = assign_all(funder, at_panel)[0]
    client.force_login(assignment.reviewer)
    page = client.get(review_url(funder, assignment)).content.decode()
    assert "conflict of interest" in page and assignment.application.title not in page
    client.post(review_url(funder, assignment), {"has_conflict": "no"})
    assert assignment.application.title in client.get(review_url(funder, assignment)).content.decode()


def test_a_declared_conflict_removes_access(client, funder, at_panel, panel):
    assignment = assign_all(funder, at_panel)[0]
    client.force_login(assignment.reviewer)
    client.post(review_url(funder, assignment), {"has_conflict": "yes", "note": "Former colleague"})
    assert client.get(review_url(funder, assignment)).status_code == 404


def test_a_reviewer_sees_only_their_own_assignments_and_only_while_the_stage_is_open(client, funder, at_panel, panel):
    first, second = assign_all(funder, at_panel)[:2]
    client.force_login(second.reviewer)
    assert client.get(review_url(funder, first)).status_code == 404
    client.force_login(first.reviewer)
    client.post(review_url(funder, first), {"has_conflict": "no"})
    with scope(funder=funder):
        application_transition(application=first.application, action="advance", by=staff(funder))
    assert client.get(review_url(funder, first)).status_code == 404


def score_form(assignment, need, benefit, submit):
    with scope(funder=assignment.funder):
        criteria = list(assignment.application.call.criteria.all())
    data = {f"score_{criteria[0].pk}": need, f"score_{criteria[1].pk}": benefit, "recommendation": "fund",
            "comment": "Strong need.", f"comment_{criteria[0].pk}": "Clear"}
    data["submit" if submit else "save"] = "1"
    return data


def test_a_draft_review_is_saved_and_a_submission_needs_every_score(client, funder, at_panel, panel):
    assignment = assign_all(funder, at_panel)[0]
    client.force_login(assignment.reviewer)
    client.post(review_url(funder, assignment), {"has_conflict": "no"})
    with scope(funder=funder):
        criteria = list(assignment.application.call.criteria.all())
    client.post(review_url(funder, assignment), {f"score_{criteria[0].pk}": "6", "save": "1"})
    response = client.post(review_url(funder, assignment), {f"score_{criteria[0].pk}": "6", "submit": "1"})
    assert "Score every criterion and give a recommendation" in response.content.decode()
    with scope(funder=funder):
        assignment.refresh_from_db()
        assert assignment.review.scores[str(criteria[0].pk)]["score"] == 6 and assignment.review.submitted_at is None
    client.post(review_url(funder, assignment), score_form(assignment, 6, 5, submit=True))
    with scope(funder=funder):
        assignment.review.refresh_from_db()
        assert assignment.review.submitted_at is not None


def test_other_reviews_are_hidden_until_ones_own_is_submitted(client, funder, at_panel, panel):
    assignments = [a for a in assign_all(funder, at_panel) if a.application == at_panel[0]]
    first, second = assignments[:2]
    with scope(funder=funder):
        for assignment in (first, second):
            assignment_declare(assignment=assignment, has_conflict=False)
        review_save(assignment=second, scores={}, recommendation="reject", comment="Weak plan from panel two.", submit=False)
    client.force_login(first.reviewer)
    client.post(review_url(funder, first), score_form(first, 6, 5, submit=True))
    with scope(funder=funder):
        criteria = list(first.application.call.criteria.all())
        review_save(assignment=second, recommendation="reject", comment="Weak plan from panel two.", submit=True,
                    scores={str(criteria[0].pk): {"score": 2, "comment": ""}, str(criteria[1].pk): {"score": 3, "comment": ""}})
    assert "Weak plan from panel two." in client.get(review_url(funder, first)).content.decode()


def test_the_ranking_shows_weighted_totals_spread_and_the_running_sum(client, funder, at_panel, panel):
    assignments = assign_all(funder, at_panel)
    scores = {at_panel[0].pk: [(7, 7), (6, 6)], at_panel[1].pk: [(7, 7), (1, 1)], at_panel[2].pk: [(4, 4), (4, 4)]}
    with scope(funder=funder):
        criteria = list(at_panel[0].call.criteria.all())
        for application_id, pairs in scores.items():
            for assignment, (need, benefit) in zip([a for a in assignments if a.application_id == application_id], pairs):
                assignment_declare(assignment=assignment, has_conflict=False)
                review_save(assignment=assignment, recommendation="fund", comment="", submit=True, scores={
                    str(criteria[0].pk): {"score": need, "comment": ""}, str(criteria[1].pk): {"score": benefit, "comment": ""}})
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    rows = client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])).context["rows"]
    assert [row.application.title for row in rows] == ["Textilsvinn", "IVA-dagboken", "Robyn"]
    assert [row.total for row in rows] == [6.5, 4.0, 4.0]
    assert [row.disagreement for row in rows] == [False, True, False]
    assert [int(row.running_sum) for row in rows] == [450_000, 850_000, 1_150_000]  # the last passes the 1 000 000 budget

    csv = client.get(reverse("review:ranking_export", args=[funder.slug, at_panel[0].call.slug, "csv"])).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("Rank;Case number;Project") and lines[1].startswith("1;RS-IF-2026-0001;Textilsvinn")

    import io
    import zipfile

    workbook = client.get(reverse("review:ranking_export", args=[funder.slug, at_panel[0].call.slug, "xlsx"])).content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "RS-IF-2026-0001" in strings and "Textilsvinn" in strings and "Weighted total" in strings
    assert "<v>6.5</v>" in sheet  # the weighted total is a number Excel can sum
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        assert "xl/worksheets/sheet2.xml" in archive.namelist()  # every submitted review on its own sheet
    assert "Reviews" in strings and "Reviewer" in strings


@pytest.mark.parametrize(("role", "assignments_status", "ranking_status", "dashboard_status"), [
    (Role.ADMINISTRATOR, 200, 200, 403), (Role.SCREENER, 403, 403, 403), (Role.PANEL_MEMBER, 403, 403, 200),
    (Role.STEERING_MEMBER, 403, 200, 200)])
def test_each_role_opens_its_own_panel_pages(client, funder, panel_call, role, assignments_status, ranking_status, dashboard_status):
    client.force_login(staff(funder, role))
    assert client.get(reverse("review:assignments", args=[funder.slug, panel_call.slug])).status_code == assignments_status
    assert client.get(reverse("review:ranking", args=[funder.slug, panel_call.slug])).status_code == ranking_status
    assert client.get(reverse("review:dashboard", args=[funder.slug])).status_code == dashboard_status


def test_the_reviewer_dashboard_and_ranking_keep_their_query_counts(client, funder, at_panel, panel, django_assert_max_num_queries):
    assign_all(funder, at_panel[:1], per_application=1)
    reviewer = panel[0]
    client.force_login(reviewer)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("review:dashboard", args=[funder.slug]))
    assign_all(funder, at_panel, per_application=3)
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("review:dashboard", args=[funder.slug]))
    assert len(many) == len(one)
    admin = staff(funder, Role.ADMINISTRATOR)
    client.force_login(admin)
    with django_assert_max_num_queries(20) as ranking_many:
        client.get(reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug]))
    assert len(ranking_many) < 20


def test_the_progress_view_counts_and_names_late_reviewers(client, funder, at_panel, panel, django_assert_max_num_queries):
    import datetime

    with scope(funder=funder):
        assignments_auto(applications=at_panel[:1], per_application=2, by=staff(funder),
                         due=datetime.date(2024, 1, 1))
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("review:progress", args=[funder.slug, at_panel[0].call.slug])
    with django_assert_max_num_queries(20) as one:
        response = client.get(url)
    assert response.context["progress"]["reviews_expected"] == 2
    assert len(response.context["progress"]["late"]) == 2
    assert str(response.context["progress"]["late"][0].reviewer) in response.content.decode()
    with scope(funder=funder):
        assignments_auto(applications=at_panel, per_application=3, by=staff(funder), due=datetime.date(2024, 1, 1))
    with django_assert_max_num_queries(20) as many:
        client.get(url)
    assert len(many) == len(one)
    client.force_login(panel[0])
    assert client.get(url).status_code == 403


def test_the_progress_view_counts_a_submitted_review_and_not_a_conflicted_reviewers(client, funder, at_panel, panel):
    application = at_panel[0]
    with scope(funder=funder):
        criteria = list(application.call.criteria.all())
        made = assignments_auto(applications=[application], per_application=3, by=staff(funder))
        assert made == 3
        first, second, third = application.assignments.order_by("pk")
        for assignment in (first, second):
            assignment_declare(assignment=assignment, has_conflict=False)
        assignment_declare(assignment=third, has_conflict=True, note="My former employer")
        review_save(assignment=first, scores={str(c.pk): {"score": 5, "comment": "Clear"} for c in criteria},
                    recommendation="fund", comment="", submit=True)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.get(reverse("review:progress", args=[funder.slug, application.call.slug]))
    assert "Reviews submitted: 1 of 2." in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_each_reviewer_is_emailed_once_about_a_new_assignment(funder, at_panel, panel, mailoutbox_to_db):
    from fundportal.models import LocalMail

    assign_all(funder, at_panel[:1], per_application=2)
    assign_all(funder, at_panel[:1], per_application=2)  # nothing new: nothing sent
    mails = LocalMail.objects.filter(body__contains="/reviews/")  # in the funder's language: Swedish here
    assert mails.count() == 2
    assert {mail.recipient for mail in mails} <= {"panel1@example.se", "panel2@example.se", "panel3@example.se"}
    assert mails.first().subject.startswith("En ansökan att granska")


def test_the_ranking_and_its_export_can_be_limited_to_one_period(client, funder, at_panel, panel):
    from datetime import timedelta

    from django.utils import timezone

    from calls.models import Period

    now = timezone.now()
    with scope(funder=funder):
        first = Period.objects.create(funder=funder, call=at_panel[0].call, opens_at=now - timedelta(days=60),
                                      closes_at=now - timedelta(days=30))
        second = Period.objects.create(funder=funder, call=at_panel[0].call, opens_at=now - timedelta(days=20),
                                       closes_at=now - timedelta(days=10))
    for application, period in zip(at_panel, (first, second, second)):
        application.period = period
        application.save()
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    url = reverse("review:ranking", args=[funder.slug, at_panel[0].call.slug])
    rows = client.get(url, {"period": second.pk}).context["rows"]
    assert sorted(row.application.title for row in rows) == ["IVA-dagboken", "Robyn"]
    export = client.get(reverse("review:ranking_export", args=[funder.slug, at_panel[0].call.slug, "csv"]),
                        {"period": first.pk}).content.decode("utf-8-sig")
    assert "Textilsvinn" in export and "Robyn" not in export


def test_automatic_assignment_prefers_reviewers_who_know_the_theme(client, funder, at_panel, panel):
    from fundportal.models import Membership

    at_panel[0].call.themes = ["Digitalisering", "Transport og mobilitet"]
    at_panel[0].call.save()
    for application in at_panel:
        application.theme = "Transport og mobilitet"
        application.save()
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with scope(funder=funder):
        expert = Membership.objects.get(user=panel[2], role=Role.PANEL_MEMBER)
    client.post(reverse("review:panel", args=[funder.slug]), {f"expertise-{expert.pk}": ["Transport og mobilitet", "Nonsense"]})
    with scope(funder=funder):
        expert.refresh_from_db()
        assert expert.expertise == ["Transport og mobilitet"]
        assignments_auto(applications=at_panel, per_application=1, by=staff(funder))
        assert {a.reviewer for a in Assignment.objects.all()} == {panel[2]}


def test_the_panel_page_is_for_administrators_and_keeps_its_query_count(client, funder, panel, django_assert_max_num_queries):
    url = reverse("review:panel", args=[funder.slug])
    client.force_login(panel[0])
    assert client.get(url).status_code == 403
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for number in range(4, 12):
        staff(funder, Role.PANEL_MEMBER, user__email=f"panel{number}@example.se")
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_queue_filters_by_theme(client, funder, submitted):
    submitted[0].call.themes = ["Digitalisering", "Utdanning"]
    submitted[0].call.published_at = submitted[0].created
    submitted[0].call.save()
    submitted[0].theme = "Utdanning"
    submitted[0].save()
    client.force_login(staff(funder, Role.SCREENER))
    page = client.get(reverse("review:queue", args=[funder.slug]), {"theme": "Utdanning"}).content.decode()
    assert "Textilsvinn" in page and "Robyn" not in page


def test_a_reviewers_page_costs_the_same_queries_for_a_form_of_two_sections_as_of_eight(
        client, funder, at_panel, panel, django_assert_max_num_queries):
    application = at_panel[0]
    with scope(funder=funder):
        assignments_auto(applications=[application], per_application=1, by=staff(funder))
        assignment = application.assignments.get()
        assignment_declare(assignment=assignment, has_conflict=False)
    client.force_login(assignment.reviewer)
    url = reverse("review:review", args=[funder.slug, assignment.pk])

    def add_sections(count):
        with scope(funder=funder):
            start = Section.objects.filter(call=application.call).count()
            for position in range(start, start + count):
                section = Section.objects.create(funder=funder, call=application.call, position=position,
                                                 title={"en": f"Part {position}"})
                Question.objects.create(funder=funder, section=section, position=0, kind="short_text",
                                        label={"en": f"Question {position}"})

    add_sections(2)
    with django_assert_max_num_queries(12) as few:
        assert "Part 1" in client.get(url).content.decode()
    add_sections(6)
    with django_assert_max_num_queries(12) as many:
        assert "Part 7" in client.get(url).content.decode()
    assert len(many) == len(few)
