"""The UI speaks Swedish, Norwegian Bokmål and English; a funder's language until you pick one."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_funders_pages_speak_its_default_language_until_the_person_picks_one(funder, other_funder):
    browser = Client()
    assert 'lang="sv"' in browser.get(reverse("calls:call_list", args=[funder.slug])).content.decode()
    assert 'lang="nb"' in browser.get(reverse("calls:call_list", args=[other_funder.slug])).content.decode()

    browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = browser.get(reverse("calls:call_list", args=[other_funder.slug])).content.decode()
    assert 'lang="en"' in page and "Sign in" in page


@pytest.mark.parametrize(("language", "sign_in"), [("sv", "Logga in"), ("nb", "Logg inn"), ("en", "Sign in")])
def test_switching_language_changes_the_ui_text(funder, language, sign_in):
    browser = Client()
    response = browser.post(reverse("set_language"), {"language": language, "next": f"/{funder.slug}/"}, follow=True)
    assert sign_in in response.content.decode()


def test_a_signed_in_persons_pick_is_remembered_on_their_profile(funder, people):
    browser = Client()
    person = people["applicant"]
    browser.force_login(person)
    browser.post(reverse("set_language"), {"language": "nb", "next": "/"})
    person.refresh_from_db()
    assert person.language == "nb"


def test_the_switcher_refuses_to_redirect_off_site(db):
    response = Client().post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_money_is_grouped_the_swedish_way():
    from fundportal.templatetags.portal import money

    with translation.override("sv"):
        assert money(1245497, "SEK") == "1\xa0245\xa0497\xa0kr"
    with translation.override("nb"):
        assert money(10000000, "NOK") == "10\xa0000\xa0000\xa0kr"
    with translation.override("en"):
        assert money(20718995, "SEK") == "SEK\xa020,718,995"
