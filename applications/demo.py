"""Demo applicants and applications in every state, written and moved through the same services applicants and staff
use; how far an application goes in the assessment is the review app's part (review.demo)."""

from datetime import timedelta

from django.utils import timezone

from applications.answers import key
from applications.drafting import (
    application_save_answers, application_start, manager_decide, manager_request_approval, profile_save,
)
from applications.lifecycle import State
from applications.models import ApplicantProfile
from applications.services import application_transition
from applications.submission import application_return_for_completion, application_submit
from calls.demo import INNOVATIONSFONDEN_OPEN
from calls.models import Call, Question, Stage
from fundportal.demo import demo_person, seed_staff
from fundportal.models import User

K = Question.Kind

NORRBOTTEN_FINANCING = [
    ("Region Norrbotten 1:1-medel", 1245497), ("Tillväxtverket", 8287468), ("Region Västerbotten 1:1-medel", 3383466),
    ("Umeå universitet", 2193530), ("Region Västerbotten (egna medel)", 2104864), ("Umeå universitet holding", 1471315),
    ("Luleå tekniska universitet", 1032464), ("Skellefteå kommun", 363226), ("Umeå kommun", 358752),
    ("Region Norrbotten (egna medel)", 278413),
]

APPLICANTS = [  # email, name, language, and the profile: organisation, unit, sector, gender
    ("applicant1@applicants.demo", "Annika Ström", "sv",
     ("Karolinska Universitetssjukhuset", "Funktion Radiologi", "Hälso- och sjukvård", "woman")),
    ("applicant2@applicants.demo", "Mohammed Rahimi", "sv",
     ("Södersjukhuset", "Intensivvårdsavdelningen", "Hälso- och sjukvård", "man")),
    ("applicant3@applicants.demo", "Sofia Ekström", "sv", ("Umeå universitet", "Innovationskontoret", "Akademi", "woman")),
    ("applicant4@applicants.demo", "Ragnhild Aasen", "nb", ("Trondheim kommune", "Helse og velferd", "Kommune", "woman")),
    ("applicant5@applicants.demo", "Thomas Kristiansen", "nb", ("Viken fylkeskommune", "Samferdsel", "Fylkeskommune", "man")),
    ("applicant6@applicants.demo", "Eva Lindgren", "en", ("Region Stockholm", "Trafikförvaltningen", "Kollektivtrafik", "")),
]


# (funder, call, applicant number, title, text, the state to reach)
PROJECTS = [
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 1, "Textilsvinn",
     "Varje år förlorar Södersjukhuset omkring fem miljoner kronor i textilsvinn. Projektet undersöker orsakerna och "
     "prototypar lösningar tillsammans med Textilia och RLK Hållbarhet.", State.GRANTED),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 2, "IVA-dagboken – minskar effekter av PICS",
     "IVA-dagboken är ett viktigt verktyg för att minska Post Intensive Care Syndrome. Projektet utreder en digital dagbok.",
     State.SUBMITTED),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 3, "Robyn – robotisering av behörighetsstyrning",
     "Robotisering av anställningsprocessen ger minskad administrationstid och ökad patientsäkerhet.", Stage.Kind.PANEL),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 6, "Parkinsonprojektet",
     "En enhet som mäter rörelsemönster; AI-analys avgör vilken behandlingsmetod som passar bäst.", State.RETURNED),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 1, "Barnens väg till Röntgen",
     "Hur kan vi ta hjälp av barnen för att hitta vägen till röntgen?", State.DRAFT),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 2, "Drönare för interntransport",
     "Drönare för transport av prover mellan sjukhusets enheter.", State.DECLINED),
    ("region-stockholm", INNOVATIONSFONDEN_OPEN, 3, "Djupsanering av ambulans och operationssalar",
     "Ny metod för djupsanering som kortar tiden fordon och salar står stilla.", State.WITHDRAWN),
    ("forskningsradet", "innovasjonsprosjekt-offentlig-sektor", 4, "KI-støtte i barnevernet",
     "Kunstig intelligens som beslutsstøtte for saksbehandlere i barnevernet, utviklet med et FoU-miljø.", Stage.Kind.PANEL),
    ("forskningsradet", "innovasjonsprosjekt-offentlig-sektor", 5, "Velferdsteknologi i hjemmetjenesten",
     "Sensorer og digitalt tilsyn som lar eldre bo trygt hjemme lenger.", State.SUBMITTED),
    ("forskningsradet", "innovasjonsprosjekt-offentlig-sektor", 4, "Sammen mot utenforskap",
     "Samordnet innsats fra skole, NAV og kommune for unge som står utenfor.", State.GRANTED),
    ("forskningsradet", "innovasjonsprosjekt-offentlig-sektor", 6, "Digitale tvillinger for vannforsyning",
     "En digital tvilling av det kommunale vannettet for bedre vedlikehold.", State.DRAFT),
    ("region-norrbotten", "regional-medfinansiering", 3,
     "Stöd och organisation för innovation inom Life Science och hälsa i norra Sverige",
     "Projektet stärker innovationsstödet inom life science och hälsa i Norrbotten och Västerbotten. Projektägare: "
     "Umeå universitet. Stödsökande: Luleå tekniska universitet och Region Norrbotten.", State.GRANTED),
    ("region-norrbotten", "regional-medfinansiering", 2, "Besöksnäring året runt i Tornedalen",
     "Samverkan mellan företag och kommuner för en besöksnäring som bär hela året.", State.DECLINED),
    ("region-norrbotten", "regional-medfinansiering", 6, "Vätgasdalen – kompetens för ny industri",
     "Utbildningsinsatser för den nya gröna industrin i Norrbotten.", State.DRAFT),
    ("stimulab", "stimulab-ny-runde", 5, "Sømløse tjenester for personer med demens",
     "Personer med demens og deres pårørende møter mange etater som ikke snakker sammen.", Stage.Kind.DIALOGUE),
    ("stimulab", "stimulab-ny-runde", 4, "Digital byggesøknad for små kommuner",
     "Små kommuner mangler kapasitet til å digitalisere byggesaksbehandlingen.", State.PRELIMINARY),
    ("stimulab", "stimulab-ny-runde", 6, "Samordnet ungdomsinnsats",
     "Unge som faller mellom to stoler i overgangen fra skole til arbeid.", State.DECLINED),
    ("stimulab", "stimulab-ny-runde", 5, "Felles innbyggerdialog i fjellregionen",
     "En felles plattform for innbyggerdialog for fem kommuner.", State.DRAFT),
]


def seed_people(funders):
    """Every demo funder's staff (fundportal.demo) and the demo applicants, each with their profile."""
    seed_staff(funders)
    applicants = []
    for email, name, language, (organisation, unit, sector, gender) in APPLICANTS:
        person = demo_person(email, name, language)
        profile, _created = ApplicantProfile.objects.get_or_create(user=person)
        profile.organisation, profile.unit, profile.sector, profile.gender = organisation, unit, sector, gender
        profile_save(user=person, profile=profile, first_name=person.first_name, last_name=person.last_name)
        applicants.append(person)
    return applicants


def demo_answer(question, title, text):
    """A plausible answer for ``question`` of a project called ``title``."""
    settings = question.settings or {}
    if question.kind == K.SHORT_TEXT:
        return title[: settings.get("max_chars", 300)]
    if question.kind == K.LONG_TEXT:
        words = text.split()
        return " ".join(words[: settings.get("max_words", len(words))])
    if question.kind == K.DECLARATION:
        return True
    if question.kind == K.SINGLE_CHOICE:
        return settings["choices"][0]
    if question.kind == K.DATE:
        return "2023-09-01" if settings.get("project_date") == Question.PROJECT_START else "2026-10-31"
    if question.kind == K.PARTICIPANTS:
        return [{"name": "Projektledare", "role": "Projektledare", "organisation": "Region", "email": "pl@example.se", "phone": "08-123 45 67"}]
    if question.kind == K.PARTNERS:
        return [{"name": "SINTEF", "contact": "Forsker", "email": "forsker@example.no", "contribution": "FoU"}]
    if question.kind == K.TIME_PLAN:
        return [{"milestone": "Förstudie klar", "date": "2025-03-31"}, {"milestone": "Pilot", "date": "2025-09-30"}]
    if question.kind == K.BUDGET:
        if settings.get("financiers") and title.startswith("Stöd och organisation"):
            return [{"year1": str(amount)} for _name, amount in NORRBOTTEN_FINANCING]
        rows = len(settings.get("financiers") or settings.get("cost_categories") or [])
        return [{"year1": str(250000 + 50000 * index)} for index in range(rows)]
    return ""


def _fill(application, title, text, by):
    questions = Question.objects.filter(section__call=application.call)
    answers = {key(question): demo_answer(question, title, text) for question in questions}
    if application.call.requires_manager_approval:
        manager_request_approval(application=application, name="Chef Chefsson", email="chef@example.se", by=by)
        manager_decide(application=application, approve=True, comment="")
    return application_save_answers(application=application, answers=answers, title=title, version=application.version, by=by)


STAGE_PATH = {  # how far into the pipeline each target state goes, by the actions of the lifecycle table
    State.SUBMITTED: [], State.WITHDRAWN: [], Stage.Kind.PANEL: ["start_review", "advance"],
    Stage.Kind.DIALOGUE: ["start_review", "advance"],
    State.RETURNED: ["start_review", "return_for_completion"], State.GRANTED: ["start_review", "advance"],
    State.DECLINED: ["start_review", "screen_out"], State.PRELIMINARY: ["start_review", "mark_preliminary"],
}


def seed_applications(funder, assess):
    """The demo projects of ``funder``, each taken as far as applicants and staff take it here; ``assess(application,
    target, by)`` then takes it on in the assessment (reviews at a panel or dialogue, a grant), as review.demo does."""
    admin = User.objects.get(email=f"admin@{funder.slug}.demo")
    for slug, call_slug, number, title, text, target in PROJECTS:
        if slug != funder.slug:
            continue
        applicant = User.objects.get(email=f"applicant{number}@applicants.demo")
        call = Call.objects.prefetch_related("periods").get(slug=call_slug)
        theme = call.themes[len(title) % len(call.themes)] if call.themes else ""
        application = application_start(call=call, applicant=applicant, application_type="new", theme=theme)
        application = _fill(application, title, text, applicant)
        if target == State.DRAFT:
            continue
        application = application_submit(application=application, by=applicant)
        if target == State.WITHDRAWN:
            application_transition(application=application, action="withdraw", by=applicant,
                                   comment="Vi fick finansiering på annat håll.")
            continue
        for action in STAGE_PATH[target]:
            if action == "return_for_completion":  # the attachments part only, within two weeks
                application = application_return_for_completion(
                    application=application, by=admin, comment="Intyg från chef saknas i bilagan.",
                    due=timezone.now() + timedelta(days=14), sections=[call.sections.last().pk])
                continue
            application = application_transition(application=application, action=action, by=admin)
        assess(application, target, admin)
