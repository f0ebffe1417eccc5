"""Fund administrators keep their funder's name, look, language and time zone; a logo is checked before it is stored."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fundportal.models import Funder, Role
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
FIELDS = {"name": "Region Stockholm", "short_name": "RS", "website": "https://www.regionstockholm.se",
          "description": "Innovationsfonden stöder medarbetare.", "primary_colour": "#002d5a",
          "default_language": "sv", "time_zone": "Europe/Stockholm", "staff_idle_timeout_minutes": "30"}


def settings_url(funder):
    return reverse("funder_settings", args=[funder.slug])


def test_an_administrator_changes_the_name_colour_and_logo(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.post(settings_url(funder), {**FIELDS, "name": "Region Stockholm – Innovation",
                                              "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png")},
                       follow=True).content.decode()
    assert "The funder&#x27;s settings are saved." in page or "The funder's settings are saved." in page
    assert "Region Stockholm – Innovation" in page and "--funder-colour: #002d5a" in page
    funder.refresh_from_db()
    assert funder.logo.name.startswith(f"funders/{funder.slug}/") and funder.website == FIELDS["website"]
    logo = client.get(reverse("funder_logo", args=[funder.slug]))
    assert logo.status_code == 200 and b"".join(logo.streaming_content) == PNG


def test_a_logo_that_is_not_an_image_is_refused_before_it_is_stored(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    page = client.post(settings_url(funder), {**FIELDS, "name": "Nytt namn", "logo": fake}).content.decode()
    assert "This file is not one of the allowed types (png, jpg), judging by its content." in page
    assert 'value="Nytt namn"' in page  # nothing typed is lost
    funder.refresh_from_db()
    assert not funder.logo and funder.name == "Region Stockholm"
    big = SimpleUploadedFile("logo.png", PNG + b"\0" * (1024 * 1024), content_type="image/png")
    assert "at most 1 MB is allowed" in client.post(settings_url(funder), {**FIELDS, "logo": big}).content.decode()


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403),
                                              (Role.STEERING_MEMBER, 403), (None, 404)])
def test_only_administrators_keep_the_funders_settings(client, funder, role, status):
    client.force_login(staff(funder, role) if role else UserFactory())
    assert client.get(settings_url(funder)).status_code == status
    assert client.post(settings_url(funder), {**FIELDS, "name": "Kapad"}).status_code in (status, 302)
    assert Funder.objects.get(pk=funder.pk).name == ("Kapad" if role == Role.ADMINISTRATOR else "Region Stockholm")


def test_the_settings_page_keeps_its_query_count(client, funder, django_assert_max_num_queries):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with django_assert_max_num_queries(8) as one:
        client.get(settings_url(funder))
    for _number in range(20):
        staff(funder, Role.PANEL_MEMBER)
    with django_assert_max_num_queries(8) as many:
        client.get(settings_url(funder))
    assert len(many) == len(one)


def test_an_administrator_may_shorten_the_staff_idle_timeout_but_not_lengthen_it(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    client.post(settings_url(funder), {**FIELDS, "staff_idle_timeout_minutes": "10", "staff_two_factor_required": "on"})
    funder.refresh_from_db()
    assert funder.staff_idle_timeout_minutes == 10 and funder.staff_two_factor_required
    page = client.post(settings_url(funder), {**FIELDS, "staff_idle_timeout_minutes": "240"}).content.decode()
    assert "less than or equal to 30" in page
    funder.refresh_from_db()
    assert funder.staff_idle_timeout_minutes == 10 and funder.staff_two_factor_required


def test_a_colour_that_is_not_six_hexadecimal_digits_is_refused(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.post(settings_url(funder), {**FIELDS, "primary_colour": "red;}</"}).content.decode()
    assert "Choose a colour as # and six hexadecimal digits" in page
    funder.refresh_from_db()
    assert funder.primary_colour != "red;}</"
