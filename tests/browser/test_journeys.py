"""Journeys in Chromium: each seed funder's call from set-up to the applicant reading the decision letter.

Every step is taken by its own user — applicant, manager, screener, panel members, administrator, steering
group — signed in through the real login page in a browser context of their own, and acts only through the pages.
Nobody stands in for anyone: the administrator never does the screener's or the steering group's work.

Set-up: Region Stockholm's administrator creates the call in the browser (details, period, eligibility question,
criteria, pipeline, checklist, form, publication). The other three calls are set up by the seeders in calls/demo.py
(the services), to keep the module's runtime bounded.

Languages: Region Stockholm and Region Norrbotten in Swedish, Forskningsrådet in Norwegian, #StimuLab in English,
at 1280 px; every applicant page and the screening queue is also photographed at 390 px. Screenshots go to
JOURNEY_SCREENS/<funder>/ when that variable names a folder (left out otherwise, to keep the suite quick) — look
at them.

What a page gets wrong without stopping the user (axe violations, raw keys such as direct_costs, sideways
scrolling, a dashboard that does not lead to the work) is collected along the way and reported together at the end,
each with its step, role and address; a step that cannot be taken stops the journey there and says which step and
role broke.
"""

import os
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.demo import seed_people
from calls.demo import SEEDERS
from fundportal.demo import DEMO_PASSWORD, demo_person, seed_funders
from fundportal.models import Funder, User
from fundportal.tenancy import scope
from tests.browser.steps import confirm_it_is_you

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(os.environ["JOURNEY_SCREENS"]) if os.environ.get("JOURNEY_SCREENS") else None
WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # direct_costs, research_fellows, in_review …


@pytest.fixture
def world(db, mailoutbox_to_db):
    """The four seed funders and their people; every call but Region Stockholm's set up by the demo seeders."""
    funders = seed_funders()
    seed_people(funders)
    for funder in funders:
        if funder.slug != "region-stockholm":
            with scope(funder=funder):
                SEEDERS[funder.slug](funder, User.objects.get(email=f"admin@{funder.slug}.demo"))
    return {funder.slug: funder for funder in funders}


class JourneyBroke(AssertionError):
    """A step that could not be taken: the journey stops there, naming the step, the role and the page."""


class Journey:
    """One funder's journey: who does each step, what each page looked like, and what was wrong on the way."""

    def __init__(self, browser, base_url, funder, language, assert_accessible):
        self.browser, self.base_url, self.funder, self.language = browser, base_url, funder, language
        self.axe = assert_accessible
        self.folder = SCREENS / funder.slug if SCREENS else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("*.png"):
                old.unlink()
        self.shots, self.problems, self.current = 0, [], "set-up"
        self.pages = {}
        self.looking = 0.0  # seconds spent photographing and checking, for the runtime report

    # --- words ---
    def t(self, text):
        """``text`` as the pages say it in the journey's language (the catalogue, or the English text)."""
        with translation.override(self.language):
            return gettext(text)

    def url(self, path):
        return f"{self.base_url}/{self.funder.slug}/{path.lstrip('/')}" if not path.startswith("/") else self.base_url + path

    # --- people ---
    def sign_in(self, email, role, next_path=None):
        """A fresh browser context for ``role``, signed in through the real login page."""
        if role in self.pages:
            self.pages[role].context.close()
        context = self.browser.new_context(viewport=WIDE)
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "django_language", "value": self.language, "url": self.base_url}])
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # every confirm() is answered yes
        page.autosaves = set()  # autosave requests in flight
        page.on("request", lambda request: "/autosave/" in request.url and page.autosaves.add(request))
        for done in ("requestfinished", "requestfailed"):
            page.on(done, lambda request: page.autosaves.discard(request))
        next_path = next_path or f"/{self.funder.slug}/dashboard/"
        page.goto(f"{self.base_url}/accounts/login/?next={next_path}")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form[action^='/accounts/login/'] button[type=submit]").click()
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            raise JourneyBroke(f"{role} {email} could not sign in: {page.locator('main').inner_text()[:300]}")
        self.pages[role] = page
        return page

    # --- steps ---
    @contextmanager
    def step(self, role, what):
        self.current = f"{role}: {what}"
        try:
            yield self.pages.get(role)
        except JourneyBroke:
            raise
        except Exception as error:  # noqa: BLE001 — said again with the step, the role and the page
            page = self.pages.get(role)
            where = page.url if page else "—"
            if page:
                self.look(page, "broken", check=False)
            raise JourneyBroke(f"{self.funder.slug} journey broke at step «{what}» as {role} ({where}):\n{error}") from error

    def problem(self, page, text):
        self.problems.append(f"[{self.current}] {page.url}: {text}")

    def look(self, page, name, narrow=False, check=True):
        """Photograph the page (and at 390 px if ``narrow``); check it with axe, for raw keys and for sideways scroll."""
        started = time.monotonic()
        try:
            self._look(page, name, narrow, check)
        finally:
            self.looking += time.monotonic() - started

    def _look(self, page, name, narrow, check):
        page.wait_for_load_state()
        self.shots += 1
        role = self.current.split(":")[0]
        stem = f"{self.shots:02d}-{re.sub(r'[^a-z0-9]+', '-', f'{role} {name}'.lower()).strip('-')}"
        self._photograph(page, f"{stem}.png")
        if not check:
            return
        if page.locator("body").inner_text().strip().startswith(("Server Error", "Internal")):
            raise AssertionError(f"a server error at {page.url}")
        if page.get_by_role("heading", name=self.t("You may not open this page")).count():
            self.problem(page, "a dead end: the page answers 403 to this role")
        try:
            self.axe(page)
        except AssertionError as violations:
            self.problem(page, str(violations))
        text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
        raw = sorted(set(RAW_KEY.findall(text)) - {"e_post"})
        if raw:
            self.problem(page, f"internal keys shown to the user: {raw}")
        if self._scrolls_sideways(page):
            self.problem(page, "scrolls sideways at 1280 px")
        if narrow:
            page.set_viewport_size(NARROW)
            self._photograph(page, f"{stem}-390.png")
            if self._scrolls_sideways(page):
                self.problem(page, "scrolls sideways at 390 px")
            page.set_viewport_size(WIDE)

    def _photograph(self, page, name):
        if self.folder:
            page.screenshot(path=str(self.folder / name), full_page=True)

    @staticmethod
    def _scrolls_sideways(page):
        return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")

    def dashboard_leads_to(self, page, work_path):
        """The role's dashboard lists a link to its work; following it opens ``work_path``."""
        page.goto(self.url("dashboard/"))
        self.look(page, "dashboard")
        links = page.locator("main a[href*='%s']" % work_path)
        if not links.count():
            self.problem(page, f"the dashboard has no link to {work_path}; it lists: "
                               f"{page.locator('main').inner_text()[:300]!r}")
            page.goto(self.url(work_path))
            return
        links.first.click()
        page.wait_for_load_state()

    def finish(self):
        print(f"{self.funder.slug}: {self.shots} pages looked at in {self.looking:.0f} s")
        for page in self.pages.values():
            page.context.close()
        assert not self.problems, (f"{self.funder.slug} journey: {len(self.problems)} problems on the way "
                                   f"(screenshots in {self.folder}):\n" + "\n".join(self.problems))


@pytest.fixture
def journey(browser, live_server, world, assert_accessible, settings):
    settings.PORTAL_URL = live_server.url  # as `make run` sets it to where it serves: email links lead back here
    journeys = []

    def start(slug, language):
        journeys.append(Journey(browser, live_server.url, world[slug], language, assert_accessible))
        return journeys[-1]

    yield start


# --- what each kind of person does -------------------------------------------------------------------------------

SAMPLE_TEXT = "Ett projekt som minskar väntetiderna genom bättre planering och uppföljning."


def fill_part(page, journey):
    """Answer every empty question of the section the applicant is on, as a person would."""
    t = journey.t
    for control in page.locator("main form[method=post] :is(input, textarea, select):visible").all():
        kind = control.evaluate("e => e.type")
        label = (control.get_attribute("aria-label") or "") + " " + (control.get_attribute("name") or "")
        if kind in ("hidden", "submit", "button", "file", "search"):
            continue
        if kind in ("checkbox", "radio"):
            if kind == "checkbox" and not control.is_checked():
                control.check()
            elif kind == "radio" and not page.locator(f"input[name='{control.get_attribute('name')}']:checked").count():
                control.check()
            continue
        if kind == "select-one":
            if not control.input_value():
                control.select_option(index=1)
            continue
        if control.input_value():
            continue
        if kind == "number":
            control.fill("150000")
        elif kind == "date":
            control.fill((timezone.localdate() + timedelta(days=60)).isoformat())
        elif kind == "email" or t("Email") in label:
            control.fill("kollega@example.se")
        elif t("Date") in label:
            control.fill((timezone.localdate() + timedelta(days=90)).isoformat())
        elif t("Phone") in label:
            control.fill("08-123 456 78")
        else:
            control.fill(SAMPLE_TEXT if control.evaluate("e => e.tagName") == "TEXTAREA" else "Bättre vård")


def settle_autosave(page):
    """Wait, as a person glancing at "Saved", until the autosave of what was typed has come back.

    Pressing Save while an autosave is in flight is refused as "changed in another window" (a finding of its own).
    """
    page.wait_for_timeout(1700)  # the page autosaves 1.5 s after the last keystroke
    deadline = time.monotonic() + 10
    while page.autosaves and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def write_every_part(page, journey, title):
    """From the first section to the check page: answer each part and go on."""
    t = journey.t
    page.wait_for_url("**/sections/1/")
    title_field = page.get_by_label(t("Project title"), exact=True)
    if title_field.count():
        title_field.fill(title)
    while "/sections/" in page.url:
        fill_part(page, journey)
        settle_autosave(page)
        journey.look(page, f"section {page.url.rstrip('/').rsplit('/', 1)[-1]}", narrow=True)
        go_on = page.get_by_role("button", name=t("Save and continue"))
        (go_on if go_on.count() else page.get_by_role("button", name=t("Save and check"))).click()
        page.wait_for_load_state()
        if page.locator(".invalid-feedback:visible, .alert-danger:visible").count():
            raise AssertionError("the part is refused: " + page.locator("main").inner_text()[:600])


def applicant_applies(journey, applicant, call_slug, title):
    t = journey.t
    with journey.step("applicant", "finds the call and starts"):
        page = journey.sign_in(applicant, "applicant", next_path=f"/{journey.funder.slug}/")
        journey.look(page, "funder's calls", narrow=True)
        page.locator(f"main a[href$='/calls/{call_slug}/']").first.click()
        journey.look(page, "call page", narrow=True)
        page.get_by_role("link", name=t("Apply"), exact=True).first.click()
        journey.look(page, "start", narrow=True)
        for group in page.locator("main form input[type=radio][name^='eligibility-']").all():
            if group.get_attribute("value") == "yes":
                group.check()
        new = page.locator("main input[type=radio][name='start-application_type'][value='new']")
        if new.count():  # a call with one type of application does not ask
            new.check()
        theme = page.locator("main select[name='start-theme']")
        if theme.count():
            theme.select_option(index=1)
        page.get_by_role("button", name=t("Start my application")).click()
    with journey.step("applicant", "writes every part"):
        write_every_part(page, journey, title)
    return page


def applicant_asks_manager(journey, page, manager_name, manager_email):
    t = journey.t
    with journey.step("applicant", "asks the manager for approval"):
        page.get_by_role("link", name=t("People")).first.click()
        page.get_by_label(t("Your manager's name")).fill(manager_name)
        page.get_by_label(t("Your manager's email")).fill(manager_email)
        page.get_by_role("button", name=t("Ask for approval")).click()
        journey.look(page, "manager asked", narrow=True)


def manager_approves(journey, manager_email):
    t = journey.t
    with journey.step("manager", "reads the email and approves by its link"):
        page = journey.sign_in(manager_email, "manager", next_path="/mailbox/")
        journey.look(page, "mailbox", narrow=True)
        page.locator("main a[href^='/mailbox/']").first.click()
        journey.look(page, "approval email", narrow=True)
        link = page.locator("main a[href*='/approval/']").first
        if not link.count():
            raise AssertionError("the email carries no approval link: " + page.locator("main").inner_text()[:500])
        href = link.get_attribute("href")
        assert href.startswith(journey.base_url), f"the approval link {href} does not lead to the site that sent it"
        link.click()
        page.wait_for_load_state()
        journey.look(page, "approval page", narrow=True)
        page.get_by_label(t("I approve that the project may run and that its results will be taken care of in the "
                            "organisation")).check()
        page.get_by_role("button", name=t("Send my answer")).click()
        journey.look(page, "approved", narrow=True)


def applicant_submits(journey, page):
    t = journey.t
    with journey.step("applicant", "submits"):
        page.goto(page.url.split("/applications/")[0] + "/applications/" + application_id(page) + "/submit/")
        journey.look(page, "check and submit", narrow=True)
        page.get_by_role("button", name=t("Submit the application")).click()
        page.wait_for_url(re.compile(r".*/applications/\d+/$"))
        journey.look(page, "submitted", narrow=True)


def application_id(page):
    return re.search(r"/applications/(\d+)/", page.url).group(1)


def screener_returns_then_passes(journey, screener, title, applicant_page):
    t = journey.t
    with journey.step("screener", "finds the application through the dashboard"):
        page = journey.sign_in(screener, "screener")
        journey.dashboard_leads_to(page, "screening/")
        journey.look(page, "queue", narrow=True)
        page.get_by_role("link", name=title).click()
        journey.look(page, "screening")
    with journey.step("screener", "fills the checklist and returns the last part for completion"):
        for group in dict.fromkeys(r.get_attribute("name") for r in page.locator("main input[type=radio][name*='result_']").all()):
            page.locator(f"main input[type=radio][name='{group}']").first.check()
        page.get_by_role("button", name=t("Save the checklist")).click()
        journey.look(page, "checklist saved")
        page.get_by_label(t("Returned to the applicant for completion")).check()
        page.get_by_label(t("Reason, for the applicant")).fill("Komplettera budgeten med fler detaljer, tack.")
        due = timezone.localtime() + timedelta(days=7)
        page.get_by_label(t("Completion due")).fill(due.strftime("%Y-%m-%dT%H:%M"))
        page.locator("main input[type=checkbox][name$='sections']").last.check()
        page.get_by_role("button", name=t("Record the outcome")).click()
        journey.look(page, "returned")
    with journey.step("applicant", "reads the return, completes the part and sends it back"):
        applicant_page.reload()
        journey.look(applicant_page, "returned application", narrow=True)
        applicant_page.get_by_role("link", name=t("Continue writing")).click()
        applicant_page.wait_for_load_state()
        journey.look(applicant_page, "part to complete", narrow=True)
        editable = applicant_page.locator("main form[method=post] :is(input[type=number], textarea):visible:enabled")
        if not editable.count():
            journey.problem(applicant_page, "a returned application opens on a part that is not to be completed (item 29)")
            applicant_page.locator("nav li", has_text=t("to complete")).locator("a").first.click()
            applicant_page.wait_for_load_state()
        completed = editable.first
        completed.fill("175000" if completed.get_attribute("type") == "number" else SAMPLE_TEXT + " Kompletterat.")
        settle_autosave(applicant_page)
        applicant_page.get_by_role("button", name=t("Save and check")).click()
        applicant_page.wait_for_url("**/submit/")
        journey.look(applicant_page, "send the completion", narrow=True)
        applicant_page.get_by_role("button", name=re.compile(
            f"^({re.escape(t('Submit the completed application'))}|{re.escape(t('Submit the application'))})$")).click()
        applicant_page.wait_for_url(re.compile(r".*/applications/\d+/$"))
        journey.look(applicant_page, "completion sent", narrow=True)
    with journey.step("screener", "passes the completed application on"):
        page.goto(journey.url("screening/"))
        journey.look(page, "queue after completion", narrow=True)
        page.get_by_role("link", name=title).click()
        page.get_by_label(t("Passed to the next stage")).check()
        page.get_by_role("button", name=t("Record the outcome")).click()
        journey.look(page, "passed")


def administrator_assigns(journey, admin, call_slug, reviewers):
    t = journey.t
    with journey.step("administrator", "gives the application reviewers"):
        page = journey.sign_in(admin, "administrator")
        journey.dashboard_leads_to(page, f"manage/calls/")
        page.goto(journey.url(f"manage/calls/{call_slug}/assignments/"))
        journey.look(page, "reviewers")
        page.get_by_label(t("Reviewers per application")).fill(str(reviewers))
        page.get_by_role("button", name=t("Assign"), exact=True).first.click()
        journey.look(page, "assigned")
    return page


def panel_members_review(journey, members, title):
    t = journey.t
    for number, member in enumerate(members, start=1):
        role = f"panel member {number}"
        with journey.step(role, "finds the assignment through the dashboard and declares impartiality"):
            page = journey.sign_in(member, role)
            journey.dashboard_leads_to(page, "reviews/")
            journey.look(page, "my reviews")
            page.locator("main a[href*='/reviews/']").first.click()
            journey.look(page, "declaration")
            page.get_by_label(t("No, I can assess it impartially")).check()
            page.get_by_role("button", name=t("Send my declaration")).click()
            journey.look(page, "application to review")
        with journey.step(role, "scores every criterion and submits the review"):
            for score in page.locator("main select[name*='score_']").all():
                score.select_option(str(5 + number % 2))
            page.locator("main select[name$='recommendation']").select_option(index=1)
            page.get_by_label(t("Overall comment")).fill("Tydligt behov och en genomförbar plan.")
            page.get_by_role("button", name=t("Submit the review")).click()
            journey.look(page, "review submitted")


def decider_decides_and_releases(journey, page, role, call_slug, title, amount):
    t = journey.t
    with journey.step(role, "opens the ranking and records the consensus"):
        page.goto(journey.url(f"manage/calls/{call_slug}/ranking/"))
        journey.look(page, "ranking", narrow=True)
        page.get_by_role("link", name=re.compile(t("Decide"))).first.click()
        journey.look(page, "decision page")
        meeting = page.locator("main form", has=page.get_by_role("button", name=t("Record the consensus")))
        meeting.locator("input[name$='score']").fill("6")
        meeting.locator("textarea[name$='comment']").fill("Panelen är enig: ett starkt projekt.")
        meeting.locator("input[name$='position']").fill("1")
        page.get_by_role("button", name=t("Record the consensus")).click()
        journey.look(page, "consensus recorded")
    with journey.step(role, "records the decision"):
        if "/decisions/" not in page.url:  # recording the consensus went back to the ranking
            journey.problem(page, "recording the consensus leaves the decision page; the decider must open it again")
            page.get_by_role("link", name=re.compile(t("Decide"))).first.click()
        page.locator("main input[name$='outcome'][value='granted']").check()
        page.locator("main input[name$='amount']").fill(str(amount))
        page.locator("main textarea[name$='reason']").fill("Projektet svarar väl mot utlysningens kriterier.")
        page.get_by_role("button", name=t("Record the decision")).click()
        journey.look(page, "decision recorded")
    with journey.step(role, "releases the decisions"):
        page.goto(journey.url(f"manage/calls/{call_slug}/ranking/"))
        page.get_by_role("button", name=t("Release the decisions")).click()
        confirm_it_is_you(page, DEMO_PASSWORD)  # releasing waits until the decider confirms it is them
        page.get_by_role("button", name=t("Release the decisions")).click()
        page.wait_for_load_state()
        journey.look(page, "released")


def applicant_sees_no_decision_before_the_letter(journey, applicant_page):
    t = journey.t
    with journey.step("applicant", "sees no decision while the letter waits in the outbox"):
        applicant_page.reload()
        journey.look(applicant_page, "before the letter", narrow=True)
        if applicant_page.get_by_role("link", name=t("Read the decision letter")).count():
            journey.problem(applicant_page, "the decision letter can be read before it is sent (item 22)")


def administrator_sends_letters(journey, admin, call_slug):
    t = journey.t
    with journey.step("administrator", "checks the letter and sends it from the outbox"):
        page = journey.pages.get("administrator") or journey.sign_in(admin, "administrator")
        page.goto(journey.url("manage/outbox/"))
        journey.look(page, "outbox")
        page.get_by_role("button", name=t("Send"), exact=True).click()
        page.wait_for_load_state()
        journey.look(page, "letters sent")


def applicant_reads_the_letter(journey, applicant_page):
    t = journey.t
    with journey.step("applicant", "reads the decision email and the letter"):
        applicant_page.goto(journey.url("/mailbox/"))
        journey.look(applicant_page, "mailbox with the decision", narrow=True)
        applicant_page.goto(journey.url("/my/applications/"))
        journey.look(applicant_page, "my applications", narrow=True)
        applicant_page.locator("main a[href*='/applications/']").first.click()
        applicant_page.wait_for_load_state()
        journey.look(applicant_page, "decided application", narrow=True)
        letter = applicant_page.get_by_role("link", name=t("Read the decision letter"))
        pdf = applicant_page.request.get(journey.base_url + letter.get_attribute("href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf", f"the letter answers {pdf.status}"


# --- the four journeys ------------------------------------------------------------------------------------------


def test_forskningsradet_public_sector_innovation_call_in_norwegian(journey):
    trip = journey("forskningsradet", "nb")
    title = "Digital hjemmeoppfølging i kommunen"
    page = applicant_applies(trip, "applicant4@applicants.demo", "innovasjonsprosjekt-offentlig-sektor", title)
    applicant_submits(trip, page)
    screener_returns_then_passes(trip, "screener@forskningsradet.demo", title, page)
    administrator = administrator_assigns(trip, "admin@forskningsradet.demo", "innovasjonsprosjekt-offentlig-sektor", 2)
    panel_members_review(trip, ["panel1@forskningsradet.demo", "panel2@forskningsradet.demo"], title)
    decider_decides_and_releases(trip, administrator, "administrator", "innovasjonsprosjekt-offentlig-sektor", title,
                                 900000)
    applicant_sees_no_decision_before_the_letter(trip, page)
    administrator_sends_letters(trip, "admin@forskningsradet.demo", "innovasjonsprosjekt-offentlig-sektor")
    applicant_reads_the_letter(trip, page)
    trip.finish()


def administrator_sets_up_innovationsfonden(journey, admin, slug):
    """Region Stockholm's administrator creates the fund and the call through the set-up pages and publishes it."""
    t = journey.t
    with journey.step("administrator", "creates the fund"):
        page = journey.sign_in(admin, "administrator")
        journey.look(page, "dashboard before set-up")
        page.goto(journey.url("manage/funds/"))
        page.locator("main input[name$='name']").fill("Innovationsfonden")
        page.locator("main input[name$='code']").fill("IF")
        page.locator("main form[method=post] button[type=submit]").last.click()
        journey.look(page, "fund created")
    with journey.step("administrator", "creates the call"):
        page.goto(journey.url("manage/calls/new/"))
        page.locator("main select[name='fund']").select_option(label="Innovationsfonden")
        page.locator("main input[name='slug']").fill(slug)
        page.locator("main input[name='budget']").fill("15000000")
        page.locator("main input[name='application_types'][value='new']").check()
        for category in ("personnel", "direct_costs"):
            page.locator(f"main input[name='eligible_cost_categories'][value='{category}']").check()
        page.locator("main input[name='requires_manager_approval']").check()
        page.locator("main input[name='title_sv']").fill("Innovationsfonden – resan")
        page.locator("main textarea[name='summary_sv']").fill("15 miljoner kronor om året till projekt som skapar nytta.")
        journey.look(page, "new call filled in")
        page.get_by_role("button", name=t("Create the call")).click()
        page.wait_for_url(f"**/manage/calls/{slug}/**")
        journey.look(page, "call created")
    call = journey.url(f"manage/calls/{slug}/")
    with journey.step("administrator", "opens an application period"):
        page.goto(call + "periods/")
        now = timezone.localtime()
        page.locator("main input[name='items-0-name_sv']").fill("Ansökningsperiod 1")
        page.locator("main input[name='items-0-opens_at']").fill((now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
        page.locator("main input[name='items-0-closes_at']").fill((now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name=t("Save"), exact=True).click()
        journey.look(page, "period saved")
    with journey.step("administrator", "asks an eligibility question"):
        page.goto(call + "eligibility/")
        page.locator("main input[name='items-0-eligible_answer']").check()
        page.locator("main input[name='items-0-text_sv']").fill("Arbetar du minst 50 % inom Region Stockholm?")
        page.locator("main textarea[name='items-0-reason_if_not_sv']").fill("Fonden är öppen för den som arbetar minst halvtid i regionen.")
        page.get_by_role("button", name=t("Save"), exact=True).click()
        journey.look(page, "eligibility saved")
    with journey.step("administrator", "enters two criteria at once"):
        page.goto(call + "criteria/")
        for row, (name, weight) in enumerate([("Väsentligt behov", "60"), ("Nytta och mätbara fördelar", "40")]):
            page.locator(f"main input[name='items-{row}-name_sv']").fill(name)
            page.locator(f"main input[name='items-{row}-weight']").fill(weight)
        page.get_by_role("button", name=t("Save"), exact=True).click()
        journey.look(page, "criteria saved")
    with journey.step("administrator", "sets the pipeline"):
        page.goto(call + "pipeline/")
        for row, (kind, name) in enumerate([("screening", "Förhandsgranskning"), ("panel", "Expertgrupp"), ("decision", "Beslut")]):
            if not page.locator(f"main select[name='items-{row}-kind']").count():
                page.get_by_role("button", name=t("Add a row")).click()
            page.locator(f"main select[name='items-{row}-kind']").select_option(kind)
            page.locator(f"main input[name='items-{row}-name']").fill(name)
        page.get_by_role("button", name=t("Save"), exact=True).click()
        journey.look(page, "pipeline saved")
    with journey.step("administrator", "writes the screening checklist"):
        page.goto(call + "checklist/")
        for row, text in enumerate(["Ansökan är komplett", "Chefens godkännande finns"]):
            page.locator(f"main input[name='items-{row}-text_sv']").fill(text)
        page.get_by_role("button", name=t("Save"), exact=True).click()
        journey.look(page, "checklist saved")
    with journey.step("administrator", "builds the form"):
        for title, kind, label, extra in [("Projektet", "long_text", "Syfte", {"max_words": "300"}),
                                          ("Budget", "budget", "Budget", {})]:
            page.goto(call + "form/")
            page.locator("main input[name$='title_sv']").fill(title)
            page.get_by_role("button", name=t("Add the section")).click()
            page.get_by_role("link", name=t("Add a question")).last.click()
            page.locator("main select[name$='kind']").select_option(kind)
            page.locator("main input[name$='label_sv']").fill(label)
            for name, value in extra.items():
                page.locator(f"main input[name$='{name}']").fill(value)
            if kind == "budget":
                for category in ("personnel", "direct_costs"):
                    page.locator(f"main input[name$='cost_categories'][value='{category}']").check()
                page.locator("main input[name$='years']").fill("1")
            page.get_by_role("button", name=t("Save the question")).click()
        journey.look(page, "form built")
        page.get_by_role("link", name=t("Preview as an applicant")).click()
        journey.look(page, "form preview")
    with journey.step("administrator", "publishes the call"):
        page.goto(call)
        page.get_by_role("button", name=t("Publish"), exact=True).click()
        page.wait_for_load_state()
        journey.look(page, "published")
        if page.get_by_role("button", name=t("Publish"), exact=True).count():
            raise AssertionError("the call is not published: " + page.locator("main").inner_text()[:600])


def test_region_stockholm_innovationsfonden_in_swedish(journey, world):
    trip = journey("region-stockholm", "sv")
    slug, title = "innovationsfonden-resan", "Textilsvinn i vården"
    with scope(funder=world["region-stockholm"]):
        demo_person("ulf.berg@karolinska.example", "Ulf Berg", "sv")  # the applicant's manager has an account
    administrator_sets_up_innovationsfonden(trip, "admin@region-stockholm.demo", slug)
    page = applicant_applies(trip, "applicant1@applicants.demo", slug, title)
    applicant_asks_manager(trip, page, "Ulf Berg", "ulf.berg@karolinska.example")
    manager_approves(trip, "ulf.berg@karolinska.example")
    applicant_submits(trip, page)
    screener_returns_then_passes(trip, "screener@region-stockholm.demo", title, page)
    administrator_assigns(trip, "admin@region-stockholm.demo", slug, 2)
    panel_members_review(trip, ["panel1@region-stockholm.demo", "panel2@region-stockholm.demo"], title)
    decider_decides_and_releases(trip, trip.pages["administrator"], "administrator", slug, title, 250000)
    applicant_sees_no_decision_before_the_letter(trip, page)
    administrator_sends_letters(trip, "admin@region-stockholm.demo", slug)
    applicant_reads_the_letter(trip, page)
    trip.finish()


def test_region_norrbotten_co_financing_in_swedish(journey):
    trip = journey("region-norrbotten", "sv")
    slug, title = "regional-medfinansiering", "Life Science i norra Sverige"
    page = applicant_applies(trip, "applicant3@applicants.demo", slug, title)
    applicant_submits(trip, page)
    screener_returns_then_passes(trip, "screener@region-norrbotten.demo", title, page)
    administrator_assigns(trip, "admin@region-norrbotten.demo", slug, 2)
    panel_members_review(trip, ["panel1@region-norrbotten.demo", "panel2@region-norrbotten.demo"], title)
    decider_decides_and_releases(trip, trip.pages["administrator"], "administrator", slug, title, 150000)
    applicant_sees_no_decision_before_the_letter(trip, page)
    administrator_sends_letters(trip, "admin@region-norrbotten.demo", slug)
    applicant_reads_the_letter(trip, page)
    trip.finish()


def test_stimulab_prequalification_and_the_steering_group_in_english(journey):
    """Screening passes the challenge on to dialogue with a panel member; the steering group decides and releases."""
    trip = journey("stimulab", "en")
    slug, title = "stimulab-ny-runde", "Fewer forms for new residents"
    page = applicant_applies(trip, "applicant6@applicants.demo", slug, title)
    applicant_submits(trip, page)
    screener_returns_then_passes(trip, "screener@stimulab.demo", title, page)
    administrator_assigns(trip, "admin@stimulab.demo", slug, 1)
    panel_members_review(trip, ["panel1@stimulab.demo"], title)
    with trip.step("steering group", "finds the applications in dialogue through the dashboard"):
        steering = trip.sign_in("steering@stimulab.demo", "steering group")
        trip.dashboard_leads_to(steering, f"manage/calls/{slug}/ranking/")
        trip.look(steering, "steering group's work")
    decider_decides_and_releases(trip, steering, "steering group", slug, title, 500000)
    applicant_sees_no_decision_before_the_letter(trip, page)
    administrator_sends_letters(trip, "admin@stimulab.demo", slug)
    applicant_reads_the_letter(trip, page)
    trip.finish()
