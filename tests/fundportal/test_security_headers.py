"""Every page answers with a strict Content-Security-Policy and a Permissions-Policy.

The policy allows scripts and styles from the portal's own files and, inline, only with the response's nonce: so
a page's inline <script> and <style> carry that nonce (base.html names it on its scripts too), a fresh one each
time, and no tag carries an inline handler (onclick=…), a javascript: link or a style attribute, which the policy
would block. Violations browsers meet are reported to /csp-report and logged.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fundportal.models import Role
from tests.factories import ApplicationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

# Rendered for other readers than a browser under the policy: HTML mail (mail programs want inline styles) and the
# PDFs WeasyPrint writes (a receipt, a decision letter), never served as a page.
NOT_PAGES = ("emails/", "applications/pdf/", "review/letters/")
BLOCKED_IN_A_TEMPLATE = re.compile(
    r"<[a-z][^>]*?\s(?:on[a-z]+|style)\s*="  # an inline handler or a style attribute
    r"|javascript:"
    r"|<style\b(?![^>]*\bnonce=)[^>]*>"  # a style element without the nonce
    r"|<script\b(?![^>]*\b(?:nonce|src)=)(?![^>]*application/json)[^>]*>",  # an inline script without it
    re.I)


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


class Tags(HTMLParser):
    """Each tag of a page with its attributes."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def inline_code(tags):
    """What the policy would block: inline handlers, javascript: addresses and style attributes, as (tag, attribute)."""
    return [(tag, name) for tag, attrs in tags for name, value in attrs.items()
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:")]


@pytest.fixture
def pages(funder, open_call, people):
    """A page of each kind of visitor, with the person who opens it (None: nobody signed in)."""
    application = ApplicationFactory(call=open_call, applicant=UserFactory())
    operator = UserFactory(is_superuser=True, is_staff=True)
    manage = f"/{funder.slug}/manage/calls/{open_call.slug}"
    return [
        (None, "/"),
        (None, reverse("calls:call_list", args=[funder.slug])),
        (None, reverse("calls:call_detail", args=[funder.slug, open_call.slug])),
        (None, reverse("account_login")),
        (None, reverse("account_signup")),
        (application.applicant, reverse("applications:section", args=[funder.slug, application.pk, 1])),
        (application.applicant, reverse("my_applications")),
        (people["administrator"], reverse("funder_dashboard", args=[funder.slug])),
        (people["administrator"], f"{manage}/form/"),
        (people["administrator"], f"{manage}/periods/"),
        (staff(funder, Role.SCREENER), reverse("review:queue", args=[funder.slug])),
        (operator, "/admin/"),
        (operator, "/admin/fundportal/funder/"),
        (operator, f"/admin/fundportal/funder/{funder.pk}/change/"),
    ]


def test_every_kind_of_page_answers_with_a_strict_policy_and_its_nonce(client, pages):
    for person, path in pages:
        client.logout()
        if person:
            client.force_login(person)
        response = client.get(path)
        assert response.status_code == 200, path
        csp = policy(response)
        nonces = [source for source in csp["script-src"] if source.startswith("'nonce-")]
        assert csp["script-src"] == ["'self'", *nonces] and len(nonces) <= 1, (path, csp["script-src"])
        assert csp["style-src"] in (["'self'", *nonces], ["'self'"]), (path, csp["style-src"])
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], path
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"], path
        assert csp["form-action"][0] == "'self'" and csp["img-src"] == ["'self'", "data:"], path
        nonce = nonces[0].removeprefix("'nonce-").removesuffix("'") if nonces else None
        tags = Tags(response.content.decode()).tags
        code = [attrs for tag, attrs in tags if tag in {"script", "style"} and attrs.get("type") != "application/json"]
        inline = [attrs for attrs in code if "src" not in attrs]
        assert all(attrs.get("nonce") == nonce for attrs in inline), (path, inline)  # else the browser refuses it
        named = {attrs["nonce"] for attrs in code if "nonce" in attrs}
        assert named == ({nonce} if nonce else set()), (path, named)  # this response's nonce, never an old one
        if not path.startswith("/admin/"):  # the portal's own pages name it (base.html); Django's admin needs none
            assert nonce, path
        assert inline_code(tags) == [], path


def test_each_response_has_a_fresh_nonce(client, funder):
    page = reverse("calls:call_list", args=[funder.slug])
    first, second = (policy(client.get(page))["script-src"] for _ in range(2))
    assert first != second


def test_a_funders_colour_is_an_inline_style_with_the_nonce(client, funder):
    funder.primary_colour = "#aa3300"
    funder.save()
    response = client.get(reverse("calls:call_list", args=[funder.slug]))
    nonce = policy(response)["style-src"][1].removeprefix("'nonce-").removesuffix("'")
    assert f'<style nonce="{nonce}">:root {{ --funder-colour: #aa3300; }}</style>' in response.content.decode()


def test_the_policy_holds_on_error_pages_and_redirects(client, funder):
    for response in (client.get("/no-such-page/"), client.get(reverse("funder_dashboard", args=[funder.slug]))):
        assert response.status_code in {302, 404}
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]


def test_the_permissions_policy_denies_what_the_portal_never_uses_but_passkeys(client):
    response = client.get("/")
    denied = {part.strip().removesuffix("=()") for part in response["Permissions-Policy"].split(",")}
    assert {"camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "browsing-topics"} <= denied
    assert not any(feature.startswith("publickey-credentials") for feature in denied)


def test_no_template_of_a_page_holds_what_the_policy_blocks():
    """The policy would refuse it in the browser (and the page would silently lose a handler or a look), so each
    handler lives in static/js and each look in static/css; an inline <script> or a <style> names the nonce."""
    folder = Path(settings.BASE_DIR) / "templates"
    found = [f"{path.relative_to(folder)}: {match.group(0)[:80]}"
             for path in sorted(folder.rglob("*.html")) if not str(path.relative_to(folder)).startswith(NOT_PAGES)
             for match in BLOCKED_IN_A_TEMPLATE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, "Templates holding what the Content-Security-Policy blocks:\n" + "\n".join(found)


def test_a_browsers_violation_report_is_logged_and_anything_else_refused(client, caplog):
    report = {"csp-report": {"document-uri": "https://portal.example/calls/", "effective-directive": "script-src-elem",
                             "blocked-uri": "inline", "line-number": 12, "source-file": "https://portal.example/calls/"}}
    assert reverse("csp_report") == policy(client.get("/"))["report-uri"][0]
    with caplog.at_level("WARNING", logger="fundportal.csp"):
        response = client.post(reverse("csp_report"), data=json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text and "https://portal.example/calls/" in caplog.text
    caplog.clear()
    for body in ("not json", "[1, 2]", '{"csp-report": "a string"}', "{}", '{"csp-report": {"blocked-uri": "%s"}}'
                 % ("x" * 20_000), b"\xff\xfe\x00"):
        assert client.post(reverse("csp_report"), data=body, content_type="application/csp-report").status_code == 400
    assert [record for record in caplog.records if record.name == "fundportal.csp"] == []  # nothing logged as one
