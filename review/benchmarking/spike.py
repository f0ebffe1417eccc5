"""The deadline spike (manage.py deadline_spike): complete drafts submitted at once in the last stretch before a
period closes, and more just after it, by concurrent clients against gunicorn; then what the database kept.

Everything is made under one throwaway funder (``deadline-spike``) with applicants of its own, in bulk, and removed
afterwards (and before, if an interrupted run left it behind), so the spike may run in any PostgreSQL database that
is not a shared one's. The period closes an hour ahead while the world is built and the server starts; then its
deadline is moved to the moment the plan needs.
"""

import http.client
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from applications import answers as answer_rules
from applications.demo import demo_answer
from applications.lifecycle import State
from applications.models import Application, ApplicationTransition, Attachment, Revision
from applications.submission import format_deadline, submission_problems
from calls.models import Call, Fund, Period, Question, Section, Stage
from fundportal.demo import demo_password_hash
from fundportal.models import Funder, OutboxEmail, User
from fundportal.tenancy import scopes_disabled
from review.benchmarking.load import percentile
from review.demo import budget_answer
from review.scale import FORM, SAMPLE_PDF, TEXTS

SLUG = "deadline-spike"
DOMAIN = "deadline-spike.example"
AMOUNT = 1_200_000
LATE_SPREAD = 3.0  # seconds after the deadline over which the late ones are sent
LAST_SEND = 1.0  # the last one in time is sent this many seconds before the deadline
PLAN = ("Vi utvecklar och prövar en ny tjänst tillsammans med invånarna, mäter effekten och sprider det vi lär "
        "oss till andra verksamheter.")


@dataclass(frozen=True)
class World:
    funder: Funder
    period: Period
    on_time: list  # the drafts to be submitted before the deadline
    late: list  # and after it


def sample_file():
    return f"funders/{SLUG}/applications/spike-sample.pdf"


def build(on_time, late):
    """The funder, its call open for another hour, and ``on_time + late`` applicants each with a complete draft."""
    remove()
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        funder = Funder.objects.create(name="Deadline Spike", slug=SLUG, short_name="DS", default_language="sv",
                                       description="Made by manage.py deadline_spike; removed when it ends.")
        fund = Fund.objects.create(funder=funder, name="Innovationsfonden", code="IF")
        call = Call.objects.create(
            funder=funder, fund=fund, slug="last-minute", title={"sv": "Sista minuten", "en": "The last minute"},
            budget=AMOUNT * (on_time + late), currency=funder.currency, application_types=["new"],
            eligible_cost_categories=["personnel", "direct_costs", "travel"], published_at=now - timedelta(days=30))
        period = Period.objects.create(funder=funder, call=call, opens_at=now - timedelta(days=30),
                                       closes_at=now + timedelta(hours=1))
        Stage.objects.bulk_create(Stage(funder=funder, call=call, position=position, kind=kind, name=name)
                                  for position, (kind, name) in enumerate(TEXTS["stages"]["sv"]))
        questions = _form(funder, call)
        drafts = _drafts(funder, call, period, questions, on_time + late)
        default_storage.save(sample_file(), ContentFile(SAMPLE_PDF))
        problems = submission_problems(Application.objects.select_related("call").get(pk=drafts[0].pk))
    if problems:
        raise RuntimeError(f"The spike's drafts are not complete: {problems}")
    return World(funder=funder, period=period, on_time=drafts[:on_time], late=drafts[on_time:])


def _form(funder, call):
    sections = Section.objects.bulk_create(Section(funder=funder, call=call, position=position, title=title)
                                           for position, (title, _questions) in enumerate(FORM))
    return Question.objects.bulk_create(
        Question(funder=funder, section=section, position=position, kind=kind, label=label, required=required,
                 settings=question_settings)
        for section, (_title, questions) in zip(sections, FORM)
        for position, (kind, label, required, question_settings) in enumerate(questions))


def _drafts(funder, call, period, questions, count):
    """One applicant per draft (English speaking, so the pages and messages are English), every answer given and
    the project plan attached."""
    rng = random.Random(2026)
    people = User.objects.bulk_create(
        User(email=f"applicant{number:04d}@{DOMAIN}", first_name="Sökande", last_name=f"{number:04d}", language="en",
             password=demo_password_hash()) for number in range(1, count + 1))
    EmailAddress.objects.bulk_create(EmailAddress(user=person, email=person.email, verified=True, primary=True)
                                     for person in people)
    drafts = []
    for person in people:
        title = f"Projekt {person.last_name}"
        answers = {answer_rules.key(question): answer(question, title, rng) for question in questions
                   if question.kind != Question.Kind.FILE}
        drafts.append(Application(funder=funder, call=call, period=period, applicant=person, title=title,
                                  answers=answers,
                                  amount_requested=answer_rules.amount_requested(questions, answers, funder)))
    drafts = Application.objects.bulk_create(drafts)
    files = [question for question in questions if question.kind == Question.Kind.FILE]
    Attachment.objects.bulk_create(
        Attachment(funder=funder, application=draft, question=question, file=sample_file(),
                   original_name="projektplan.pdf", content_type="application/pdf", size=len(SAMPLE_PDF),
                   uploaded_by=draft.applicant) for draft in drafts for question in files)
    return drafts



def answer(question, title, rng):
    if question.kind == Question.Kind.BUDGET:
        return budget_answer(question, AMOUNT, rng)
    return demo_answer(question, title, f"{title}: {PLAN}")


def remove():
    """The spike's funder with everything under it, its applicants and its files; nothing if there is none."""
    with scopes_disabled():
        funder = Funder.objects.filter(slug=SLUG).first()
        if funder is None:
            return
        stored = [name for name in OutboxEmail.objects.filter(funder=funder).values_list("attachment", flat=True)
                  if name]
        with transaction.atomic():
            Application.objects.filter(funder=funder).delete()  # before the call, which they protect
            Call.objects.filter(funder=funder).delete()  # before the fund, which it protects
            funder.delete()
            User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    for name in [*stored, sample_file()]:
        default_storage.delete(name)


def open_until(period, deadline):
    with scopes_disabled():
        Period.objects.filter(pk=period.pk).update(closes_at=deadline)


# --- firing ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shot:
    application: int
    path: str
    cookie: str
    at: float  # when to send it (time.time())
    late: bool


@dataclass(frozen=True)
class Answer:
    shot: Shot
    sent: float  # time.time()
    ms: float
    status: int  # 0: no answer
    location: str
    page: str  # for a refusal, the page it leads to


def plan(world, cookies, deadline, window):
    """The drafts in time spread evenly over the ``window`` seconds before the deadline (the last a second before
    it), the late ones over the seconds after it."""
    closing = deadline.timestamp()
    first, last = closing - window, closing - LAST_SEND
    step = (last - first) / max(1, len(world.on_time) - 1)
    late_step = LATE_SPREAD / max(1, len(world.late))
    shots = [_shot(world.funder, draft, cookies, first + step * number, late=False)
             for number, draft in enumerate(world.on_time)]
    return shots + [_shot(world.funder, draft, cookies, closing + 0.5 + late_step * number, late=True)
                    for number, draft in enumerate(world.late)]


def _shot(funder, draft, cookies, at, late):
    path = reverse("applications:submit", args=[funder.slug, draft.pk])
    return Shot(application=draft.pk, path=path, cookie=cookies[draft.applicant], at=at, late=late)


def fire(port, shots, clients):
    """Each shot by one of ``clients`` threads, at its moment; a refusal is followed to the page it leads to."""
    csrf = get_random_string(32)

    def one(shot):
        time.sleep(max(0.0, shot.at - time.time()))
        return submit(port, shot, csrf)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, shots))


def submit(port, shot, csrf):
    """The "Submit" button: a POST with the session and the CSRF token, timed; then the refusal's page, if any."""
    cookies = {settings.SESSION_COOKIE_NAME: shot.cookie, settings.CSRF_COOKIE_NAME: csrf}
    headers = {"X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"}
    sent = time.time()
    start = time.perf_counter()
    try:
        status, location, set_cookies, _body = request(port, "POST", shot.path, cookies, headers, body=b"")
    except OSError:
        return Answer(shot=shot, sent=sent, ms=(time.perf_counter() - start) * 1000, status=0, location="", page="")
    ms = (time.perf_counter() - start) * 1000
    page = ""
    if status == 302 and location == shot.path:  # refused: the submit page again, with the message
        _status, _location, _set, page = request(port, "GET", location, {**cookies, **set_cookies}, {})
    return Answer(shot=shot, sent=sent, ms=ms, status=status, location=location, page=page)


def request(port, method, path, cookies, headers, body=None):
    """(status, Location, cookies set, body text) of one request on its own connection."""
    conversation = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        conversation.request(method, path, body=body, headers={**headers, "Cookie": cookie})
        response = conversation.getresponse()
        text = response.read().decode(errors="replace")
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return response.status, response.getheader("Location", ""), {k: v.value for k, v in jar.items()}, text
    finally:
        conversation.close()


# --- what the database kept -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Findings:
    sent_in_time: int
    stored_once: int  # submitted with a case number before the deadline, one submission move, one revision
    refused_in_time: int
    sent_late_by_client: int  # meant for before the deadline, sent after it (the client could not keep up)
    case_numbers: list
    numbers_unique: bool
    numbers_without_gap: bool
    sent_late: int
    refused_late_with_deadline: int
    stored_late: int
    server_errors: int  # 5xx or no answer
    other_answers: list  # (status, location) that are neither a submission nor a refusal
    deadline_text: str
    latency: dict  # p50, p95, p99, max in ms
    rate: float  # submissions answered a second

    @property
    def passed(self):
        return not self.failures

    @property
    def fast_enough(self):
        """The target: p99 under 1 s (a figure of the machine as much as of the code, so not a failure)."""
        return self.latency["p99"] < 1000

    @property
    def failures(self):
        """What the portal got wrong."""
        found = []
        if self.stored_once != self.sent_in_time:
            found.append("not every submission in time was stored exactly once")
        if not (self.numbers_unique and self.numbers_without_gap):
            found.append("the case numbers are not unique and without a gap")
        if self.refused_late_with_deadline != self.sent_late or self.stored_late:
            found.append("not every late submission was refused with the deadline shown")
        if self.server_errors or self.other_answers:
            found.append("some requests got a server error, no answer or an unexpected answer")
        return found


def examine(world, answers, deadline):
    """Count what the answers say and what the database holds, per draft."""
    with scopes_disabled(), translation.override("en"), timezone.override(world.funder.time_zone):
        deadline_text = format_deadline(deadline, world.funder)
        stored = _stored(world, deadline)
    in_time = [answer for answer in answers if not answer.shot.late]
    late = [answer for answer in answers if answer.shot.late]
    detail = {draft.pk: reverse("applications:detail", args=[world.funder.slug, draft.pk]) for draft in world.on_time}
    numbers = [stored[answer.shot.application]["case_number"] for answer in in_time
               if stored[answer.shot.application]["case_number"]]
    expected = {answer for answer in answers if answer.status == 302
                and answer.location in (answer.shot.path, detail.get(answer.shot.application))}
    timings = [answer.ms for answer in answers]
    wall = max(answer.sent + answer.ms / 1000 for answer in answers) - min(answer.sent for answer in answers)
    return Findings(
        sent_in_time=len(in_time),
        stored_once=sum(1 for answer in in_time if stored[answer.shot.application]["once"]
                        and answer.location == detail[answer.shot.application]),
        refused_in_time=sum(1 for answer in in_time if answer.location == answer.shot.path),
        sent_late_by_client=sum(1 for answer in in_time if answer.sent >= deadline.timestamp()),
        case_numbers=sorted(numbers), numbers_unique=len(set(numbers)) == len(numbers),
        numbers_without_gap=_without_gap(numbers),
        sent_late=len(late),
        refused_late_with_deadline=sum(1 for answer in late if answer.location == answer.shot.path
                                       and deadline_text in answer.page),
        stored_late=sum(1 for answer in late if stored[answer.shot.application]["touched"]),
        server_errors=sum(1 for answer in answers if answer.status == 0 or answer.status >= 500),
        other_answers=sorted({(answer.status, answer.location) for answer in answers if answer not in expected}),
        deadline_text=deadline_text,
        latency={"p50": statistics.median(timings), "p95": percentile(timings, 0.95),
                 "p99": percentile(timings, 0.99), "max": max(timings)},
        rate=len(answers) / wall if wall > 0 else 0.0)


def _stored(world, deadline):
    """Per draft: its case number, whether it was stored exactly once before the deadline, and whether anything
    about it changed at all. (Its receipt is a task's work, rendered by the worker after the submission.)"""
    drafts = [draft.pk for draft in world.on_time + world.late]
    moves = _counts(ApplicationTransition.objects.filter(application__in=drafts, action="submit"), "application")
    revisions = _counts(Revision.objects.filter(application__in=drafts), "application")
    found = {}
    for pk, state, case_number, submitted_at in Application.objects.filter(pk__in=drafts).values_list(
            "pk", "state", "case_number", "submitted_at"):
        once = (state == State.SUBMITTED and bool(case_number) and submitted_at is not None
                and submitted_at < deadline and moves.get(pk) == 1 and revisions.get(pk) == 1)
        touched = state != State.DRAFT or bool(case_number) or pk in moves or pk in revisions
        found[pk] = {"case_number": case_number, "once": once, "touched": touched}
    return found


def _counts(queryset, field):
    counts = {}
    for value in queryset.values_list(field, flat=True):
        counts[value] = counts.get(value, 0) + 1
    return counts


def _without_gap(numbers):
    """Every number of one prefix, counted from 1 with none missing (the counter's promise: a number is taken in
    the submission's transaction, so a refused submission gives its number back)."""
    if not numbers:
        return True
    prefixes = {number.rsplit("-", 1)[0] for number in numbers}
    counted = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    return len(prefixes) == 1 and counted == list(range(1, len(numbers) + 1))
