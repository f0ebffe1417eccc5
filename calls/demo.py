"""The four seed funders' calls, set up through the calls services (see shared/seeds)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from calls.models import Call, EligibilityQuestion, Fund, Question, Section, Stage
from calls.services import (
    call_copy, call_create, call_publish, call_set_checklist, call_set_criteria, call_set_periods, call_set_pipeline,
)

K = Stage.Kind
Q = Question.Kind

# Its periods move with today's date; its name stays, so the demo and its tests find it in any year.
INNOVATIONSFONDEN_OPEN = "innovationsfonden-2027"
INNOVATIONSFONDEN_2022 = "innovationsfonden-2022"  # decided, with the figures the seed documents give


def local(funder, year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(funder.time_zone))


def relative(funder, days, hour=0, minute=0):
    """A local time ``days`` from today, so the demo has an open call on any date."""
    today = timezone.localdate(timezone=ZoneInfo(funder.time_zone))
    moment = today + timedelta(days=days)
    return local(funder, moment.year, moment.month, moment.day, hour, minute)


def week_of(moment):
    return moment.isocalendar().week


def next_21_september(funder):
    """Forskningsrådet's yearly deadline, 21 September at 13:00, the next one to come."""
    today = timezone.localdate(timezone=ZoneInfo(funder.time_zone))
    year = today.year if today < date(today.year, 9, 21) else today.year + 1
    return local(funder, year, 9, 21, 13, 0)


def _form(call, sections):
    for position, (title, questions) in enumerate(sections):
        section = Section.objects.create(funder=call.funder, call=call, position=position, title=title)
        Question.objects.bulk_create(
            Question(funder=call.funder, section=section, position=number, kind=kind, label=label,
                     required=required, settings=settings)
            for number, (kind, label, required, settings) in enumerate(questions)
        )


def _eligibility(call, questions):
    EligibilityQuestion.objects.bulk_create(
        EligibilityQuestion(funder=call.funder, call=call, position=position, text=text, eligible_answer=True,
                            reason_if_not=reason)
        for position, (text, reason) in enumerate(questions)
    )


def _call(funder, fund_name, slug, code="", **fields):
    """Create the call once; a later seed run leaves an existing call alone."""
    fund, _created = Fund.objects.get_or_create(funder=funder, name=fund_name, defaults={"code": code})
    existing = Call.objects.filter(slug=slug).first()
    return existing, (existing or call_create(fund=fund, slug=slug, **fields))


def seed_region_stockholm(funder, admin):
    existing, call = _call(
        funder, "Innovationsfonden", "innovationsfonden-2024", code="IF",
        title={"sv": "Innovationsfonden 2024", "en": "Innovation Fund 2024"},
        summary={"sv": "15 miljoner kronor om året till projekt som skapar nytta för Stockholms invånare, patienter och resenärer.",
                 "en": "SEK 15 million a year for projects that benefit Stockholm's residents, patients and travellers."},
        description={"sv": "Du kan ansöka om medel både för nya idéer och för projekt som har kommit en bit på väg. "
                           "Bedömning och urval sker i två steg: förhandsgranskning och en oberoende expertgrupp."},
        who_may_apply={"sv": "Alla som arbetar minst halvtid inom Region Stockholm, eller hos arbetsgivare som har avtal "
                             "med och uppdrag från Region Stockholm."},
        what_is_funded={"sv": "Resultatet och vägen dit ska ägas av Region Stockholm. Medlen rekvireras i efterhand och "
                              "ska användas under beviljandeåret."},
        contact={"sv": "innovationsfonden@regionstockholm.se"},
        budget=15_000_000, currency="SEK", application_types=["new", "continuation", "implementation"],
        requires_manager_approval=True, score_min=1, score_max=7,
    )
    if existing:
        return
    call_set_periods(call=call, periods=[
        {"name": {"sv": "Ansökningsperiod 1"}, "opens_at": local(funder, 2023, 9, 20), "closes_at": local(funder, 2023, 10, 23, 23, 59),
         "decision_week": 1},
        {"name": {"sv": "Ansökningsperiod 2"}, "opens_at": local(funder, 2024, 1, 1), "closes_at": local(funder, 2024, 2, 2, 23, 59),
         "decision_week": 16},
    ])
    call_set_criteria(call=call, criteria=[
        ({"sv": "Väsentligt behov hos användare, patienter eller verksamhet", "en": "Significant need"}, 30),
        ({"sv": "Goda förutsättningar att driva projektet och lösa behovet", "en": "Good prerequisites"}, 25),
        ({"sv": "Nytta och mätbara fördelar", "en": "Benefit and measurable advantages"}, 25),
        ({"sv": "Lösningens unikhet och alternativ", "en": "Uniqueness of the solution"}, 20),
    ])
    call_set_pipeline(call=call, stages=[(K.SCREENING, "Förhandsgranskning"), (K.PANEL, "Expertgrupp"), (K.DECISION, "Beslut")])
    call_set_checklist(call=call, items=[{"sv": text} for text in (
        "Sökanden arbetar minst 50 % inom Region Stockholm", "Ansökan är komplett", "Chefens godkännande finns",
        "Intyg om immateriella rättigheter", "Inom fondens budgetramar")])
    _eligibility(call, [
        ({"sv": "Arbetar du minst 50 % inom Region Stockholm, eller hos en arbetsgivare med avtal och uppdrag från Region Stockholm?"},
         {"sv": "Innovationsfonden är öppen för den som arbetar minst halvtid inom Region Stockholm eller hos en arbetsgivare med avtal och uppdrag från regionen."}),
    ])
    _form(call, [
        ({"sv": "Projektet"}, [
            (Q.LONG_TEXT, {"sv": "Syfte"}, True, {"max_words": 300}),
            (Q.LONG_TEXT, {"sv": "Mål och förväntad effekt"}, True, {"max_words": 500}),
        ]),
        ({"sv": "Deltagare"}, [(Q.PARTICIPANTS, {"sv": "Projektdeltagare"}, True, {})]),
        ({"sv": "Tidsplan och budget"}, [
            (Q.TIME_PLAN, {"sv": "Uppskattad tidsplan"}, True, {}),
            (Q.BUDGET, {"sv": "Budget"}, True, {"cost_categories": ["personnel", "direct_costs"], "years": 1}),
        ]),
        ({"sv": "Immateriella rättigheter"}, [
            (Q.DECLARATION, {"sv": "Resultatet och vägen dit ägs av Region Stockholm."}, True, {}),
        ]),
    ])
    call_publish(call=call, by=admin)
    _innovationsfonden_2022(funder, call, admin)
    open_call = call_copy(call=call, slug=INNOVATIONSFONDEN_OPEN,
                          title={"sv": "Innovationsfonden 2027", "en": "Innovation Fund 2027"})
    call_set_periods(call=open_call, periods=[  # the first period is being decided while the second is open
        {"name": {"sv": "Ansökningsperiod 1"}, "opens_at": relative(funder, -75), "closes_at": relative(funder, -40, 23, 59),
         "decision_week": week_of(relative(funder, 21))},
        {"name": {"sv": "Ansökningsperiod 2"}, "opens_at": relative(funder, -14), "closes_at": relative(funder, 21, 23, 59),
         "decision_week": week_of(relative(funder, 100))},
    ])
    call_publish(call=open_call, by=admin)


def _innovationsfonden_2022(funder, call, admin):
    """The round whose figures the seed documents give (112 applications, 66 granted): closed and decided."""
    past = call_copy(call=call, slug=INNOVATIONSFONDEN_2022,
                     title={"sv": "Innovationsfonden 2022", "en": "Innovation Fund 2022"})
    call_set_periods(call=past, periods=[
        {"name": {"sv": "Ansökningsperiod 1"}, "opens_at": local(funder, 2022, 1, 1), "closes_at": local(funder, 2022, 2, 2, 23, 59),
         "decision_week": 16},
        {"name": {"sv": "Ansökningsperiod 2"}, "opens_at": local(funder, 2022, 9, 20), "closes_at": local(funder, 2022, 10, 23, 23, 59),
         "decision_week": 1},
    ])
    call_publish(call=past, by=admin)
    Call.objects.filter(pk=past.pk).update(published_at=local(funder, 2021, 12, 1), announced_at=local(funder, 2021, 12, 1))


FORSKNINGSRADET_THEMES = [
    "Helsetjenester", "Arbeid og velferd", "Omsorgstjenester", "Barnevern", "Utdanning", "Transport og mobilitet",
    "Digitalisering", "Bioøkonomi", "Byplanlegging", "Samfunnssikkerhet", "Utenforskap blant unge",
]


def seed_forskningsradet(funder, admin):
    existing, call = _call(
        funder, "Innovasjonsprosjekt i offentlig sektor", "innovasjonsprosjekt-offentlig-sektor", code="IPOS",
        title={"nb": "Innovasjonsprosjekt i offentlig sektor", "en": "Innovation project for the public sector"},
        summary={"nb": "Støtte til offentlige virksomheter som vil innovere tjenester, infrastruktur og forvaltning i samarbeid med FoU-miljøer."},
        description={"nb": "Prosjektene skal ta utgangspunkt i offentlig sektors behov og utfordringer, og gjennomføres i samarbeid "
                           "med FoU-miljøer og andre relevante aktører. Beskrivelsen skal også omfatte andre aktiviteter som trengs "
                           "for å realisere innovasjonen; disse får ikke støtte."},
        who_may_apply={"nb": "Offentlige virksomheter, sammenslutninger av dem og organisasjoner som representerer offentlig sektor."},
        what_is_funded={"nb": "FoU-aktiviteter. Støtteberettigede kostnader: personalkostnader, stipendiater og direkte prosjektkostnader."},
        budget=120_000_000, currency="NOK", application_types=["new"], themes=FORSKNINGSRADET_THEMES,
        eligible_cost_categories=["personnel", "research_fellows", "direct_costs"], score_min=1, score_max=7,
    )
    if existing:
        return
    call_set_periods(call=call, periods=[
        {"opens_at": relative(funder, -30), "closes_at": next_21_september(funder),
         "decision_by": (next_21_september(funder) + timedelta(days=90)).date()},
    ])
    call_set_criteria(call=call, criteria=[
        ({"nb": "Innovasjonsgrad og nytteverdi"}, 40), ({"nb": "Gjennomføring"}, 30), ({"nb": "Samfunnseffekt"}, 30),
    ])
    call_set_pipeline(call=call, stages=[(K.SCREENING, "Formell vurdering"), (K.PANEL, "Fagpanel"), (K.DECISION, "Vedtak")])
    call_set_checklist(call=call, items=[{"nb": text} for text in (
        "Søker er en offentlig virksomhet", "FoU-partner er med", "Bare støtteberettigede kostnader")])
    _eligibility(call, [
        ({"nb": "Er søkeren en offentlig virksomhet, en sammenslutning av offentlige virksomheter eller en organisasjon som representerer offentlig sektor?"},
         {"nb": "Bare offentlig sektor kan søke om innovasjonsprosjekt i offentlig sektor."}),
    ])
    _form(call, [
        ({"nb": "Prosjektet"}, [
            (Q.LONG_TEXT, {"nb": "Behov og utfordring"}, True, {"max_chars": 6000}),
        ]),
        ({"nb": "Partnere"}, [(Q.PARTNERS, {"nb": "FoU-partnere"}, True, {"minimum": 1})]),
        ({"nb": "Budsjett"}, [
            (Q.BUDGET, {"nb": "Kostnader"}, True, {"cost_categories": ["personnel", "research_fellows", "direct_costs"], "years": 3}),
        ]),
    ])
    call_publish(call=call, by=admin)


NORRBOTTEN_FINANCIERS = [  # the co-financiers of the seed decision (003_…txt), Region Norrbotten's own share first
    "Region Norrbotten 1:1-medel", "Tillväxtverket", "Region Västerbotten 1:1-medel", "Umeå universitet",
    "Region Västerbotten (egna medel)", "Umeå universitet holding", "Luleå tekniska universitet", "Skellefteå kommun",
    "Umeå kommun", "Region Norrbotten (egna medel)",
]


def seed_region_norrbotten(funder, admin):
    existing, call = _call(
        funder, "Regionala 1:1-medel", "regional-medfinansiering", code="RU",
        title={"sv": "Medfinansiering av regionala utvecklingsprojekt"},
        summary={"sv": "Region Norrbotten medfinansierar projekt ur statligt anslag 1:1. Ansökan redovisar projektets hela finansiering."},
        who_may_apply={"sv": "Projektägare med verksamhet i Norrbotten: kommuner, lärosäten, organisationer och företag."},
        what_is_funded={"sv": "Regionens andel av projektets budget. Regionens villkor för medfinansiering gäller."},
        budget=25_000_000, currency="SEK", application_types=["new", "continuation"],
        eligible_cost_categories=["personnel", "direct_costs", "external_services", "travel", "overheads"],
    )
    if existing:
        return
    call_set_periods(call=call, periods=[{"opens_at": relative(funder, -60), "closes_at": relative(funder, 45, 16, 0)}])
    call_set_criteria(call=call, criteria=[
        ({"sv": "Bidrag till den regionala utvecklingsstrategin"}, 50), ({"sv": "Hållbarhetsintegrering"}, 25),
        ({"sv": "Förväntade resultat på kort och lång sikt"}, 25),
    ])
    call_set_pipeline(call=call, stages=[(K.SCREENING, "Handläggning"), (K.PANEL, "Bedömning"), (K.DECISION, "Beslut")])
    call_set_checklist(call=call, items=[{"sv": text} for text in (
        "Finansieringsplanen är komplett", "Medfinansiering är intygad", "Projektet ryms i den regionala strategin")])
    _form(call, [
        ({"sv": "Projektet"}, [
            (Q.LONG_TEXT, {"sv": "Bakgrund"}, True, {"max_words": 600}),
            (Q.LONG_TEXT, {"sv": "Syfte och aktiviteter"}, True, {"max_words": 800}),
            (Q.LONG_TEXT, {"sv": "Hållbarhetsintegrering"}, True, {"max_words": 400}),
        ]),
        ({"sv": "Finansiering"}, [
            (Q.DATE, {"sv": "Projektperiod, start"}, True, {"project_date": "start"}),
            (Q.DATE, {"sv": "Projektperiod, slut"}, True, {"project_date": "end"}),
            (Q.BUDGET, {"sv": "Finansieringsplan"}, True,
             {"financiers": NORRBOTTEN_FINANCIERS, "funder_row": NORRBOTTEN_FINANCIERS[0], "years": 1}),
        ]),
    ])
    call_publish(call=call, by=admin)


def seed_stimulab(funder, admin):
    existing, call = _call(
        funder, "#StimuLab", "stimulab-2018", code="PK",
        title={"nb": "#StimuLab 2018 – prekvalifisering av nye samarbeidsprosjekter"},
        summary={"nb": "Har din virksomhet eller kommune et gjenstridig problem? Send inn en kort beskrivelse av utfordringen."},
        description={"nb": "#StimuLab er ikke en tradisjonell tilskuddsordning. Vi har en åpen prekvalifisering; basert på "
                           "beskrivelsen og faste kriterier velger vi ut prosjekter som vi går i videre dialog med. "
                           "Endelig tildeling bestemmes av styringsgruppen."},
        who_may_apply={"nb": "Statlige virksomheter og kommuner."},
        budget=10_000_000, currency="NOK", application_types=["new"],
    )
    if existing:
        return
    call_set_periods(call=call, periods=[{"opens_at": local(funder, 2018, 1, 15), "closes_at": local(funder, 2018, 3, 9, 23, 59)}])
    call_set_criteria(call=call, criteria=[
        ({"nb": "Brukerbehov"}, 25), ({"nb": "Lederforankring"}, 25), ({"nb": "Egen ressursinnsats"}, 25),
        ({"nb": "Innovasjonspotensial"}, 25),
    ])
    call_set_pipeline(call=call, stages=[(K.SCREENING, "Prekvalifisering"), (K.DIALOGUE, "Dialog"), (K.DECISION, "Styringsgruppe")])
    call_set_checklist(call=call, items=[{"nb": text} for text in (
        "Søker er en statlig virksomhet eller kommune", "Utfordringen er beskrevet", "Ledelsen er forankret")])
    _form(call, [
        ({"nb": "Utfordringen"}, [
            (Q.LONG_TEXT, {"nb": "Beskriv utfordringen eller behovet"}, True, {"max_words": 400}),
            (Q.LONG_TEXT, {"nb": "Hvem er brukerne, og hva trenger de?"}, True, {"max_words": 300}),
            (Q.DECLARATION, {"nb": "Ledelsen står bak forslaget."}, True, {}),
        ]),
    ])
    call_publish(call=call, by=admin)
    this_round = call_copy(call=call, slug="stimulab-ny-runde",
                           title={"nb": "#StimuLab – ny runde med prekvalifisering"})
    call_set_periods(call=this_round, periods=[{"opens_at": relative(funder, -20), "closes_at": relative(funder, 25, 23, 59)}])
    call_publish(call=this_round, by=admin)


SEEDERS = {
    "region-stockholm": seed_region_stockholm,
    "forskningsradet": seed_forskningsradet,
    "region-norrbotten": seed_region_norrbotten,
    "stimulab": seed_stimulab,
}
