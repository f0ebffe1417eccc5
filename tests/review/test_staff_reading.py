"""What the funder's staff may read of an application: from its submission on, in the states their role works on,
with its files; and what a call anonymous to the panel hides from it."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.lifecycle import State
from applications.models import ApplicantProfile, Attachment, Collaborator, Revision
from calls.models import Criterion, EligibilityQuestion, Question, Section
from fundportal.models import Role
from fundportal.tenancy import scope, scopes_disabled
from review.decisions import decision_record, decisions_release
from review.models import Assignment, Screening
from review.services import assignment_declare, assignments_auto, review_save
from tests.factories import ApplicationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def screening_url(application):
    return reverse("review:screening", args=[application.funder.slug, application.pk])


@pytest.fixture
def form(funder, panel_call):
    """The call's form: a participants table, a question marked as identifying, the project plan and the CV."""
    with scopes_disabled():
        section = Section.objects.create(funder=funder, call=panel_call, position=0, title={"en": "The project"})
        questions = {
            "purpose": Question.objects.create(funder=funder, section=section, position=0, kind="long_text",
                                               label={"en": "Purpose"}),
            "unit": Question.objects.create(funder=funder, section=section, position=1, kind="short_text",
                                            label={"en": "Your clinic"}, settings={"identifying": True}),
            "participants": Question.objects.create(funder=funder, section=section, position=2, kind="participants",
                                                    label={"en": "Participants"}),
            "plan": Question.objects.create(funder=funder, section=section, position=3, kind="file",
                                            label={"en": "Project plan"}),
            "cv": Question.objects.create(funder=funder, section=section, position=4, kind="file",
                                          label={"en": "CV of the project leader"}, settings={"identifying": True}),
        }
    return questions


def attach(application, question, name):
    with scopes_disabled():
        attachment = Attachment(funder=application.funder, application=application, question=question, original_name=name,
                                content_type="application/pdf", size=15, uploaded_by=application.applicant)
        attachment.file.save(name, ContentFile(b"%PDF-1.4 a plan"))
    return attachment


def fill(application, form):
    application.answers = {f"q{form['purpose'].pk}": "Less textile waste in care",
                           f"q{form['unit'].pk}": "Karolinska Solna, klinik för infektion",
                           f"q{form['participants'].pk}": [{"name": "Annika Ström", "email": "annika@karolinska.example"}]}
    application.save()
    return attach(application, form["plan"], "projektplan.pdf"), attach(application, form["cv"], "cv-annika-strom.pdf")


@pytest.mark.parametrize("state", [State.DRAFT, State.WITHDRAWN])
def test_a_screener_cannot_open_or_check_an_unsubmitted_or_withdrawn_application(client, funder, panel_call, state):
    application = ApplicationFactory(call=panel_call, state=state, title="Half written")
    with scope(funder=funder):
        item = panel_call.checklist.first()
    for role in (Role.SCREENER, Role.ADMINISTRATOR):
        client.force_login(staff(funder, role))
        assert client.get(screening_url(application)).status_code == 404
        assert client.post(screening_url(application), {f"check-result_{item.pk}": "pass", "save": "1"}).status_code == 404
    with scope(funder=funder):
        assert not Screening.objects.filter(application=application).exists()


def test_a_draft_has_no_decision_page_and_passing_it_in_bulk_does_nothing(client, funder, panel_call, submitted):
    draft = ApplicationFactory(call=panel_call, state=State.DRAFT, title="Half written")
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    assert client.get(reverse("review:decision", args=[funder.slug, panel_call.slug, draft.pk])).status_code == 404
    assert client.get(reverse("review:decision", args=[funder.slug, panel_call.slug, submitted[0].pk])).status_code == 404
    client.post(reverse("review:queue", args=[funder.slug]), {"selected": [draft.pk, "abc", "99999999999999999999"]})
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_the_screener_opens_the_files_of_an_application_in_screening(client, funder, submitted, form):
    plan, _cv = fill(submitted[0], form)
    client.force_login(staff(funder, Role.SCREENER))
    page = client.get(screening_url(submitted[0])).content.decode()
    url = reverse("applications:attachment", args=[funder.slug, submitted[0].pk, plan.pk])
    assert f'href="{url}"' in page
    assert client.get(url).status_code == 200


def test_files_answer_404_to_staff_whose_work_the_application_is_not(client, funder, panel_call, form, panel):
    draft = ApplicationFactory(call=panel_call, state=State.DRAFT)
    plan, _cv = fill(draft, form)
    url = reverse("applications:attachment", args=[funder.slug, draft.pk, plan.pk])
    for person in (staff(funder, Role.SCREENER), panel[0], staff(funder, Role.STEERING_MEMBER), UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404


@pytest.fixture
def reviewing(funder, at_panel, panel, form):
    """The first application at the panel, filled in, with one reviewer who declared no conflict."""
    application = at_panel[0]
    files = fill(application, form)
    with scope(funder=funder):
        assignments_auto(applications=[application], per_application=1, by=staff(funder))
        assignment = Assignment.objects.get(application=application)
    return application, assignment, files


def test_the_assigned_reviewer_opens_the_files_and_a_conflicted_or_unassigned_one_does_not(client, funder, reviewing, panel):
    application, assignment, (plan, _cv) = reviewing
    url = reverse("applications:attachment", args=[funder.slug, application.pk, plan.pk])
    client.force_login(assignment.reviewer)
    assert client.get(url).status_code == 404  # impartiality not declared yet
    with scope(funder=funder):
        assignment_declare(assignment=assignment, has_conflict=False)
    page = client.get(reverse("review:review", args=[funder.slug, assignment.pk])).content.decode()
    assert f'href="{url}"' in page and client.get(url).status_code == 200
    client.force_login(next(member for member in panel if member != assignment.reviewer))
    assert client.get(url).status_code == 404
    client.force_login(staff(funder, Role.STEERING_MEMBER))
    assert client.get(url).status_code == 200


def test_the_declaration_names_who_applied(client, funder, reviewing):
    application, assignment, _files = reviewing
    with scopes_disabled():
        ApplicantProfile.objects.create(user=application.applicant, organisation="Karolinska Universitetssjukhuset")
        Collaborator.objects.create(funder=funder, application=application, email="olle@kth.example")
    client.force_login(assignment.reviewer)
    page = client.get(reverse("review:review", args=[funder.slug, assignment.pk])).content.decode()
    assert str(application.applicant) in page and "Karolinska Universitetssjukhuset" in page
    assert "olle@kth.example (kth.example)" in page


def test_an_anonymous_call_hides_who_applied_from_the_panel_on_every_page(client, funder, reviewing):
    application, assignment, (plan, cv) = reviewing
    application.call.anonymous_to_panel = True
    application.call.save()
    application.manager_name = "Maria Chef"
    application.save()
    client.force_login(assignment.reviewer)
    url = reverse("review:review", args=[funder.slug, assignment.pk])
    declaration = client.get(url).content.decode()
    assert str(application.applicant) not in declaration and "hides the applicant's identity" in declaration
    client.post(url, {"has_conflict": "no"})
    page = client.get(url).content.decode()
    assert "Less textile waste in care" in page and "projektplan.pdf" in page
    for hidden in ("Annika Ström", "annika@karolinska.example", "Karolinska Solna", "cv-annika-strom.pdf",
                   str(application.applicant), "Maria Chef", application.title):
        assert hidden not in page
    assert client.get(reverse("applications:attachment", args=[funder.slug, application.pk, cv.pk])).status_code == 404
    assert client.get(reverse("applications:attachment", args=[funder.slug, application.pk, plan.pk])).status_code == 200


def test_a_finished_review_stays_readable_after_the_release_and_shows_the_guidance(client, funder, reviewing):
    application, assignment, _files = reviewing
    with scope(funder=funder):
        need, benefit = application.call.criteria.all()
        Criterion.objects.filter(pk=need.pk).update(
            guidance={"en": "Is the need shown by patients or staff, with numbers?"},
            score_guidance={"1": {"en": "No need shown"}, "7": {"en": "Strong, measured need"}})
    client.force_login(assignment.reviewer)
    url = reverse("review:review", args=[funder.slug, assignment.pk])
    client.post(url, {"has_conflict": "no"})
    page = client.get(url).content.decode()
    assert "Is the need shown by patients or staff, with numbers?" in page
    assert "7 — Strong, measured need" in page and "1 — No need shown" in page
    with scope(funder=funder):
        review_save(assignment=assignment, recommendation="fund", comment="A clear need.", submit=True, scores={
            str(need.pk): {"score": 6, "comment": ""}, str(benefit.pk): {"score": 5, "comment": ""}})
        admin = staff(funder, Role.ADMINISTRATOR)
        decision_record(application=application, by=admin, outcome="granted", amount=100_000)
        decisions_release(call=application.call, by=admin)
    dashboard = client.get(reverse("review:dashboard", args=[funder.slug])).content.decode()
    assert url in dashboard
    response = client.get(url)
    assert response.status_code == 200 and "A clear need." in response.content.decode()
    assert client.post(url, {"recommendation": "reject", "submit": "1"}).status_code == 404


def test_the_screener_sees_the_eligibility_answers_and_what_changed_after_a_completion(client, funder, submitted, form):
    application = submitted[0]
    with scopes_disabled():
        EligibilityQuestion.objects.create(funder=funder, call=application.call, text={"en": "Do you work at least half time in the region?"},
                                           eligible_answer=True)
    fill(application, form)
    with scopes_disabled():
        before = {**application.answers, f"q{form['purpose'].pk}": "Less waste"}
        Revision.objects.create(funder=funder, application=application, number=1, title=application.title,
                                answers=before, by=application.applicant)
        Revision.objects.create(funder=funder, application=application, number=2, title=application.title,
                                answers=application.answers, by=application.applicant)
    client.force_login(staff(funder, Role.SCREENER))
    page = client.get(screening_url(application)).content.decode()
    assert "Do you work at least half time in the region? — <strong>Yes</strong>" in page
    assert "Changed since the return for completion" in page and "Less textile waste in care" in page
    assert page.count("changed since the return</span>") == 1  # only the purpose changed
