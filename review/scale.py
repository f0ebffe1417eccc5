"""Data at the size of a national platform, for the benchmarks: ``manage.py seed_scale`` (see its help for the sizes).

By default: 50 funders with 500 calls in every phase (decided, archived, being assessed, open, not yet open, draft)
and 100,000 applications in every state of the lifecycle, with their answers, budgets and attachment metadata,
revisions, screenings, about 300,000 reviews, decisions, transitions and outbox rows; and one big call (``big-call``
of the first funder, ``scale-01``) shaped like a large funder's year: 5,000 applications, 90 % of them at the panel
stage with three submitted reviews each on four weighted criteria, the rest waiting for screening, and a panel of 12.

How it is written:

- In bulk: ``bulk_create`` in batches, with scopes disabled, one funder's applications at a time (memory stays flat),
  in one transaction (a failed run leaves nothing). No signal, task or email is sent.
- Deterministic: every choice comes from one ``random.Random(seed)`` and every moment is anchored at today's
  midnight (UTC), so runs on the same day with the same seed and sizes write the same rows, primary keys aside.
- Valid as the app reads it: each application's state and stage are reached by walking the lifecycle table's moves
  (``applications.lifecycle.TRANSITIONS``), each move recorded as its transition by a person with a role the table
  names; case numbers are given as at submission (``review.demo.give_case_numbers``); answers are what the form's
  questions read (``applications.demo.demo_answer``, budgets by ``review.demo.budget_answer``); every review scores
  each criterion of its call; every funder-owned row carries its funder.
- Every account's password is the demo's (``fundportal-demo``), its address verified, so a benchmark can sign in:
  ``admin@scale-01.example`` (and ``screener@…``, ``panel01@…``) at each funder ``scale-NN``; applicants
  ``applicant000001@applicants.example`` on.
- Attachments are metadata: each funder's rows point at one small stand-in PDF (so downloads work); drafts and
  applications returned for completion, whose files the applicant may remove, have none.
"""

import random
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from applications import answers as answer_rules
from applications.demo import demo_answer
from applications.letters import letter_occasion
from applications.lifecycle import APPLICANT, DECISION_STAGE, DRAFT, FIRST, NEXT, State, TRANSITIONS_BY_ACTION
from applications.models import ApplicantProfile, Application, ApplicationTransition, Attachment, CaseCounter, Revision
from calls.models import (
    Call, ChecklistItem, Criterion, EligibilityQuestion, Fund, Period, Question, Section, Stage,
)
from fundportal.demo import demo_password_hash
from fundportal.emails import KINDS
from fundportal.links import absolute
from fundportal.models import Funder, Membership, MembershipChange, OutboxEmail, Role, User
from fundportal.tenancy import scopes_disabled
from fundportal.wording import fill
from review.demo import (
    FIRST_NAMES, LAST_NAMES, NEEDS, PLACES, REVIEW_COMMENTS, SOLUTIONS, budget_answer, give_case_numbers,
    project_text, recommendation_of, review_scores, some_application_type,
)
from review.models import Assignment, Decision, DecisionChange, Review, ReviewTally, Screening, weighted_score

SLUG_PREFIX = "scale-"
DOMAIN = "example"
BIG_CALL = "big-call"
OTHER_PANEL = 8  # panel members at every funder but the big call's
K, Q = Stage.Kind, Question.Kind
SENT = OutboxEmail.Status.SENT
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Size:
    """How much to make. ``applications`` counts every call's, the big call's included."""

    funders: int = 50
    calls: int = 500
    applications: int = 100_000
    big_call: int = 5_000
    panel: int = 12  # the big call's funder's panel
    reviews: int | None = None  # about this many in all (default: three per application)
    seed: int = 2026
    batch_size: int = 2_000

    def problems(self):
        found = []
        if self.funders < 1 or self.calls < self.funders:
            found.append("Every funder needs at least one call: --calls must be at least --funders (and that at least 1).")
        if not 0 <= self.big_call <= self.applications:
            found.append("The big call's applications are among --applications: --big-call must be between 0 and it.")
        if self.panel < 3:
            found.append("The big call's three reviewers per application need a --panel of at least 3.")
        if self.funders > 999:
            found.append("At most 999 funders.")
        return found

    @property
    def review_target(self):
        return 3 * self.applications if self.reviews is None else self.reviews


# --- what goes where ------------------------------------------------------------------------------------------------

# Each funder's calls take these phases in turn (the first funder's first call is the big one).
PHASES = ("decided", "in_review", "decided", "open", "decided", "archived", "in_review", "decided", "upcoming", "draft")
WITH_APPLICATIONS = {"decided", "archived", "in_review", "open"}

# The fate of an application: the lifecycle moves it has made, and how far its reviews have come ("" none,
# "some": some reviewers still at work, "all": every review submitted).
FATES = {
    "draft": ((), ""),
    "abandoned": (("withdraw",), ""),
    "submitted": (("submit",), ""),
    "withdrawn": (("submit", "withdraw"), ""),
    "screening": (("submit", "start_review"), ""),
    "returned": (("submit", "start_review", "return_for_completion"), ""),
    "screened_out": (("submit", "start_review", "screen_out"), ""),
    "panel": (("submit", "start_review", "advance"), "some"),
    "panel_done": (("submit", "start_review", "advance"), "all"),
    "decision": (("submit", "start_review", "advance", "to_decision"), "all"),
    "granted": (("submit", "start_review", "advance", "to_decision", "grant"), "all"),
    "declined": (("submit", "start_review", "advance", "to_decision", "decline"), "all"),
}
# The share of each fate, per phase of the call. "reviewed" becomes granted or declined: the best within the budget.
MIXES = {
    "decided": {"withdrawn": 4, "screened_out": 10, "reviewed": 86},
    "archived": {"withdrawn": 4, "screened_out": 10, "reviewed": 86},
    "in_review": {"submitted": 10, "withdrawn": 2, "screening": 6, "returned": 4, "screened_out": 6, "panel": 47,
                  "decision": 25},
    "open": {"draft": 40, "abandoned": 3, "submitted": 54, "withdrawn": 3},
    "big": {"panel_done": 90, "submitted": 10},
}
SOME_SUBMITTED = 0.8  # with reviewers still at work, about this share of the assignments has a review (draft or in)

TEXTS = {  # the funders' languages (Swedish or Norwegian), with English beside
    "funds": [({"sv": "Innovationsfonden", "nb": "Innovasjonsfondet"}, "IF"),
              ({"sv": "Utvecklingsfonden", "nb": "Utviklingsfondet"}, "UF")],
    "criteria": [({"sv": "Väsentligt behov", "nb": "Vesentlig behov", "en": "Significant need"}, 30),
                 ({"sv": "Förutsättningar att genomföra", "nb": "Gjennomføringsevne", "en": "Capacity to deliver"}, 25),
                 ({"sv": "Nytta och mätbara fördelar", "nb": "Nytte og målbare fordeler", "en": "Measurable benefit"},
                  25),
                 ({"sv": "Lösningens unikhet", "nb": "Løsningens egenart", "en": "Uniqueness"}, 20)],
    "checklist": [{"sv": "Sökanden är behörig", "nb": "Søkeren er kvalifisert", "en": "The applicant is eligible"},
                  {"sv": "Ansökan är komplett", "nb": "Søknaden er komplett", "en": "The application is complete"},
                  {"sv": "Inom fondens budgetramar", "nb": "Innenfor fondets rammer", "en": "Within the fund's limits"}],
    "stages": {"sv": [(K.SCREENING, "Förhandsgranskning"), (K.PANEL, "Expertgrupp"), (K.DECISION, "Beslut")],
               "nb": [(K.SCREENING, "Formell vurdering"), (K.PANEL, "Fagpanel"), (K.DECISION, "Vedtak")]},
    "themes": ["Hälsa", "Välfärd", "Transport", "Klimat", "Utbildning", "Digitalisering"],
}
FORM = [  # (section title, [(kind, label, required, settings)])
    ({"sv": "Projektet", "nb": "Prosjektet", "en": "The project"}, [
        (Q.SHORT_TEXT, {"sv": "Kort sammanfattning", "nb": "Kort sammendrag", "en": "Short summary"}, True,
         {"max_chars": 300}),
        (Q.LONG_TEXT, {"sv": "Syfte", "nb": "Formål", "en": "Purpose"}, True, {"max_words": 300}),
        (Q.LONG_TEXT, {"sv": "Mål och förväntad effekt", "nb": "Mål og forventet effekt", "en": "Goals"}, True,
         {"max_words": 500}),
    ]),
    ({"sv": "Deltagare", "nb": "Deltakere", "en": "Participants"}, [
        (Q.PARTICIPANTS, {"sv": "Projektdeltagare", "nb": "Prosjektdeltakere", "en": "Participants"}, True, {}),
    ]),
    ({"sv": "Tidsplan och budget", "nb": "Tidsplan og budsjett", "en": "Time plan and budget"}, [
        (Q.TIME_PLAN, {"sv": "Tidsplan", "nb": "Tidsplan", "en": "Time plan"}, True, {}),
        (Q.BUDGET, {"sv": "Budget", "nb": "Budsjett", "en": "Budget"}, True,
         {"cost_categories": ["personnel", "direct_costs", "travel"], "years": 2}),
    ]),
    ({"sv": "Bilagor", "nb": "Vedlegg", "en": "Attachments"}, [
        (Q.FILE, {"sv": "Projektplan", "nb": "Prosjektplan", "en": "Project plan"}, True,
         {"allowed_types": ["pdf"], "max_size_mb": 10}),
        (Q.DECLARATION, {"sv": "Uppgifterna är riktiga.", "nb": "Opplysningene er riktige.",
                         "en": "The information is correct."}, True, {}),
    ]),
]
REASONS = {
    "granted": "Projektet bedöms bidra väl till fondens mål.",
    "declined": "Ansökan prioriterades inte i konkurrensen med andra.",
    "screened_out": "Ansökan uppfyller inte fondens krav.",
    "returned": "Projektplanen saknar tidsplan per år.",
    "withdrawn": "Vi fick finansiering på annat håll.",
}
SAMPLE_PDF = b"%PDF-1.4\n% FundPortal scale data: a stand-in for an uploaded project plan\n%%EOF\n"


# --- writing in bulk --------------------------------------------------------------------------------------------------

class Writer:
    """Inserts rows in batches and counts them per model."""

    def __init__(self, batch_size):
        self.batch_size = batch_size
        self.counts = Counter()

    def insert(self, model, rows):
        rows = list(rows)
        model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model._meta.label] += len(rows)
        return rows


@contextmanager
def given_times(*models):
    """Inside, the models' ``auto_now``/``auto_now_add`` fields keep the moments the generator gives them (a history
    written today), instead of the moment of insertion."""
    fields = [f for model in models for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
              or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


TIMED = (Call, Membership, MembershipChange, Application, ApplicationTransition, Revision, Attachment, Screening,
         Assignment, Review, Decision, DecisionChange, OutboxEmail)


@dataclass
class Report:
    counts: dict
    seconds: float


def generate(size: Size, progress=None) -> Report:
    """Write ``size``'s data; ``progress(text)`` hears how far it has come. Refused where it was written before."""
    started = time.perf_counter()
    rng = random.Random(size.seed)
    anchor = datetime.combine(timezone.now().astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    writer = Writer(size.batch_size)
    with scopes_disabled(), transaction.atomic(), given_times(*TIMED):
        if Funder.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise ValueError(f"This database already holds funders named {SLUG_PREFIX}…; use an empty one.")
        funders = _funders(writer, size)
        staff = {funder.pk: _staff(writer, funder, number, size.panel if number == 0 else OTHER_PANEL, anchor)
                 for number, funder in enumerate(funders)}
        applicants = _applicants(writer, rng, max(10, size.applications // 3))
        specs = _plan_calls(size, funders, rng)
        _calls(writer, specs, anchor)
        for number, funder in enumerate(funders, start=1):
            own = [spec for spec in specs if spec.funder is funder]
            _applications(writer, own, staff[funder.pk], applicants, rng, anchor)
            if progress and (number % 10 == 0 or number == len(funders)):
                progress(f"{number} of {len(funders)} funders written, {time.perf_counter() - started:.0f} s")
        writer.counts[CaseCounter._meta.label] = CaseCounter.objects.filter(funder__in=funders).count()
    return Report(counts=dict(sorted(writer.counts.items())), seconds=time.perf_counter() - started)


# --- funders and people ---------------------------------------------------------------------------------------------

def _funders(writer, size):
    width = 2 if size.funders < 100 else 3
    funders = []
    for number in range(1, size.funders + 1):
        swedish = number % 2 == 1
        funders.append(Funder(
            name=f"Scale Funder {number:0{width}d}", slug=f"{SLUG_PREFIX}{number:0{width}d}",
            short_name=f"SC{number:0{width}d}",
            default_language="sv" if swedish else "nb", currency="SEK" if swedish else "NOK",
            time_zone="Europe/Stockholm" if swedish else "Europe/Oslo",
            description="Made by manage.py seed_scale for the benchmarks."))
    writer.insert(Funder, funders)
    for funder in funders:  # each funder's one stand-in for its applicants' uploads
        default_storage.delete(sample_file(funder))
        default_storage.save(sample_file(funder), ContentFile(SAMPLE_PDF))
    return funders


def sample_file(funder):
    return f"funders/{funder.slug}/applications/scale-sample.pdf"


def _accounts(writer, people):
    """Users who can sign in with the demo password, their addresses verified."""
    writer.insert(User, people)
    writer.insert(EmailAddress, (EmailAddress(user=person, email=person.email, verified=True, primary=True)
                                 for person in people))
    return people


@dataclass
class Staff:
    admin: User
    screener: User
    panel: list


def _staff(writer, funder, index, panel_size, anchor):
    """The funder's administrator, pre-screener and panel, each with a made-up name of the funder's language."""
    language = funder.default_language
    names = [(first, last) for first in FIRST_NAMES[(language, "woman")][:4] + FIRST_NAMES[(language, "man")][:4]
             for last in LAST_NAMES[language][:4]]
    roles = [("admin", Role.ADMINISTRATOR), ("screener", Role.SCREENER)] + [
        (f"panel{number:02d}", Role.PANEL_MEMBER) for number in range(1, panel_size + 1)]
    people = _accounts(writer, [
        User(email=f"{local}@{funder.slug}.{DOMAIN}", first_name=first, last_name=last, language=language,
             password=demo_password_hash())
        for (local, _role), (first, last) in zip(roles, names[index % 7:] + names)])
    joined = anchor - timedelta(days=6 * 365)
    writer.insert(Membership, (Membership(funder=funder, user=person, role=role, created=joined)
                               for person, (_local, role) in zip(people, roles)))
    writer.insert(MembershipChange, (MembershipChange(funder=funder, email=person.email, role=role, at=joined,
                                                      action=MembershipChange.Action.GRANTED)
                                     for person, (_local, role) in zip(people, roles)))
    return Staff(admin=people[0], screener=people[1], panel=people[2:])


def _applicants(writer, rng, count):
    """Applicants with made-up names and profiles; each applies a few times, to any funder."""
    people, profiles = [], []
    for number in range(1, count + 1):
        language, gender = rng.choice(["sv", "sv", "nb"]), rng.choice(["woman", "woman", "man", "man", "other", ""])
        first = rng.choice(FIRST_NAMES[(language, gender if gender in ("woman", "man") else rng.choice(["woman", "man"]))])
        people.append(User(email=f"applicant{number:06d}@applicants.{DOMAIN}", first_name=first,
                           last_name=rng.choice(LAST_NAMES[language]), language=language, password=demo_password_hash()))
        profiles.append((gender, rng.choice(["Region", "Kommun", "Universitet", "Sjukhus", "Företag"])))
    _accounts(writer, people)
    writer.insert(ApplicantProfile, (ApplicantProfile(user=person, organisation=f"{kind} {person.last_name}", gender=gender,
                                                      sector=kind, unit="Utvecklingsenheten")
                                     for person, (gender, kind) in zip(people, profiles)))
    return people


# --- calls ------------------------------------------------------------------------------------------------------------

@dataclass
class CallSpec:
    """One call to write: its phase and how many applications of which fates it gets."""

    funder: Funder
    phase: str
    number: int  # among its funder's calls
    fates: dict = field(default_factory=dict)  # fate → count
    reviewers: int = 3
    opens: datetime | None = None  # its one period
    closes: datetime | None = None
    call: Call | None = None
    period: Period | None = None
    staff: "Staff | None" = None
    stages: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    checklist: list = field(default_factory=list)
    questions: list = field(default_factory=list)

    @property
    def count(self):
        return sum(self.fates.values())


def _allocate(total, weights):
    """``total`` split in proportion to ``weights``, in whole numbers that add up (largest remainders first)."""
    weights = list(weights)
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    counts = [int(share) for share in exact]
    for index in sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _plan_calls(size, funders, rng):
    """Every call's phase, fates and reviewers per application: the big call first, the rest spread by chance."""
    per_funder = _allocate(size.calls, [1] * len(funders))
    specs = []
    for funder, count in zip(funders, per_funder):
        phases = ["big"] if funder is funders[0] and size.big_call else []
        phases += [PHASES[number % len(PHASES)] for number in range(count - len(phases))]
        specs += [CallSpec(funder=funder, phase=phase, number=number) for number, phase in enumerate(phases, start=1)]
    taking = [spec for spec in specs if spec.phase in WITH_APPLICATIONS]
    rest = size.applications - size.big_call
    if rest and not taking:
        raise ValueError("No call takes the applications beyond the big call's: give more --calls.")
    for spec, count in zip(taking, _allocate(rest, [rng.uniform(0.5, 1.5) for _spec in taking])):
        spec.fates = dict(zip(MIXES[spec.phase], _allocate(count, MIXES[spec.phase].values())))
    for spec in specs:
        if spec.phase == "big":
            spec.fates = dict(zip(MIXES["big"], _allocate(size.big_call, MIXES["big"].values())))
    _plan_reviewers(size, specs)
    return specs


def _reviewed(spec):
    """How many reviews per reviewer of the call to expect: every application with the panel or past it."""
    return sum(count * (SOME_SUBMITTED if FATES.get(fate, ((), "all"))[1] == "some" else 1)
               for fate, count in spec.fates.items() if fate == "reviewed" or FATES[fate][1])


def _plan_reviewers(size, specs):
    """Reviewers per application for each call, so the reviews come to about the target: the big call has 3; the
    others share what is left, each call rounding the remaining average."""
    big = [spec for spec in specs if spec.phase == "big"]
    left = size.review_target - sum(3 * _reviewed(spec) for spec in big)
    others = [spec for spec in specs if spec not in big and _reviewed(spec)]
    to_review = sum(_reviewed(spec) for spec in others)
    for spec in others:
        panel = size.panel if spec.funder is specs[0].funder else OTHER_PANEL
        spec.reviewers = max(1, min(panel, round(left / to_review))) if to_review else 3
        left -= spec.reviewers * _reviewed(spec)
        to_review -= _reviewed(spec)


def _period_times(spec, anchor):
    """(opens, closes) of the call's one period, by its phase; a decided call in one of the past four years."""
    years_back = 1 + spec.number % 4
    opens = {
        "decided": anchor - timedelta(days=365 * years_back + 90),
        "archived": anchor - timedelta(days=365 * 5 + 90),
        "in_review": anchor - DAY * 75,
        "big": anchor - DAY * 80,
        "open": anchor - DAY * 30,
        "upcoming": anchor + DAY * 20,
        "draft": anchor + DAY * 60,
    }[spec.phase]
    closes = {"in_review": anchor - DAY * 30, "big": anchor - DAY * 20, "open": anchor + DAY * 30}.get(
        spec.phase, opens + DAY * 40)
    return opens, closes


def released_at(spec):
    """When the call's decisions were released: 75 days after it closed, for decided (and archived) calls."""
    return spec.closes + DAY * 75 if spec.phase in ("decided", "archived") else None


def _calls(writer, specs, anchor):
    """Each call with its funds, period, criteria, pipeline, checklist, eligibility question and form."""
    funds = {}
    for spec in specs:
        if spec.funder.pk not in funds:
            funds[spec.funder.pk] = writer.insert(Fund, (Fund(funder=spec.funder, name=name[spec.funder.default_language],
                                                              code=code) for name, code in TEXTS["funds"]))
    for spec in specs:
        spec.opens, spec.closes = _period_times(spec, anchor)
        spec.call = _call(spec, funds[spec.funder.pk][spec.number % 2])
    writer.insert(Call, (spec.call for spec in specs))
    for spec in specs:
        spec.period = Period(funder=spec.funder, call=spec.call, opens_at=spec.opens, closes_at=spec.closes,
                             decision_by=(spec.closes + DAY * 75).date())
    writer.insert(Period, (spec.period for spec in specs))
    for spec in specs:
        spec.criteria = [Criterion(funder=spec.funder, call=spec.call, position=position, name=name, weight=weight)
                         for position, (name, weight) in enumerate(TEXTS["criteria"])]
        spec.stages = [Stage(funder=spec.funder, call=spec.call, position=position, kind=kind, name=name)
                       for position, (kind, name) in enumerate(TEXTS["stages"][spec.funder.default_language])]
        spec.checklist = [ChecklistItem(funder=spec.funder, call=spec.call, position=position, text=text)
                          for position, text in enumerate(TEXTS["checklist"])]
    writer.insert(Criterion, (criterion for spec in specs for criterion in spec.criteria))
    writer.insert(Stage, (stage for spec in specs for stage in spec.stages))
    writer.insert(ChecklistItem, (item for spec in specs for item in spec.checklist))
    writer.insert(EligibilityQuestion, (
        EligibilityQuestion(funder=spec.funder, call=spec.call, text={"sv": "Är ni en offentlig verksamhet?",
                                                                      "nb": "Er dere en offentlig virksomhet?",
                                                                      "en": "Are you a public body?"},
                            reason_if_not={"sv": "Bara offentliga verksamheter kan söka.",
                                           "nb": "Bare offentlige virksomheter kan søke.",
                                           "en": "Only public bodies may apply."}) for spec in specs))
    sections = writer.insert(Section, (Section(funder=spec.funder, call=spec.call, position=position, title=title)
                                       for spec in specs for position, (title, _questions) in enumerate(FORM)))
    by_section = iter(sections)
    for spec in specs:
        for _title, questions in FORM:
            section = next(by_section)
            spec.questions += [Question(funder=spec.funder, section=section, position=position, kind=kind, label=label,
                                        required=required, settings=settings)
                               for position, (kind, label, required, settings) in enumerate(questions)]
    writer.insert(Question, (question for spec in specs for question in spec.questions))


def _call(spec, fund):
    """The call, its texts in the funder's language and English; about 30 % of what is asked fits its budget."""
    opens, closes = spec.opens, spec.closes
    language = spec.funder.default_language
    year = timezone.localtime(opens).year
    if spec.phase == "big":
        slug, title = BIG_CALL, {"sv": f"Stora utlysningen: {spec.count:,} ansökningar",
                                 "nb": f"Den store utlysningen: {spec.count:,} søknader",
                                 "en": f"Big call: {spec.count:,} applications"}
    else:
        slug, title = f"call-{spec.number:03d}-{year}", {language: f"{fund.name} {year} – omgång {spec.number}",
                                                         "en": f"{fund.name} {year} – round {spec.number}"}
    published = None if spec.phase == "draft" else opens - DAY * 30
    return Call(
        funder=spec.funder, fund=fund, slug=slug, title={language: title[language], "en": title["en"]},
        summary={language: "Stöd till projekt som skapar nytta för invånarna.",
                 "en": "Support for projects that benefit residents."},
        description={language: "Bedömning i två steg: förhandsgranskning och en oberoende expertgrupp."},
        who_may_apply={language: "Offentliga verksamheter och deras partner."},
        what_is_funded={language: "Personal, direkta projektkostnader och resor."},
        contact={language: f"utlysning@{spec.funder.slug}.{DOMAIN}"},
        budget=max(1_000_000, spec.count * 165_000 // 1_000_000 * 1_000_000), currency=spec.funder.currency,
        application_types=["new", "continuation", "implementation"], themes=TEXTS["themes"] if spec.number % 2 else [],
        eligible_cost_categories=["personnel", "direct_costs", "travel"],
        requires_manager_approval=spec.number % 3 == 0,
        reviewers_per_application=3 if spec.phase == "big" else spec.reviewers,
        published_at=published, announced_at=published,
        archived_at=closes + DAY * 200 if spec.phase == "archived" else None,
        created=opens - DAY * 45, updated=opens - DAY * 30,
    )


# --- applications -------------------------------------------------------------------------------------------------

@dataclass
class Case:
    """One application as planned: its fate and story, then the row written and the moves that brought it there."""

    spec: CallSpec
    fate: str
    applicant: User
    title: str
    amount: int
    quality: float
    submitted_at: datetime | None
    started_at: datetime
    outcome: str = ""  # of its decision, if any
    application: Application | None = None
    moves: list = field(default_factory=list)  # (transition, from state, from stage, to stage, at)

    @property
    def at(self):
        return {transition.action: at for transition, _state, _stage, _target, at in self.moves}


def _applications(writer, specs, staff, applicants, rng, anchor):
    """One funder's applications and everything that happened to them."""
    for spec in specs:
        spec.staff = staff
    cases = [case for spec in specs for case in _cases(spec, applicants, rng, anchor)]
    for case in cases:
        case.application = _application(case, rng)
    for case in cases:
        _walk(case, anchor)
    give_case_numbers([case.application for case in cases if case.submitted_at])
    writer.insert(Application, (case.application for case in cases))
    submitted = [case for case in cases if case.submitted_at]
    writer.insert(Revision, (Revision(funder=case.spec.funder, application=case.application, number=1, title=case.title,
                                      theme=case.application.theme, answers=case.application.answers, by=case.applicant,
                                      created=case.submitted_at) for case in submitted))
    writer.insert(Attachment, _attachments(submitted, rng))
    writer.insert(ApplicationTransition, _transitions(cases))
    writer.insert(Screening, _screenings(cases))
    assignments, reviews = _assessment(cases, rng, anchor)
    writer.insert(Assignment, assignments)
    writer.insert(Review, reviews)
    _tallies(writer, specs, assignments)
    decisions = writer.insert(Decision, _decisions(cases, staff, anchor))
    writer.insert(DecisionChange, (DecisionChange(funder=decision.funder, decision=decision, by=decision.decided_by,
                                                  at=decision.updated, values=_decision_values(decision))
                                   for decision in decisions))
    writer.insert(OutboxEmail, _outbox(submitted, assignments, decisions))


def _cases(spec, applicants, rng, anchor):
    """The call's applications as planned, in the order they came; the best reviewed ones granted within the budget."""
    opens, closes = spec.opens, spec.closes
    until = min(closes, anchor - timedelta(hours=1))
    fates = [fate for fate, count in spec.fates.items() for _n in range(count)]
    rng.shuffle(fates)
    cases = []
    for fate in fates:
        moment = opens + (until - opens) * (1 - rng.random() ** 3)  # most of them in the last days
        submitted = fate not in ("draft", "abandoned")
        title = f"{rng.choice(SOLUTIONS)} för {rng.choice(NEEDS)} {rng.choice(PLACES)}"
        cases.append(Case(spec=spec, fate=fate, applicant=rng.choice(applicants), title=title,
                          amount=rng.randrange(100, 1001, 5) * 1000, quality=rng.uniform(2.5, 6.5),
                          submitted_at=moment if submitted else None,
                          started_at=moment - timedelta(days=rng.uniform(1, 20)) if submitted else moment))
    _grant_the_best(spec, [case for case in cases if case.fate in ("reviewed", "decision")])
    return cases


def _grant_the_best(spec, cases):
    """The best grants, in order of quality while the budget lasts, the rest declined: decided and released where
    the call is decided ("reviewed" becomes granted or declined), waiting for the release at the decision stage."""
    running = 0
    for case in sorted(cases, key=lambda case: -case.quality):
        granted = running + case.amount <= spec.call.budget
        running += case.amount if granted else 0
        case.outcome = "granted" if granted else "declined"
        if case.fate == "reviewed":
            case.fate = case.outcome


def _application(case, rng):
    call, spec = case.spec.call, case.spec
    text = project_text(rng, case.title)
    answers = {answer_rules.key(question): budget_answer(question, case.amount, rng) if question.kind == Q.BUDGET
               else demo_answer(question, case.title, text) for question in spec.questions if question.kind != Q.FILE}
    application = Application(
        funder=spec.funder, call=call, period=spec.period, applicant=case.applicant,
        application_type=some_application_type(rng),
        title=case.title, theme=rng.choice(call.themes) if call.themes else "", answers=answers,
        amount_requested=answer_rules.amount_requested(spec.questions, answers, spec.funder),
        submitted_at=case.submitted_at, created=case.started_at, updated=case.submitted_at or case.started_at)
    if call.requires_manager_approval and case.submitted_at:
        application.manager_name, application.manager_email = "Verksamhetschef", f"chef.{case.applicant.email}"
        application.manager_decision = Application.ManagerDecision.APPROVED
        application.manager_decided_at = application.manager_asked_at = case.submitted_at - DAY * 2
    return application


def _walk(case, anchor):
    """Make the fate's moves, as the lifecycle table allows them, each by a person with a role it names."""
    path, _reviews = FATES[case.fate]
    application, stages = case.application, case.spec.stages
    state, stage = DRAFT, None
    for action, at in zip(path, _move_times(case, path, anchor)):
        transition = TRANSITIONS_BY_ACTION[action]
        if state not in transition.sources or (transition.at and stage.kind not in transition.at):
            raise ValueError(f"The lifecycle does not allow {action} from {state} for the fate {case.fate}.")
        target = _stage_after(transition, stage, stages)
        case.moves.append((transition, state, stage, target, at))
        state, stage = transition.target, target
    application.state, application.current_stage, application.version = state, stage, 1 + len(path)
    application.updated = case.moves[-1][-1] if case.moves else application.updated
    if state == State.RETURNED:
        application.completion_due = anchor + DAY * 14


def _stage_after(transition, stage, stages):
    """The stage a move leaves the application at: the table's *stage* column."""
    if transition.stage == FIRST:
        return stages[0]
    if transition.stage == NEXT:
        return stages[stage.position + 1]
    if transition.stage == DECISION_STAGE:
        return next(later for later in stages[stage.position + 1:] if later.kind == K.DECISION)
    return stage


def _move_times(case, path, anchor):
    """When each move was made: the submission at its moment; an applicant's withdrawal before the period closed;
    the staff's moves spread after closing, until the release for a decided call, else until about now."""
    closes, released = case.spec.closes, released_at(case.spec)
    times = []
    if path[:1] == ("submit",):
        times.append(case.submitted_at)
    rest = path[len(times):]
    if not rest:
        return times
    if rest == ("withdraw",):
        start = case.submitted_at or case.started_at
        return times + [start + (min(closes, anchor) - start) / 2]
    start = max(case.submitted_at, min(closes, anchor - DAY * 2))
    if released and case.fate in ("granted", "declined"):  # the last move at the release
        return times + [start + (released - start) * (number + 1) / len(rest) for number in range(len(rest))]
    end = min(anchor - timedelta(hours=1), start + DAY * 50)  # the last move some time ago, the work goes on
    return times + [start + (end - start) * (number + 1) / (len(rest) + 1) for number in range(len(rest))]


def _attachments(cases, rng):
    """Each submitted application's project plan (a file the applicant can no longer remove)."""
    for case in cases:
        if case.application.state in State.EDITABLE:
            continue
        for question in case.spec.questions:
            if question.kind == Q.FILE:
                yield Attachment(funder=case.spec.funder, application=case.application, question=question,
                                 file=sample_file(case.spec.funder), original_name="projektplan.pdf",
                                 content_type="application/pdf", size=rng.randrange(80_000, 4_000_000),
                                 uploaded_by=case.applicant, created=case.submitted_at - DAY)


def _actor(transition, case, staff):
    if APPLICANT in transition.by:
        return case.applicant
    return staff.screener if Role.SCREENER in transition.by else staff.admin


def _transitions(cases):
    for case in cases:
        staff = case.spec.staff
        for transition, state, stage, target, at in case.moves:
            yield ApplicationTransition(
                funder=case.spec.funder, application=case.application, action=transition.action, source_state=state,
                target_state=transition.target, source_stage=stage, target_stage=target, by=_actor(transition, case, staff),
                at=at, comment=_move_comment(transition.action))


def _move_comment(action):
    return {"withdraw": REASONS["withdrawn"], "screen_out": REASONS["screened_out"],
            "return_for_completion": REASONS["returned"], "grant": REASONS["granted"],
            "decline": REASONS["declined"]}.get(action, "")


# --- assessment -------------------------------------------------------------------------------------------------------

def _screenings(cases):
    """The checklist as the screener left it: all passed, one item failed or to complete, or still half done."""
    for case in cases:
        started = case.at.get("start_review")
        if started is None:
            continue
        items = [str(item.pk) for item in case.spec.checklist]
        first = {"screened_out": "fail", "returned": "completion"}.get(case.fate, "pass")
        checked = items[:1] if case.fate == "screening" else items
        results = {item: {"result": "pass", "comment": ""} for item in checked}
        if first != "pass":
            results[items[0]] = {"result": first, "comment": REASONS[case.fate]}
        yield Screening(funder=case.spec.funder, application=case.application, screener=case.spec.staff.screener,
                        results=results, updated=started + DAY)


def _assessment(cases, rng, anchor):
    """Assignments to the panel for every application that reached it, each panel member in turn; the reviews."""
    assignments, reviews = [], []
    for index, case in enumerate(case for case in cases if FATES[case.fate][1]):
        spec = case.spec
        panel, per = spec.staff.panel, spec.call.reviewers_per_application
        advanced = case.at["advance"]
        done_by = case.at.get("to_decision") or anchor - timedelta(hours=2)
        for number in range(per):
            reviewer = panel[(index * per + number) % len(panel)]
            progress = _progress(rng) if FATES[case.fate][1] == "some" else "submitted"
            reviewed = advanced + (done_by - advanced) * rng.uniform(0.3, 0.95)
            assignment = Assignment(funder=spec.funder, application=case.application, stage=spec.stages[1],
                                    reviewer=reviewer,
                                    due=(advanced + DAY * 21).date(), created=advanced,
                                    has_conflict={"undeclared": None, "conflict": True}.get(progress, False),
                                    conflict_note="Jag har samarbetat med sökanden." if progress == "conflict" else "",
                                    declared_at=None if progress == "undeclared" else advanced + (reviewed - advanced) / 3)
            assignments.append(assignment)
            if progress in ("draft", "submitted"):
                reviews.append(_review(case, assignment, progress, rng, reviewed))
    return assignments, reviews


def _tallies(writer, specs, assignments):
    """The tallies of the calls' applications (``ReviewTally``), as the review services keep them: one statement
    for each call with assignments."""
    assessed = {assignment.application.call_id for assignment in assignments}
    for spec in specs:
        if spec.call.pk in assessed:
            ReviewTally.objects.refresh(Application.objects.filter(call=spec.call), spec.criteria)
            writer.counts[ReviewTally._meta.label] += ReviewTally.objects.filter(application__call=spec.call).count()


def _progress(rng):
    """How far one reviewer has come where some are still at work."""
    return rng.choices(["submitted", "draft", "undeclared", "conflict"], weights=[65, 15, 18, 2])[0]


def _review(case, assignment, progress, rng, at):
    call = case.spec.call
    scores = review_scores(rng, case.spec.criteria, case.quality, call)
    if progress == "draft":
        scores = dict(list(scores.items())[: len(scores) // 2])
    return Review(funder=case.spec.funder, assignment=assignment, scores=scores,
                  weighted_score=weighted_score(scores, case.spec.criteria),
                  recommendation=recommendation_of(scores) if progress == "submitted" else "",
                  comment=REVIEW_COMMENTS[recommendation_of(scores)], updated=at,
                  submitted_at=at if progress == "submitted" else None)


def _decisions(cases, staff, anchor):
    """Decisions: released for decided calls; at screening for those screened out; waiting at the decision stage."""
    for case in cases:
        released = released_at(case.spec)
        if case.fate in ("granted", "declined"):
            outcome, when, from_screening = case.outcome, released - DAY * 7, False
        elif case.fate == "screened_out":
            outcome, when, from_screening = Decision.Outcome.DECLINED, case.at["screen_out"], True
        elif case.fate == "decision":
            outcome, when, from_screening, released = case.outcome, anchor - DAY * 2, False, None
        else:
            continue
        reason = REASONS["screened_out"] if from_screening else REASONS[outcome]
        amount = case.application.amount_requested if outcome == Decision.Outcome.GRANTED else None
        yield Decision(funder=case.spec.funder, application=case.application, outcome=outcome, amount=amount,
                       reason=reason, from_screening=from_screening,
                       decided_by=staff.screener if from_screening else staff.admin,
                       updated=when, released_at=released)


def _decision_values(decision):
    return {"outcome": decision.outcome, "amount": str(decision.amount) if decision.amount is not None else None,
            "conditions": "", "account": "", "reason": decision.reason, "budget_override": ""}


# --- the outbox -------------------------------------------------------------------------------------------------------

def _outbox(submitted, assignments, decisions):
    """What the portal sent: a receipt per submission, a notice per assignment, each released decision's letter."""
    wordings, before_id = {}, {}

    def address(name, funder, pk):
        """The whole address of page ``name`` of object ``pk`` (its URL ends with the id), reversed once."""
        if (name, funder) not in before_id:
            before_id[name, funder] = absolute(reverse(name, args=[funder.slug, 0])).removesuffix("0/")
        return f"{before_id[name, funder]}{pk}/"

    def email(funder, kind, recipient, occasion, at, values, language):
        if (kind, language) not in wordings:
            with translation.override(language):
                wordings[kind, language] = (str(KINDS[kind].subject), str(KINDS[kind].body))
        subject, body = wordings[kind, language]
        return OutboxEmail(funder=funder, recipient=recipient.email, kind=kind, occasion=occasion, status=SENT,
                           subject=fill(subject, values), body=fill(body, values), created=at,
                           sent_at=at + timedelta(minutes=1))

    by_application = {case.application.pk: case for case in submitted}
    for case in submitted:
        application = case.application
        yield email(case.spec.funder, "receipt", case.applicant, f"receipt:{application.pk}:1", case.submitted_at,
                    _values(case, address("applications:detail", case.spec.funder, application.pk)),
                    case.applicant.language or case.spec.funder.default_language)
    for assignment in assignments:
        case = by_application[assignment.application_id]
        yield email(case.spec.funder, "assignment", assignment.reviewer, f"assignment:{assignment.pk}", assignment.created,
                    _values(case, address("review:review", case.spec.funder, assignment.pk)),
                    assignment.reviewer.language)
    for decision in decisions:
        if decision.released_at is None:
            continue
        case = by_application[decision.application_id]
        yield OutboxEmail(funder=decision.funder, recipient=case.applicant.email, kind="decision",
                          occasion=letter_occasion(case.application.pk), batch=f"decisions:{case.spec.call.pk}",
                          status=SENT, subject=f"{case.application.case_number}: {decision.get_outcome_display()}",
                          body=decision.reason, created=decision.released_at,
                          sent_at=decision.released_at + timedelta(hours=1))


def _values(case, url):
    application = case.application
    """The placeholders of an email about the case's application (as applications.notices fills them)."""
    return {"funder": case.spec.funder.name, "call": case.spec.call.title[case.spec.funder.default_language],
            "applicant": str(case.applicant), "project": application.title, "case_number": application.case_number,
            "due_note": "", "url": url}

