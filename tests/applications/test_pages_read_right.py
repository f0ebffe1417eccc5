"""The applicant's pages read right: dates one way per language, tables with their headings, the submit page of a
returned application in the words of completing it, and confirmations without inline handlers."""

import re
import subprocess
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.drafting import application_save_answers
from applications.services import application_transition
from applications.submission import application_return_for_completion, application_submit
from calls.models import Question
from fundportal.models import Role
from fundportal.tenancy import scope
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db

MONTHS = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december".split(),
    "nb": "januar februar mars april mai juni juli august september oktober november desember".split(),
}
DAY_DOT = {"sv": "", "nb": "."}  # "1 mars 2027" in Swedish, "1. mars 2027" in Norwegian
WRITTEN_DATE = re.compile(r"\b(\d{1,2})(\.?) (\w+) (\d{4})\b")

PARTNERS = [{"name": "SINTEF", "contact": "Kari Nordmann", "email": "kari@sintef.example", "contribution": "Method"},
            {"name": "NTNU", "contact": "Ola Hansen", "email": "ola@ntnu.example", "contribution": "Evaluation"}]


def url(name, funder, *args):
    return reverse(f"applications:{name}", args=[funder.slug, *args])


def written(moment, funder):
    """``moment`` as English pages write it: "8 December 2026 09:40" in the funder's time zone."""
    local = timezone.localtime(moment, ZoneInfo(funder.time_zone))
    return f"{local.day} {local:%B %Y %H:%M}"


def text_of(html):
    """The page's text as the markup gives it, tags left out (as a copy from the page or a text reader gets it)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", html))  # no-break spaces stay


class _Tables(HTMLParser):
    """Each <table> of a page as {"headings": [column headings], "rows": [[cell text]]}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._row, self._cell = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"headings": [], "rows": []})
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self.tables:
            self._cell = {"tag": tag, "scope": dict(attrs).get("scope"), "text": ""}

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = self._cell["text"].strip()
            if self._cell["scope"] == "col":
                self.tables[-1]["headings"].append(text)
            else:
                self._row.append(text)
            self._cell = None
        elif tag == "tr" and self.tables and any(self._row):
            self.tables[-1]["rows"].append(self._row)


def tables_of(html):
    reader = _Tables()
    reader.feed(html)
    return reader.tables


def a_submitted_application(funder, call, applicant, **answers):
    """``applicant``'s application to ``call``, filled in (plus ``answers`` by question label) and submitted."""
    with scope(funder=funder):
        application = ApplicationFactory(call=call, applicant=applicant, period=call.periods.get())
        asked = {q.label["en"]: q for q in Question.objects.filter(section__call=call)}
        filled = {"Purpose": "Less waste", "The result is owned by Region Stockholm": True,
                  "Budget": [{"year1": "150000", "year2": "150000"}, {"year1": "20000"}], **answers}
        application = application_save_answers(application=application, version=application.version, by=applicant,
                                                answers={f"q{asked[label].pk}": value for label, value in filled.items()})
        return application_submit(application=application, by=applicant)


@pytest.fixture
def returned(funder, open_call, applicant):
    """Submitted, then returned by the screener to be completed within a week."""
    application = a_submitted_application(funder, open_call, applicant)
    screener = staff(funder, Role.SCREENER)
    with scope(funder=funder):
        application_transition(application=application, action="start_review", by=screener)
        return application_return_for_completion(application=application, by=screener, due=timezone.now() + timedelta(days=7),
                                                 comment="Describe the purpose in more detail.")


# --- Item 31: one date style per language -------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_date_on_the_applicants_page_is_written_one_way_in_their_language(client, funder, applicant, returned,
                                                                                language):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = text_of(client.get(url("detail", funder, returned.pk)).content.decode())
    dates = WRITTEN_DATE.findall(page)
    assert len(dates) >= 5  # the completion's due date and the timeline: started, submitted, assessed, returned
    for day, dot, month, year in dates:
        assert month in MONTHS[language] and dot == DAY_DOT[language], f"{day}{dot} {month} {year}"


# --- Items 23 and 34: table answers keep their headings; budget amounts sit in cells of their own -----------------

@pytest.fixture
def call_with_tables(funder, open_call):
    with scope(funder=funder):
        project = open_call.sections.get(position=0)
        Question.objects.create(funder=funder, section=project, position=2, kind="partners",
                                label={"en": "R&D partners"}, required=False)
        Question.objects.create(funder=funder, section=project, position=3, kind="time_plan",
                                label={"en": "Time plan"}, required=False)
    return open_call


def test_a_table_answer_is_shown_with_its_column_headings_and_one_row_per_row_sent(client, funder, call_with_tables,
                                                                                   applicant, tmp_path):
    application = a_submitted_application(funder, call_with_tables, applicant, **{
        "R&D partners": PARTNERS, "Time plan": [{"milestone": "Pilot starts", "date": "2027-03-01"}]})
    client.force_login(applicant)
    tables = tables_of(client.get(url("detail", funder, application.pk)).content.decode())

    partners = next(table for table in tables if "Contact person" in table["headings"])
    assert partners == {"headings": ["Organisation", "Contact person", "Email", "Contribution to the project"],
                        "rows": [list(row.values()) for row in PARTNERS]}
    time_plan = next(table for table in tables if "Milestone" in table["headings"])
    assert time_plan["rows"] == [["Pilot starts", "1 March 2027"]]

    pdf = tmp_path / "application.pdf"
    pdf.write_bytes(client.get(url("pdf", funder, application.pk)).content)
    receipt = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Organisation +Contact person +Email", receipt) and re.search(r"NTNU +Ola Hansen", receipt)


def test_each_budget_amount_sits_in_a_cell_of_its_own_under_its_year(client, funder, open_call, applicant):
    application = a_submitted_application(funder, open_call, applicant)
    client.force_login(applicant)
    html = client.get(url("detail", funder, application.pk)).content.decode()
    budget = next(table for table in tables_of(html) if "Year 1" in table["headings"])
    assert budget["headings"] == ["Year 1", "Year 2", "Total"]
    assert budget["rows"][0] == ["Personnel", "SEK\xa0150,000", "SEK\xa0150,000", "SEK\xa0300,000"]
    assert re.search(r'<table class="table [^"]*budget"', html)  # spaced cells, not figures run together
    assert "SEK\xa0150,000 SEK\xa0150,000 SEK\xa0300,000" in text_of(html)


# --- Item 27: a returned application is sent in as the completed one --------------------------------------------

def test_the_submit_page_of_a_returned_application_names_the_completion_and_its_due_date(client, funder, applicant,
                                                                                         returned):
    client.force_login(applicant)
    page = client.get(url("submit", funder, returned.pk)).content.decode()
    assert f"Complete it by {written(returned.completion_due, funder)}" in page and "Deadline:" not in page
    assert re.search(r"<button [^>]*>Submit the completed application</button>", page)


def test_the_submit_page_of_a_draft_names_the_deadline_and_the_first_submission(client, funder, open_call, applicant):
    with scope(funder=funder):
        draft = ApplicationFactory(call=open_call, applicant=applicant, period=open_call.periods.get())
    client.force_login(applicant)
    page = client.get(url("submit", funder, draft.pk)).content.decode()
    assert "Deadline:" in page and "Complete it by" not in page
    assert re.search(r"<button [^>]*>Submit the application</button>", page)


def test_my_applications_names_the_deadline_each_one_is_worked_towards(client, funder, open_call, applicant, returned):
    with scope(funder=funder):
        extended = ApplicationFactory(call=open_call, applicant=applicant, period=open_call.periods.get(),
                                      extension_until=open_call.periods.get().closes_at + timedelta(days=3))
    client.force_login(applicant)
    rows = tables_of(client.get(reverse("my_applications")).content.decode())[0]["rows"]
    deadline = {application.title: row[3] for application in (returned, extended) for row in rows
                if row[0] == application.title + application.case_number}  # the project cell: title, case number
    assert deadline == {returned.title: written(returned.completion_due, funder),
                        extended.title: written(extended.extension_until, funder)}


# --- Confirmations work under a strict content security policy ---------------------------------------------------

def test_the_applicants_and_administrators_templates_have_no_inline_event_handlers():
    templates = Path(settings.BASE_DIR) / "templates"
    handlers = [(path.name, match.group()) for folder in ("applications", "fundportal")
                for path in (templates / folder).rglob("*.html")
                for match in re.finditer(r"\son[a-z]+=", path.read_text())]
    assert handlers == []


def test_withdrawing_asks_first_through_the_confirmation_script_every_page_loads_once(client, funder, open_call,
                                                                                    applicant):
    with scope(funder=funder):
        draft = ApplicationFactory(call=open_call, applicant=applicant, period=open_call.periods.get())
    client.force_login(applicant)
    page = client.get(url("detail", funder, draft.pk)).content.decode()
    assert page.count("js/confirm.js") == 1 and re.search(r'<script src="[^"]*js/confirm\.js"[^>]* defer>', page)
    assert re.search(r'<form [^>]*action="[^"]*/withdraw/"[^>]*data-confirm="Withdraw the application\?', page)
