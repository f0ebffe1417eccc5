"""Demo funders and their staff, from the seed documents in shared/seeds (applicants: applications.demo)."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from fundportal.models import Funder, Role, User
from fundportal.services import membership_grant
from fundportal.tenancy import scope

DEMO_PASSWORD = "fundportal-demo"

FUNDERS = [
    {
        "slug": "region-stockholm",
        "name": "Region Stockholm",
        "short_name": "RS",
        "default_language": "sv",
        "currency": "SEK",
        "time_zone": "Europe/Stockholm",
        "primary_colour": "#002d5a",
        "website": "https://www.regionstockholm.se/",
        "description": (
            "Varje år delar Region Stockholms Innovationsfond ut 15 miljoner kronor till projekt som skapar "
            "nytta för Stockholms invånare, patienter och resenärer. Fonden ger alla medarbetare en möjlighet "
            "att bidra till utvecklingen av hälso- och sjukvården, trafiken, kulturen och tillväxt- och "
            "regionalplaneringen."
        ),
    },
    {
        "slug": "forskningsradet",
        "name": "Forskningsrådet",
        "short_name": "NFR",
        "default_language": "nb",
        "currency": "NOK",
        "time_zone": "Europe/Oslo",
        "primary_colour": "#3b2f7f",
        "website": "https://www.forskningsradet.no/",
        "description": (
            "Et innovasjonsprosjekt i offentlig sektor skal bidra til at offentlig sektor innoverer tjenester, "
            "infrastruktur og forvaltning på en bærekraftig, systematisk og effektiv måte. Prosjektene "
            "gjennomføres i samarbeid med FoU-miljøer og andre relevante aktører."
        ),
    },
    {
        "slug": "region-norrbotten",
        "name": "Region Norrbotten",
        "short_name": "RN",
        "default_language": "sv",
        "currency": "SEK",
        "time_zone": "Europe/Stockholm",
        "primary_colour": "#00573f",
        "website": "https://www.norrbotten.se/",
        "description": (
            "Region Norrbotten medfinansierar regionala utvecklingsprojekt ur det statliga anslaget 1:1. "
            "Regionen beslutar om sin egen andel; beslutet redovisar projektets hela finansiering."
        ),
        "letter_signature": "Regionala utvecklingsnämnden\nRegion Norrbotten",
        "letter_distribution": "Regional utvecklingsdirektör\nFunktionsbrevlåda Utveckla Norrbotten",
    },
    {
        "slug": "stimulab",
        "name": "#StimuLab",
        "short_name": "SL",
        "default_language": "nb",
        "currency": "NOK",
        "time_zone": "Europe/Oslo",
        "primary_colour": "#6a1f5c",
        "website": "https://www.digdir.no/",
        "description": (
            "#StimuLab er ikke en tradisjonell tilskuddsordning med tildeling av midler etter søknad. Vi har "
            "en åpen prekvalifisering hvor statlige virksomheter og kommuner kan sende inn en kort beskrivelse "
            "av utfordringen eller behovet. Endelig tildeling av midler bestemmes av vår styringsgruppe."
        ),
    },
]

# Staff accounts at every funder: <local part>@<funder-slug>.demo
STAFF = [
    ("admin", Role.ADMINISTRATOR),
    ("screener", Role.SCREENER),
    ("panel1", Role.PANEL_MEMBER),
    ("panel2", Role.PANEL_MEMBER),
    ("panel3", Role.PANEL_MEMBER),
]
STEERING_FUNDERS = {"stimulab"}

STAFF_NAMES = {
    "region-stockholm": ["Karin Lindqvist", "Erik Sandberg", "Maria Holm", "Johan Ek", "Sara Nyström", "Lena Berg"],
    "forskningsradet": ["Ingrid Haugen", "Ola Nordmann", "Kari Solberg", "Lars Dahl", "Silje Berg", "Per Moen"],
    "region-norrbotten": ["Anna Lundström", "Nils Öhman", "Elin Sundqvist", "Per Wikström", "Frida Lind", "Jonas Berg"],
    "stimulab": ["Marte Lie", "Håkon Strand", "Ida Bakke", "Jon Eriksen", "Nora Aas", "Tor Vik"],
}

@functools.cache
def demo_password_hash():
    """Hash the demo password once; every demo account shares it."""
    return make_password(DEMO_PASSWORD)


def demo_person(email, full_name, language=""):
    """A demo account with a verified email address and the demo password."""
    first_name, _space, last_name = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, "language": language}
    )
    if created:
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed_funders():
    funders = []
    for data in FUNDERS:
        funder, _created = Funder.objects.update_or_create(slug=data["slug"], defaults=data)
        funders.append(funder)
    return funders


def seed_staff(funders):
    """Every demo funder's staff: an account for each role, named as the funder's own people might be."""
    for funder in funders:
        names = STAFF_NAMES[funder.slug]
        staff = STAFF + ([("steering", Role.STEERING_MEMBER)] if funder.slug in STEERING_FUNDERS else [])
        with scope(funder=funder):
            for (local_part, role), full_name in zip(staff, names):
                person = demo_person(f"{local_part}@{funder.slug}.demo", full_name, funder.default_language)
                membership_grant(funder=funder, user=person, role=role)
