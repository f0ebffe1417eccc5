"""Demo work at realistic size, written in bulk from a fixed random seed, so every role has work on first login.

- Region Stockholm's Innovationsfonden 2022, decided and released: 112 applications, 66 granted; lead applicants
  76 women and 36 men; 12 (11 %) from outside health care (the figures of shared/seeds).
- The current Innovationsfonden call: its first period closed, a ranking of 52 reviewed applications waiting for
  decisions (and 4 screened out), and 3 still with the panel, their reviews late.
- At every funder: applications waiting for the screener; panel members (at #StimuLab for the dialogue) each with an
  assignment not declared yet, a review in draft and one submitted; #StimuLab's steering group has the dialogue's
  applications waiting.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import product
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.text import slugify

from applications import answers as answer_rules
from applications.demo import demo_answer
from applications.lifecycle import State
from applications.models import ApplicantProfile, Application, CaseCounter, Revision
from calls.demo import INNOVATIONSFONDEN_2022, INNOVATIONSFONDEN_OPEN
from calls.models import Call, Question, Stage
from fundportal.models import Membership, User
from review.decisions import decision_record, decisions_release
from review.models import Assignment, Decision, Review, ReviewTally, weighted_score
from review.services import assignment_declare, assignments_auto, review_save

SEED = 2022

FIRST_NAMES = {
    ("sv", "woman"): ["Anna", "Maria", "Karin", "Sara", "Emma", "Elin", "Johanna", "Lena", "Ida", "Malin", "Sofia",
                      "Linnea", "Helena", "Camilla", "Frida", "Jenny", "Cecilia", "Åsa", "Ulrika", "Amira", "Nadia",
                      "Fatima", "Ingrid", "Hanna", "Louise", "Therese", "Mona", "Eva", "Kristina", "Annika"],
    ("sv", "man"): ["Erik", "Lars", "Anders", "Johan", "Per", "Mikael", "Karl", "Daniel", "Fredrik", "Ali", "Oskar",
                    "Henrik", "Magnus", "Jonas", "Mattias", "Björn", "Omar", "Niklas", "Stefan", "Gustav"],
    ("nb", "woman"): ["Ingrid", "Kari", "Silje", "Hanne", "Marte", "Ida", "Nora", "Ragnhild", "Tone", "Hilde", "Ane",
                      "Sigrid", "Maren", "Guro", "Liv"],
    ("nb", "man"): ["Ola", "Lars", "Håkon", "Jon", "Per", "Knut", "Espen", "Eirik", "Sindre", "Morten", "Anders",
                    "Trond", "Bjørn", "Vegard", "Arne"],
}
LAST_NAMES = {
    "sv": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
           "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Axelsson", "Berglund", "Sandberg",
           "Forsberg", "Lundgren", "Holm", "Ek", "Nyström", "Hassan", "Ahmadi", "Björk", "Wallin", "Engström",
           "Sjöberg", "Håkansson", "Falk"],
    "nb": ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
           "Karlsen", "Haugen", "Solberg", "Bakken", "Lie", "Moen", "Strand", "Dahl", "Berg", "Halvorsen", "Aas"],
}

HEALTH_CARE = "Hälso- och sjukvård"
HOSPITALS = [  # (organisation, units)
    ("Karolinska Universitetssjukhuset", ["Tema Hjärta och kärl", "Funktion Radiologi", "Tema Barn", "Tema Åldrande"]),
    ("Södersjukhuset", ["Akutkliniken", "Intensivvårdsavdelningen", "Kvinnokliniken"]),
    ("Danderyds sjukhus", ["Rehabiliteringsmedicin", "Ortopedkliniken", "Kardiologi"]),
    ("Södertälje sjukhus", ["Medicinkliniken", "Akutmottagningen"]),
    ("Norrtälje sjukhus", ["Geriatriken"]),
    ("Stockholms läns sjukvårdsområde", ["Psykiatri Nordväst", "Habilitering och hälsa", "Närakut Haninge"]),
    ("Akademiskt primärvårdscentrum", ["Vårdcentralen Rinkeby", "Vårdcentralen Gustavsberg"]),
]
OUTSIDE_HEALTH_CARE = [  # (organisation, unit, sector)
    ("Region Stockholm", "Trafikförvaltningen", "Kollektivtrafik"),
    ("Region Stockholm", "Kulturförvaltningen", "Kultur"),
    ("Region Stockholm", "Tillväxt- och regionplaneförvaltningen", "Tillväxt och regional planering"),
    ("Locum", "Fastighetsutveckling", "Fastigheter"),
]

SOLUTIONS = ["AI-stöd", "Digital egenvård", "Videobesök", "Sensorer", "En mobilapp", "Beslutsstöd", "Robotisering",
             "En digital tvilling", "Taligenkänning", "Hemmonitorering", "Automatiserad bildanalys",
             "Interaktiv patientinformation", "Virtuell verklighet", "Prediktiv analys", "En digital checklista",
             "En chattbot"]
NEEDS = ["tidig upptäckt av sepsis", "uppföljning vid hjärtsvikt", "smärtlindring hos barn", "färre fall hos äldre",
         "säker läkemedelsavstämning", "snabbare triage", "rehabilitering efter stroke", "planering av operationer",
         "mindre matsvinn", "färre trycksår", "provtagning i hemmet", "säkrare överrapportering", "kortare väntetider",
         "bättre nutrition hos äldre", "egenvård vid diabetes"]
PLACES = ["på akutmottagningen", "i primärvården", "inom geriatriken", "i hemsjukvården", "på intensivvården",
          "inom psykiatrin", "på barnkliniken", "i ambulanssjukvården", "på vårdcentralen", "på förlossningen"]
OTHER_TITLES = [
    "Realtidsinformation om trängsel i kollektivtrafiken", "Digital guide till länets kulturarv",
    "Sensorstyrd snöröjning vid busshållplatser", "Öppna data för regional planering",
    "Tillgängliga resor för personer med synnedsättning", "Energismarta vårdbyggnader",
    "Kultur på recept för unga vuxna", "Laddinfrastruktur för regionens fordon", "Prognoser för pendlarparkeringar",
    "Bokbuss med digital service i glesbygd", "Cirkulära möbler i regionens lokaler",
    "Grön omställning i regionens upphandlingar", "Ljudmiljö i tunnelbanan",
    "Samordnade färdtjänstresor", "Digital konsthall för länets skolor", "Klimatanpassade hållplatser",
]
OPENINGS = [
    "I dag saknas ett enkelt sätt att följa upp detta, och både patienter och medarbetare påverkas.",
    "Behovet har vuxit de senaste åren och verksamheten har sett tydliga brister i nuvarande arbetssätt.",
    "Medarbetarna lägger i dag mycket tid på manuellt arbete som inte ger nytta för den som behöver vård.",
    "Invånarna efterfrågar en bättre lösning och verksamheten har redan gjort en förstudie.",
]
PLAN = ("Projektet prövar lösningen i liten skala tillsammans med användarna, mäter nyttan mot nuläget och tar fram "
        "en plan för att införa den i verksamheten och sprida resultatet inom regionen.")
REVIEW_COMMENTS = {
    "fund": "Väl beskrivet behov, realistisk plan och tydlig nytta för patienterna.",
    "maybe": "Intressant idé; genomförandet och mätningen av nyttan behöver beskrivas tydligare.",
    "reject": "Behovet är inte styrkt och liknande lösningar finns redan.",
}

# The other funders' waiting work: (title, text), in the call's language.
OTHER_WORK = {
    "forskningsradet": ("nb", "innovasjonsprosjekt-offentlig-sektor", [
        ("Digital samhandling om pasientforløp", "Kommunen og sykehuset deler en felles plan for pasienter som skrives ut."),
        ("Smart vedlikehold av kommunale bygg", "Sensorer og maskinlæring forutsier behovet for vedlikehold."),
        ("Skolevei for alle", "Trygge skoleveier planlagt sammen med barna og forskere på trafikksikkerhet."),
        ("Ny start etter soning", "Kriminalomsorgen, NAV og kommunen samordner tjenestene for dem som løslates."),
        ("Klimatilpasset overvannshåndtering", "Et FoU-samarbeid om naturbaserte løsninger for overvann i byen."),
        ("Tidlig innsats i barnehagen", "Et verktøy som hjelper ansatte å se barn som trenger ekstra støtte."),
        ("Digitalt tilsyn i omsorgsboliger", "Digitalt tilsyn om natten, utviklet med beboere og pårørende."),
    ]),
    "region-norrbotten": ("sv", "regional-medfinansiering", [
        ("Kompetenslyft för gruvnäringens leverantörer", "Små leverantörsföretag får stöd att möta den nya gruvnäringens krav."),
        ("Bredband och digital service i Pajala", "Digitala servicepunkter gör offentlig service tillgänglig i hela kommunen."),
        ("Samiska näringar och besöksnäring i samverkan", "Samverkan som utvecklar hållbar turism på samiska villkor."),
        ("Fossilfria transporter längs Malmbanan", "En förstudie om fossilfri godstrafik mellan Kiruna och Narvik."),
        ("Unga entreprenörer i Norrbottens inland", "Ett program som stöttar unga som startar företag i inlandet."),
        ("Testbädd för kallt klimat", "Företag testar produkter och fordon i arktiskt klimat vid en gemensam testbädd."),
        ("Vård på distans i Norrbottens glesbygd", "Digitala vårdrum gör det möjligt att få vård utan långa resor."),
    ]),
    "stimulab": ("nb", "stimulab-ny-runde", [
        ("Én inngang for næringsdrivende", "Næringsdrivende må i dag forholde seg til mange etater med ulike krav."),
        ("Trygg overgang fra barnevern til voksenliv", "Unge som går ut av barnevernet mister støtten brått."),
        ("Enklere tolketjenester i helse og NAV", "Bestilling av tolk tar lang tid og skaper misforståelser."),
        ("Digital førerkortfornyelse for eldre", "Eldre opplever fornyelsen av førerkortet som tungvint."),
        ("Sammenhengende tjenester ved dødsfall", "Etterlatte må melde dødsfallet til mange instanser."),
        ("Felles løsning for skoleskyss", "Kommuner og fylke planlegger skoleskyss hver for seg."),
        ("Bedre veiledning for nye innbyggere", "Nye innbyggere finner ikke fram i de offentlige tjenestene."),
    ]),
}
AMOUNTS = {"forskningsradet": (2_000_000, 16_000_000), "region-norrbotten": (300_000, 3_000_000),
           "stimulab": (300_000, 2_000_000)}
OTHER_ORGANISATIONS = {
    "forskningsradet": [("Bergen kommune", "Helse og omsorg", "Kommune"), ("Viken fylkeskommune", "Samferdsel", "Fylkeskommune"),
                        ("Tromsø kommune", "Byutvikling", "Kommune"), ("Kriminalomsorgsdirektoratet", "Utvikling", "Stat")],
    "region-norrbotten": [("Luleå kommun", "Näringsliv", "Kommun"), ("Pajala kommun", "Kommunledning", "Kommun"),
                          ("Luleå tekniska universitet", "Innovation", "Akademi"), ("Kiruna kommun", "Samhällsbyggnad", "Kommun")],
    "stimulab": [("Brønnøysundregistrene", "Tjenesteutvikling", "Stat"), ("Bufdir", "Analyse", "Stat"),
                 ("IMDi", "Tolkefeltet", "Stat"), ("Statens vegvesen", "Førerkort", "Stat")],
}


@dataclass
class Planned:
    """An application to write: who applies, what, when, and where it has come."""

    applicant: User
    title: str
    text: str
    amount: int
    submitted_at: datetime
    state: str = State.SUBMITTED
    stage: Stage = None
    application_type: str = "new"
    theme: str = ""


def assess_demo_application(application, target, admin):
    """Take a demo application of applications.demo on in the assessment: reviewed at a panel or dialogue, or granted."""
    if target in Stage.Kind.WITH_REVIEWERS:
        _reviews(application, admin)
    if target == State.GRANTED:
        _grant(application, admin)


def _grant(application, admin):
    """The decision of the seed documents: granted as applied for, from the funder's own account, then released."""
    account = "Statligt anslag 1:1" if application.funder.slug == "region-norrbotten" else ""
    decision_record(application=application, by=admin, outcome="granted", amount=application.amount_requested,
                    account=account, conditions="Regionens villkor för medfinansiering gäller." if account else "",
                    reason="Projektet bedöms bidra väl till utlysningens mål.")
    decisions_release(call=application.call, by=admin)


def _reviews(application, admin):
    """Reviewers assigned; all declare impartiality, two submit their reviews, the third keeps a draft."""
    assignments_auto(applications=[application], per_application=application.call.reviewers_per_application, by=admin)
    criteria = list(application.call.criteria.all())
    for number, assignment in enumerate(application.assignments.order_by("reviewer__email")):
        assignment_declare(assignment=assignment, has_conflict=False)
        scores = {str(c.pk): {"score": 5 + (number + index) % 3, "comment": ""} for index, c in enumerate(criteria)}
        review_save(assignment=assignment, scores=scores, recommendation="fund" if number != 1 else "maybe",
                    comment="Tydligt behov och en genomförbar plan.", submit=number < 2)


def seed_assessment_work(funder):
    """The bulk demo work at ``funder``; run once, with the funder's other demo applications."""
    rng = random.Random(f"{SEED}-{funder.slug}")
    if funder.slug == "region-stockholm":
        _innovationsfonden_2022(funder, rng)
        _innovationsfonden_current_round(funder, rng)
    else:
        _waiting_work(funder, rng)


# --- people -------------------------------------------------------------------------------------------------------

def _ascii(text):
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _people(rng, profiles, language, tag):
    """One person per (gender, organisation, unit, sector), with a made-up name; they cannot sign in."""
    password = make_password(None)  # unusable
    people, details = [], []
    for number, (gender, organisation, unit, sector) in enumerate(profiles, start=1):
        first, last = rng.choice(FIRST_NAMES[(language, gender)]), rng.choice(LAST_NAMES[language])
        email = f"{slugify(_ascii(first))}.{slugify(_ascii(last))}.{tag}{number:03d}@applicants.demo"
        people.append(User(email=email, first_name=first, last_name=last, language=language, password=password))
        details.append((organisation, unit, sector, gender))
    User.objects.bulk_create(people, ignore_conflicts=True)
    by_email = User.objects.in_bulk([person.email for person in people], field_name="email")
    users = [by_email[person.email] for person in people]
    ApplicantProfile.objects.bulk_create(
        [ApplicantProfile(user=user, organisation=organisation, unit=unit, sector=sector, gender=gender)
         for user, (organisation, unit, sector, gender) in zip(users, details)], ignore_conflicts=True)
    return users


def _stockholm_profiles(rng, women, men, outside):
    """Lead applicants in a random order: ``outside`` of them from outside health care."""
    genders = ["woman"] * women + ["man"] * men
    rng.shuffle(genders)
    profiles = []
    for index, gender in enumerate(genders):
        if index < outside:
            organisation, unit, sector = rng.choice(OUTSIDE_HEALTH_CARE)
        else:
            organisation, units = rng.choice(HOSPITALS)
            unit, sector = rng.choice(units), HEALTH_CARE
        profiles.append((gender, organisation, unit, sector))
    return profiles


def _stockholm_applicants(rng, tag, women, men, outside):
    """Lead applicants with their projects' titles, in a random order; ``outside`` of them from outside health care."""
    people = _people(rng, _stockholm_profiles(rng, women, men, outside), "sv", tag)
    health = [f"{solution} för {need} {place}" for solution, need, place in product(SOLUTIONS, NEEDS, PLACES)]
    titles = rng.sample(OTHER_TITLES, outside) + rng.sample(health, len(people) - outside)
    paired = list(zip(people, titles))
    rng.shuffle(paired)
    return paired


def some_application_type(rng):
    return rng.choice(["new"] * 6 + ["continuation", "implementation"])


def project_text(rng, title):
    return f"{title}. {rng.choice(OPENINGS)} {PLAN}"


# --- applications -------------------------------------------------------------------------------------------------

def budget_answer(question, amount, rng):
    """Budget rows that add up to ``amount`` asked of this funder (its own row of a financing table)."""
    settings = question.settings or {}
    years = settings.get("years") or 1
    if settings.get("financiers"):
        own = settings.get("funder_row") or settings["financiers"][0]
        return [{"year1": str(amount if name == own else rng.randrange(1, 40) * 50_000)} for name in settings["financiers"]]
    categories = len(settings.get("cost_categories") or [""])
    personnel = amount if categories == 1 else amount * 6 // 10  # most of it is people's time
    shares = [personnel] + [(amount - personnel) // (categories - 1)] * (categories - 1)
    return [{f"year{year}": str(share // years // 1000 * 1000) for year in range(1, years + 1)} for share in shares]


def _case_prefix(application):
    year = timezone.localtime(application.submitted_at, ZoneInfo(application.funder.time_zone)).year
    return "-".join(part for part in (application.funder.short_name, application.call.fund.code, str(year)) if part)


def give_case_numbers(applications):
    """Numbers in order of submission, counted on from the funder's counters as a real submission would."""
    counters = {}
    for application in sorted(applications, key=lambda application: application.submitted_at):
        prefix = _case_prefix(application)
        if prefix not in counters:
            counters[prefix] = CaseCounter.objects.get_or_create(funder=application.funder, prefix=prefix)[0]
        counters[prefix].last += 1
        application.case_number = f"{prefix}-{counters[prefix].last:04d}"
    for counter in counters.values():
        counter.save(update_fields=["last"])


def _write(call, period, plans, rng):
    """The applications, as submitted with every answer (and the manager's approval where the call asks for it)."""
    questions = list(Question.objects.filter(section__call=call))
    applications = []
    for plan in plans:
        answers = {answer_rules.key(question): (budget_answer(question, plan.amount, rng) if question.kind == Question.Kind.BUDGET
                                                else demo_answer(question, plan.title, plan.text))
                   for question in questions}
        application = Application(
            funder=call.funder, call=call, period=period, applicant=plan.applicant, application_type=plan.application_type,
            title=plan.title, theme=plan.theme, answers=answers, state=plan.state, current_stage=plan.stage,
            amount_requested=answer_rules.amount_requested(questions, answers, call.funder), submitted_at=plan.submitted_at)
        if call.requires_manager_approval:
            application.manager_name, application.manager_email = "Verksamhetschef", f"chef.{plan.applicant.email}"
            application.manager_decision = Application.ManagerDecision.APPROVED
            application.manager_decided_at = plan.submitted_at - timedelta(days=2)
        applications.append(application)
    give_case_numbers(applications)
    Application.objects.bulk_create(applications)
    started = ExpressionWrapper(F("submitted_at") - timedelta(days=12), output_field=DateTimeField())
    Application.objects.filter(pk__in=[application.pk for application in applications]).update(
        created=started, updated=F("submitted_at"))
    Revision.objects.bulk_create(
        Revision(funder=call.funder, application=application, number=1, title=application.title, theme=application.theme,
                 answers=application.answers, by=application.applicant) for application in applications)
    return applications


def _moments(rng, period, count):
    """Submission times within ``period``, most of them in its last week, as they come in real rounds."""
    length = (period.closes_at - period.opens_at).total_seconds()
    moments = [period.opens_at + timedelta(seconds=length * (1 - rng.random() ** 3) * 0.999) for _ in range(count)]
    return sorted(moments)


# --- assessment ---------------------------------------------------------------------------------------------------

def _panel():
    return [membership.user for membership in Membership.objects.panel_by_email()]


def review_scores(rng, criteria, quality, call):
    return {str(criterion.pk): {"score": max(call.score_min, min(call.score_max, round(quality + rng.gauss(0, 0.8)))),
                                "comment": ""} for criterion in criteria}


def recommendation_of(scores):
    mean = sum(entry["score"] for entry in scores.values()) / len(scores)
    return "fund" if mean >= 5 else "maybe" if mean >= 4 else "reject"


UNDECLARED, DRAFT, SUBMITTED = "undeclared", "draft", "submitted"


def _assign(applications, stage, reviewers, progress, *, due, rng, submitted_at):
    """Assignments of ``reviewers`` to each application at ``stage``; ``progress(application index, reviewer index)``
    says how far each has come: not declared, declared with a review in draft, or submitted. Inserted in bulk, then
    the applications' tallies computed in one statement, as the review services keep them."""
    call = applications[0].call
    criteria = list(call.criteria.all())
    assignments, reviews = [], []
    for index, application in enumerate(applications):
        quality = rng.uniform(2.5, 6.5)
        for number, reviewer in enumerate(reviewers):
            state = progress(index, number)
            assignment = Assignment(funder=call.funder, application=application, stage=stage,
                                    reviewer=reviewer, due=due,
                                    has_conflict=None if state == UNDECLARED else False,
                                    declared_at=None if state == UNDECLARED else submitted_at(application))
            assignments.append(assignment)
            if state == UNDECLARED:
                continue
            scores = review_scores(rng, criteria, quality, call)
            if state == DRAFT:
                scores = dict(list(scores.items())[: len(scores) // 2])
            recommendation = recommendation_of(scores) if state == SUBMITTED else ""
            reviews.append(Review(funder=call.funder, assignment=assignment, scores=scores, recommendation=recommendation,
                                  weighted_score=weighted_score(scores, criteria),
                                  comment=REVIEW_COMMENTS[recommendation_of(scores)],
                                  submitted_at=submitted_at(application) if state == SUBMITTED else None))
    Assignment.objects.bulk_create(assignments)
    Review.objects.bulk_create(reviews)
    ReviewTally.objects.refresh(Application.objects.filter(pk__in=[application.pk for application in applications]),
                                criteria)


def _rotating(application_index, reviewer_index):
    """Each reviewer has one assignment not declared, one review in draft and one submitted."""
    return (UNDECLARED, DRAFT, SUBMITTED)[(application_index + reviewer_index) % 3]


def _decide(applications, outcomes, admin, *, released_at, from_screening=False):
    Decision.objects.bulk_create(
        Decision(funder=application.funder, application=application, outcome=outcome, decided_by=admin,
                 amount=amount, from_screening=from_screening, released_at=released_at(application),
                 reason=reason)
        for application, (outcome, amount, reason) in zip(applications, outcomes))


def _stages(call):
    return {stage.kind: stage for stage in call.stages.all()}


def _admin(funder):
    return User.objects.get(email=f"admin@{funder.slug}.demo")


# --- Region Stockholm ----------------------------------------------------------------------------------------------

def _innovationsfonden_2022(funder, rng):
    """112 applications in 2022's two periods; 66 granted within the 15 MSEK, 8 screened out, 38 declined."""
    call = Call.objects.prefetch_related("periods").get(slug=INNOVATIONSFONDEN_2022)
    stages, admin = _stages(call), _admin(funder)
    applicants = _stockholm_applicants(rng, "if2022-", women=76, men=36, outside=12)
    outcomes = ["granted"] * 66 + ["screened_out"] * 8 + ["declined"] * 38
    rng.shuffle(outcomes)
    periods = list(call.periods.all())
    written, start = [], 0
    for period in periods:  # half of the round in each period
        moments = _moments(rng, period, len(applicants) // len(periods))
        in_period = [(person, title, outcome, moment) for (person, title), outcome, moment
                     in zip(applicants[start:], outcomes[start:], moments)]
        start += len(moments)
        plans = [Planned(applicant=person, title=title, text=project_text(rng, title), amount=rng.randrange(100, 351, 5) * 1000,
                         submitted_at=moment, state=State.GRANTED if outcome == "granted" else State.DECLINED,
                         stage=stages[Stage.Kind.SCREENING] if outcome == "screened_out" else stages[Stage.Kind.DECISION],
                         application_type=some_application_type(rng))
                 for person, title, outcome, moment in in_period]
        written += zip(_write(call, period, plans, rng), [outcome for *_rest, outcome, _moment in in_period])
    reviewed = [application for application, outcome in written if outcome != "screened_out"]
    _assign(reviewed, stages[Stage.Kind.PANEL], _panel(), lambda index, number: SUBMITTED,
            due=None, rng=rng, submitted_at=lambda application: application.submitted_at + timedelta(days=30))
    granted_total = sum(application.amount_requested for application, outcome in written if outcome == "granted")
    scale = min(Decimal(1), Decimal(14_800_000) / granted_total)  # within the fund's 15 MSEK
    decisions = {
        "granted": lambda application: ("granted", int(application.amount_requested * scale) // 1000 * 1000,
                                        "Projektet bedöms bidra väl till fondens mål."),
        "declined": lambda application: ("declined", None, "Ansökan prioriterades inte i konkurrensen med andra."),
        "screened_out": lambda application: ("declined", None, "Ansökan uppfyller inte fondens krav."),
    }
    _decide([application for application, _outcome in written],
            [decisions[outcome](application) for application, outcome in written], admin,
            released_at=lambda application: application.period.closes_at + timedelta(days=75))


def _innovationsfonden_current_round(funder, rng):
    """The first period, closed: 52 reviewed and ranked, waiting for decisions; 4 screened out (not yet released);
    3 still with the panel, late. The open second period: 5 submitted, waiting for the screener."""
    call = Call.objects.prefetch_related("periods").get(slug=INNOVATIONSFONDEN_OPEN)
    stages, admin, panel = _stages(call), _admin(funder), _panel()
    closed, open_period = list(call.periods.all())
    applicants = _stockholm_applicants(rng, "if-", women=44, men=20, outside=7)
    plans = [Planned(applicant=person, title=title, text=project_text(rng, title), amount=rng.randrange(60, 451, 5) * 1000,
                     submitted_at=moment, state=State.IN_REVIEW, stage=stages[Stage.Kind.DECISION],
                     application_type=some_application_type(rng))
             for (person, title), moment in zip(applicants, _moments(rng, closed, 59))]
    for plan in plans[52:56]:
        plan.state, plan.stage = State.DECLINED, stages[Stage.Kind.SCREENING]
    for plan in plans[56:]:
        plan.stage = stages[Stage.Kind.PANEL]
    applications = _write(call, closed, plans, rng)
    after_closing = closed.closes_at + timedelta(days=20)
    _assign(applications[:52], stages[Stage.Kind.PANEL], panel, lambda index, number: SUBMITTED,
            due=after_closing.date(), rng=rng, submitted_at=lambda application: after_closing - timedelta(days=2))
    _assign(applications[56:], stages[Stage.Kind.PANEL], panel, _rotating,
            due=timezone.localdate() - timedelta(days=3), rng=rng, submitted_at=lambda application: after_closing)
    _decide(applications[52:56], [("declined", None, "Ansökan uppfyller inte kravet på chefens godkännande.")] * 4, admin,
            released_at=lambda application: None, from_screening=True)
    now = timezone.now()
    early = [Planned(applicant=person, title=title, text=project_text(rng, title), amount=rng.randrange(60, 451, 5) * 1000,
                     submitted_at=now - timedelta(days=days, hours=hours))
             for (person, title), days, hours in zip(applicants[59:], (9, 6, 4, 2, 1), (3, 5, 1, 7, 2))]
    _write(call, open_period, early, rng)


# --- the other funders ---------------------------------------------------------------------------------------------

def _waiting_work(funder, rng):
    """Three applications with the panel (the dialogue at #StimuLab), each panel member at a different point on
    each, and four submitted ones waiting for the screener."""
    language, call_slug, projects = OTHER_WORK[funder.slug]
    call = Call.objects.prefetch_related("periods").get(slug=call_slug)
    stages = _stages(call)
    people = _people(rng, [("woman" if number % 3 else "man", *rng.choice(OTHER_ORGANISATIONS[funder.slug]))
                           for number in range(len(projects))], language, funder.short_name.lower())
    low, high = AMOUNTS[funder.slug]
    now = timezone.now()
    stage = stages.get(Stage.Kind.PANEL) or stages[Stage.Kind.DIALOGUE]
    plans = [Planned(applicant=person, title=title, text=text, amount=rng.randrange(low, high, 50_000),
                     submitted_at=now - timedelta(days=10 - number, hours=number), theme=rng.choice(call.themes) if call.themes else "",
                     state=State.IN_REVIEW if number < 3 else State.SUBMITTED, stage=stage if number < 3 else None)
             for number, (person, (title, text)) in enumerate(zip(people, projects))]
    applications = _write(call, call.periods.all()[0], plans, rng)
    _assign(applications[:3], stage, _panel(), _rotating,
            due=timezone.localdate() + timedelta(days=14), rng=rng, submitted_at=lambda application: now - timedelta(days=1))
