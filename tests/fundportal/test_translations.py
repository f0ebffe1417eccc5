"""Every string a person reads is translated: a fresh extraction of the code finds nothing missing in sv and nb."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

SOURCES = ("fundportal", "calls", "applications", "review", "templates")


def catalogue_entries(path):
    """(msgid, msgid_plural, msgstr values, flags) for each entry of a .po file, read without extra libraries."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry["msgid"]:
                entries.append(entry)
            entry, field = None, None
            continue
        entry = entry or {"msgid": "", "msgid_plural": "", "msgstr": {}, "flags": "", "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            field, _, value = line.partition(" ")
            text = value.strip()[1:-1]
            if field.startswith("msgstr"):
                entry["msgstr"][field] = text
            else:
                entry[field] = text
        elif line.startswith('"') and field:
            if field.startswith("msgstr"):
                entry["msgstr"][field] += line[1:-1]
            else:
                entry[field] += line[1:-1]
    return [entry for entry in entries if not entry["obsolete"]]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The committed catalogues, updated by makemessages from today's code, in a copy of the project."""
    root = tmp_path_factory.mktemp("project")
    for source in SOURCES:
        assert not (settings.BASE_DIR / source / "locale").exists(), (
            f"{source}/locale: every catalogue lives in locale/ (makemessages would write into an app's own folder)")
        (root / source).symlink_to(settings.BASE_DIR / source)
    shutil.copytree(settings.BASE_DIR / "locale", root / "locale")
    original_directory, original_paths = os.getcwd(), settings.LOCALE_PATHS
    try:
        os.chdir(root)
        settings.LOCALE_PATHS = [root / "locale"]
        call_command("makemessages", locale=["sv", "nb"], symlinks=True, verbosity=0, no_obsolete=True)
    finally:
        os.chdir(original_directory)
        settings.LOCALE_PATHS = original_paths
        trans_real._translations = {}
    return root / "locale"


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_string_in_the_code_has_a_translation(fresh_catalogues, language):
    entries = catalogue_entries(fresh_catalogues / language / "LC_MESSAGES" / "django.po")
    missing = [entry["msgid"] for entry in entries if not all(entry["msgstr"].values())]
    guessed = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert len(entries) > 500
    assert not missing, f"{len(missing)} strings have no {language} translation: {missing[:30]}"
    assert not guessed, f"{len(guessed)} {language} translations are fuzzy guesses: {guessed[:30]}"


def test_the_code_marks_strings_only_with_names_makemessages_finds():
    """``gettext_lazy as _lazy`` hides every string marked with it from makemessages: the page then speaks English
    whatever the language. Only ``_`` and the functions' own names are extracted."""
    root = Path(settings.BASE_DIR)
    aliased = [f"{path.relative_to(root)}: {match}" for app in ("fundportal", "calls", "applications", "review")
               for path in (root / app).rglob("*.py")
               for match in re.findall(r"\b(\w*gettext\w*) as (?!_\b)(\w+)", path.read_text(encoding="utf-8"))]
    assert not aliased, f"marked with names makemessages does not know: {aliased}"
