"""Fund administrators set up calls in the browser-facing pages: stories, validation and permissions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.lifecycle import State
from calls.models import Call, CallChange, Fund, Question, Section
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import ApplicationFactory, CallFactory, FundFactory, FunderFactory, make_publishable, staff

pytestmark = pytest.mark.django_db


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def formset_data(rows, prefix="items", initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def manage(name, funder, *args):
    return reverse(f"calls:{name}", args=[funder.slug, *args])


SEED_CALLS = {
    "region-stockholm": {"currency": "SEK", "fund": "Innovationsfonden", "title_sv": "Innovationsfonden 2025",
                         "application_types": ["new", "continuation", "implementation"], "requires_manager_approval": "on"},
    "forskningsradet": {"currency": "NOK", "fund": "Innovasjonsprosjekt i offentlig sektor",
                        "title_nb": "Innovasjonsprosjekt i offentlig sektor 2025", "application_types": ["new"],
                        "themes": "Helsetjenester\nDigitalisering", "eligible_cost_categories": ["personnel", "research_fellows", "direct_costs"]},
    "region-norrbotten": {"currency": "SEK", "fund": "Regionala 1:1-medel", "title_sv": "Regional medfinansiering 2025",
                          "application_types": ["new"]},
    "stimulab": {"currency": "NOK", "fund": "#StimuLab", "title_nb": "#StimuLab prekvalifisering", "application_types": ["new"]},
}


@pytest.mark.parametrize("slug", sorted(SEED_CALLS))
def test_an_administrator_creates_a_call_and_sees_it_open_on_the_public_page(client, slug):
    setup = SEED_CALLS[slug]
    funder = FunderFactory(slug=slug, name=slug.title(), currency=setup["currency"],
                           time_zone="Europe/Oslo" if setup["currency"] == "NOK" else "Europe/Stockholm")
    fund = FundFactory(funder=funder, name=setup["fund"])
    client.force_login(staff(funder))

    fields = {key: value for key, value in setup.items() if key not in ("fund",)}
    response = client.post(manage("manage_call_create", funder), {
        "fund": fund.pk, "slug": "call-2025", "budget": "10000000", "score_min": 1, "score_max": 7, **fields})
    assert response.status_code == 302, response.context["form"].errors
    now = timezone.now()
    with timezone.override(funder.time_zone):
        client.post(manage("manage_periods", funder, "call-2025"), formset_data([
            {"opens_at": local_input(now - timedelta(days=1)), "closes_at": local_input(now + timedelta(days=30))}]))
    client.post(manage("manage_pipeline", funder, "call-2025"), formset_data([
        {"kind": "screening", "name": "Screening"}, {"kind": "decision", "name": "Decision"}]))
    client.post(manage("manage_form", funder, "call-2025"), {"title_en": "The project"})
    with scope(funder=funder):
        section = Section.objects.get(call__slug="call-2025")
    client.post(manage("manage_question_create", funder, "call-2025", section.pk), {"kind": "long_text", "label_en": "Purpose"})
    client.post(manage("manage_action", funder, "call-2025", "publish"))

    listing = client.get(reverse("calls:call_list", args=[slug])).context["listing"]
    assert [call.slug for call in listing.open] == ["call-2025"]
    with scope(funder=funder):
        call = Call.objects.get(slug="call-2025")
    assert call.currency == setup["currency"] and call.application_types == setup["application_types"]


def test_a_call_form_with_a_budget_of_zero_keeps_what_was_typed_and_says_why(client, funder):
    fund = FundFactory(funder=funder)
    client.force_login(staff(funder))
    response = client.post(manage("manage_call_create", funder), {
        "fund": fund.pk, "slug": "x", "budget": "0", "currency": "SEK", "application_types": ["new"],
        "score_min": 1, "score_max": 7, "title_sv": "Innovationsfonden 2025", "summary_sv": "Min långa text"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The budget must be more than zero." in page
    assert "Innovationsfonden 2025" in page and "Min långa text" in page
    with scope(funder=funder):
        assert not Call.objects.exists()


def test_a_call_needs_a_title_in_some_language(client, funder):
    fund = FundFactory(funder=funder)
    client.force_login(staff(funder))
    response = client.post(manage("manage_call_create", funder), {
        "fund": fund.pk, "slug": "x", "budget": "100", "currency": "SEK", "application_types": ["new"],
        "score_min": 1, "score_max": 7})
    assert "Write this in at least one language." in response.content.decode()


@pytest.fixture
def call(funder):
    return CallFactory(fund__funder=funder, slug="innovationsfonden-2025")


def test_periods_that_close_before_they_open_or_overlap_are_refused_on_the_page(client, funder, call):
    client.force_login(staff(funder))
    response = client.post(manage("manage_periods", funder, call.slug), formset_data([
        {"opens_at": "2024-02-02T00:00", "closes_at": "2024-01-01T00:00"}]))
    assert "A period must close after it opens." in response.content.decode()
    response = client.post(manage("manage_periods", funder, call.slug), formset_data([
        {"opens_at": "2023-09-20T00:00", "closes_at": "2023-10-23T23:59"},
        {"opens_at": "2023-10-01T00:00", "closes_at": "2024-02-02T23:59"}]))
    page = response.content.decode()
    assert "Application periods may not overlap." in page
    assert "2023-10-01T00:00" in page  # what was typed is still there
    with scope(funder=funder):
        assert not call.periods.exists()


def test_periods_are_entered_in_the_funders_time_zone(client, funder, call):
    client.force_login(staff(funder))
    client.post(manage("manage_periods", funder, call.slug), formset_data([
        {"opens_at": "2023-09-20T00:00", "closes_at": "2023-10-23T23:59", "decision_week": "1"}]))
    with scope(funder=funder):
        period = call.periods.get()
    assert period.opens_at.isoformat() == "2023-09-19T22:00:00+00:00"  # midnight in Stockholm (CEST)


def test_criteria_weights_that_do_not_add_up_are_refused_on_the_page(client, funder, call):
    client.force_login(staff(funder))
    response = client.post(manage("manage_criteria", funder, call.slug), formset_data([
        {"name_sv": "Behov", "weight": "30"}, {"name_sv": "Nytta", "weight": "60"}]))
    assert "add up to 90 %; they must add up to 100 %" in response.content.decode()
    client.post(manage("manage_criteria", funder, call.slug), formset_data([
        {"name_sv": "Behov", "weight": "40"}, {"name_sv": "Nytta", "weight": "60"}]))
    with scope(funder=funder):
        assert [c.weight for c in call.criteria.all()] == [40, 60]


def test_editing_a_published_call_shows_in_its_history(client, funder, call):
    admin = staff(funder)
    client.force_login(admin)
    client.post(manage("manage_action", funder, make_publishable(call).slug, "publish"))
    with scope(funder=funder):
        fund = Fund.objects.get()
    client.post(manage("manage_call", funder, call.slug), {
        "fund": fund.pk, "budget": "16000000", "currency": "SEK", "application_types": ["new"],
        "score_min": 1, "score_max": 7, "title_sv": "Utlysning"})
    page = client.get(manage("manage_history", funder, call.slug)).content.decode()
    assert "Budget: SEK\xa015,000,000 → SEK\xa016,000,000" in page
    with scope(funder=funder):
        assert CallChange.objects.get().by == admin


def test_copying_a_call_on_the_page(client, funder, call):
    client.force_login(staff(funder))
    response = client.post(manage("manage_copy", funder, call.slug), {"slug": "innovationsfonden-2026", "title": "Innovationsfonden 2026"})
    assert response.status_code == 302
    with scope(funder=funder):
        assert Call.objects.get(slug="innovationsfonden-2026").title == {"sv": "Innovationsfonden 2026"}


def test_the_form_builder_adds_a_section_and_questions_and_the_preview_shows_them(client, funder, call):
    client.force_login(staff(funder))
    client.post(manage("manage_form", funder, call.slug), {"title_sv": "Projektet", "title_en": "The project"})
    with scope(funder=funder):
        section = Section.objects.get(call=call)
    response = client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "long_text", "label_en": "Purpose", "required": "on", "max_words": "3"})
    assert response.status_code == 302
    client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "budget", "label_en": "Budget", "cost_categories": ["personnel", "direct_costs"], "years": "2"})
    client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "declaration", "label_en": "The result belongs to Region Stockholm.", "required": "on"})

    preview = client.get(manage("manage_preview", funder, call.slug)).content.decode()
    assert "Purpose" in preview and "data-max-words=\"3\"" in preview
    assert "Personnel" in preview and "Year 2" in preview
    assert "The result belongs to Region Stockholm." in preview

    with scope(funder=funder):
        purpose = Question.objects.get(kind="long_text")
    checked = client.post(manage("manage_preview", funder, call.slug), {f"s{section.pk}-q{purpose.pk}": "far too many words here"})
    assert "5 words; at most 3 are allowed." in checked.content.decode()


def test_a_date_question_can_mark_the_start_of_the_project_for_the_letters(client, funder, call):
    client.force_login(staff(funder))
    client.post(manage("manage_form", funder, call.slug), {"title_sv": "Projektet"})
    with scope(funder=funder):
        section = Section.objects.get(call=call)
    client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "date", "label_sv": "Projektstart", "required": "on", "project_date": "start"})
    client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "short_text", "label_sv": "Namn", "project_date": "end"})  # only dates can mark the period
    with scope(funder=funder):
        assert Question.objects.get(kind="date").settings == {"project_date": "start"}
        assert "project_date" not in Question.objects.get(kind="short_text").settings


def test_a_choice_question_needs_two_choices(client, funder, call):
    client.force_login(staff(funder))
    with scope(funder=funder):
        section = Section.objects.create(funder=funder, call=call, title={"sv": "Projektet"})
    response = client.post(manage("manage_question_create", funder, call.slug, section.pk), {
        "kind": "single_choice", "label_sv": "Temaområde", "choices": "Digitalisering"})
    assert "Give at least two choices." in response.content.decode()


def test_once_applications_exist_a_question_cannot_be_removed_or_change_kind(client, funder, call):
    client.force_login(staff(funder))
    with scope(funder=funder):
        section = Section.objects.create(funder=funder, call=call, title={"sv": "Projektet"})
        question = Question.objects.create(funder=funder, section=section, kind="long_text", label={"sv": "Syfte"})
    ApplicationFactory(call=call, state=State.DRAFT)
    response = client.post(manage("manage_form_action", funder, call.slug, "delete-question", question.pk), follow=True)
    assert "a question cannot be removed" in response.content.decode()
    response = client.post(manage("manage_question", funder, call.slug, section.pk, question.pk),
                           {"kind": "number", "label_sv": "Syfte"})
    assert "its kind cannot change" in response.content.decode()
    response = client.post(manage("manage_question", funder, call.slug, section.pk, question.pk),
                           {"kind": "long_text", "label_sv": "Projektets syfte"})
    assert response.status_code == 302
    with scope(funder=funder):
        question.refresh_from_db()
    assert question.label == {"sv": "Projektets syfte"} and question.kind == "long_text"


def test_once_applications_exist_the_form_builder_offers_no_removal_it_would_refuse(client, funder, call):
    client.force_login(staff(funder))
    with scope(funder=funder):
        answered = Section.objects.create(funder=funder, call=call, title={"sv": "Projektet"})
        Question.objects.create(funder=funder, section=answered, kind="long_text", label={"sv": "Syfte"})
        empty = Section.objects.create(funder=funder, call=call, title={"sv": "Bilagor"}, position=1)
    page = client.get(manage("manage_form", funder, call.slug)).content.decode()
    assert "delete-question" in page and "delete-section" in page
    ApplicationFactory(call=call, state=State.DRAFT)
    page = client.get(manage("manage_form", funder, call.slug)).content.decode()
    assert "delete-question" not in page
    assert f"delete-section/{answered.pk}/" not in page and f"delete-section/{empty.pk}/" in page


MANAGE_PAGES = ["manage_call", "manage_periods", "manage_criteria", "manage_eligibility", "manage_pipeline",
                "manage_history", "manage_copy", "manage_form", "manage_preview"]


@pytest.mark.parametrize("page", MANAGE_PAGES)
@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_open_the_call_setup_pages(client, funder, people, call, role, page):
    client.force_login(people[role])
    assert client.get(manage(page, funder, call.slug)).status_code == (200 if role == Role.ADMINISTRATOR else 403)


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_applicants_get_404_on_call_setup_pages(client, funder, people, call, page):
    client.force_login(people["applicant"])
    assert client.get(manage(page, funder, call.slug)).status_code == 404


def test_the_form_builder_query_count_does_not_grow_with_questions(client, funder, call, django_assert_max_num_queries):
    client.force_login(staff(funder))

    def add_questions(count):
        with scope(funder=funder):
            section = Section.objects.create(funder=funder, call=call, title={"sv": "Del"})
            for number in range(count):
                Question.objects.create(funder=funder, section=section, kind="short_text", label={"sv": f"Fråga {number}"})

    add_questions(1)
    with django_assert_max_num_queries(20) as one:
        client.get(manage("manage_form", funder, call.slug))
        client.get(manage("manage_preview", funder, call.slug))
    add_questions(15)
    add_questions(15)
    with django_assert_max_num_queries(20) as many:
        client.get(manage("manage_form", funder, call.slug))
        client.get(manage("manage_preview", funder, call.slug))
    assert len(many) == len(one)


def test_sections_move_up_and_down_and_the_applicants_form_follows(client, funder, call):
    client.force_login(staff(funder))
    for title in ("Projektet", "Budget", "Bilagor"):
        client.post(manage("manage_form", funder, call.slug), {"title_sv": title})
    with scope(funder=funder):
        projektet, budget, bilagor = Section.objects.filter(call=call).order_by("position")
    client.post(manage("manage_form_action", funder, call.slug, "section-down", projektet.pk))
    for _twice in range(2):
        client.post(manage("manage_form_action", funder, call.slug, "section-up", bilagor.pk))
    client.post(manage("manage_form_action", funder, call.slug, "section-up", bilagor.pk))  # already first: no change
    with scope(funder=funder):
        assert list(Section.objects.filter(call=call).values_list("title__sv", flat=True)) == ["Bilagor", "Budget", "Projektet"]
    preview = client.get(manage("manage_preview", funder, call.slug)).content.decode()
    assert preview.index("Bilagor") < preview.index("Budget") < preview.index("Projektet")


def test_an_archived_call_can_be_brought_back(client, funder, call):
    client.force_login(staff(funder))
    client.post(manage("manage_action", funder, call.slug, "archive"))
    page = client.get(manage("manage_call", funder, call.slug)).content.decode()
    assert "Bring back from the archive" in page
    page = client.post(manage("manage_action", funder, call.slug, "unarchive"), follow=True).content.decode()
    assert "The call is back from the archive." in page and "Bring back from the archive" not in page
    with scope(funder=funder):
        call.refresh_from_db()
    assert call.archived_at is None


def test_the_administrator_sets_how_many_days_before_the_deadline_drafts_are_reminded(client, funder, call):
    client.force_login(staff(funder))
    with scope(funder=funder):
        fund = Fund.objects.get()
    client.post(manage("manage_call", funder, call.slug), {
        "fund": fund.pk, "budget": "16000000", "currency": "SEK", "application_types": ["new"],
        "score_min": 1, "score_max": 7, "title_sv": "Utlysning", "reminder_days": "14"})
    with scope(funder=funder):
        call.refresh_from_db()
    assert call.reminder_days == 14
    client.post(manage("manage_call", funder, call.slug), {
        "fund": fund.pk, "budget": "16000000", "currency": "SEK", "application_types": ["new"],
        "score_min": 1, "score_max": 7, "title_sv": "Utlysning", "reminder_days": ""})
    with scope(funder=funder):
        call.refresh_from_db()
    assert call.reminder_days == 7  # left empty: the standard week


def test_a_new_call_starts_with_no_theme_and_its_themes_stay_one_a_line_however_often_it_is_saved(client, funder):
    from tests.html_forms import form_as_rendered

    fund = FundFactory(funder=funder)
    client.force_login(staff(funder))
    new = client.get(manage("manage_call_create", funder))
    assert new.context["form"]["themes"].value() == ""
    client.post(manage("manage_call_create", funder), {
        "fund": fund.pk, "slug": "ipos-2025", "budget": "120000000", "currency": "NOK", "application_types": ["new"],
        "score_min": 1, "score_max": 7, "title_nb": "Innovasjonsprosjekt", "themes": "Helsetjenester\r\nDigitalisering"})
    for _save in range(2):
        page = client.get(manage("manage_call", funder, "ipos-2025"))
        assert page.context["form"]["themes"].value() == "Helsetjenester\nDigitalisering"
        client.post(manage("manage_call", funder, "ipos-2025"), form_as_rendered(page))
    with scope(funder=funder):
        assert Call.objects.get(slug="ipos-2025").themes == ["Helsetjenester", "Digitalisering"]


def test_the_history_names_the_fields_and_shows_values_as_the_administrator_wrote_them(client, funder, call):
    from tests.html_forms import form_as_rendered

    client.force_login(staff(funder))
    client.post(manage("manage_action", funder, make_publishable(call).slug, "publish"))
    data = form_as_rendered(client.get(manage("manage_call", funder, call.slug)))
    data.update({"themes": ["Trafik\r\nKultur"], "requires_manager_approval": ["on"],
                 "eligible_cost_categories": ["personnel", "travel"]})
    client.post(manage("manage_call", funder, call.slug), data)
    page = client.get(manage("manage_history", funder, call.slug)).content.decode()
    assert "Theme areas: — → Trafik, Kultur" in page
    assert "The applicant&#x27;s manager must approve: No → Yes" in page
    assert "Eligible cost categories: — → Personnel, Travel" in page
    assert "[" not in page.split("Changes after publication")[-1].split("</table>")[0]  # no Python lists
    assert "requires_manager_approval" not in page and "themes:" not in page


def test_the_preview_runs_the_applicants_counters_and_budget_totals_and_saves_nothing(client, funder, call):
    client.force_login(staff(funder))
    with scope(funder=funder):
        section = Section.objects.create(funder=funder, call=call, title={"en": "The project"})
        Question.objects.create(funder=funder, section=section, kind="long_text", label={"en": "Purpose"}, settings={"max_words": 300})
        Question.objects.create(funder=funder, section=section, kind="budget", label={"en": "Budget"},
                                settings={"cost_categories": ["personnel"], "years": 2})
    applicants_page_script = "js/application_form.js"
    preview = client.get(manage("manage_preview", funder, call.slug)).content.decode()
    assert applicants_page_script in preview
    assert 'id="answers-form"' in preview and 'data-words-label="words"' in preview and 'data-currency="SEK"' in preview
    assert "data-max-words=\"300\"" in preview and "data-grand-total" in preview
    assert "data-autosave-url" not in preview  # the script counts and adds up but sends nothing
    assert "Project title" in preview  # asked first, as on the applicant's first step
