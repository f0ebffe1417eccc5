"""Playwright in Debian's Chromium, an axe-core accessibility check, the Nu Html Checker, and what Chromium reports:
console errors, Content-Security-Policy violations and the security headers of each page it opens."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from tests.conftest import service_unavailable

CHROMIUM = "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        service_unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture
def assert_accessible():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; fail with each violation listed."""

    def check(page):
        page.evaluate(AXE.read_text())  # run by Chromium's debugger, as a <script> tag would be refused by the CSP
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        problems = [
            f"{violation['id']}: {violation['help']} — {[node['target'] for node in violation['nodes']][:3]}"
            for violation in result["violations"]
        ]
        assert not problems, f"{page.url} has accessibility violations:\n" + "\n".join(problems)

    return check


# Chromium reports a blocked script, style or form target as a "securitypolicyviolation" event in the page; the page
# passes it on to the console, where the log below reads it with everything else the page logged as an error.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => console.error(
  `Content-Security-Policy violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
  + ` (${event.sourceFile || document.location.href}:${event.lineNumber})`));"""


class BrowserLog:
    """What Chromium reported while a test drove its page: console errors (policy violations among them) and the
    response of each document the page opened."""

    def __init__(self, page):
        self.errors = []  # (message, the address it came from)
        self.documents = {}  # address -> the response that delivered it
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self.read_console)
        page.on("response", self.read_response)

    def read_console(self, message):
        if message.type == "error" or message.text.startswith("Error with Permissions-Policy header"):
            self.errors.append((message.text, message.location.get("url", "")))

    def read_response(self, response):
        if response.request.resource_type == "document" and response.frame.parent_frame is None:
            self.documents[response.url] = response

    def violations(self):
        return [message for message, _ in self.errors if "Content-Security-Policy violation" in message
                or "Content Security Policy" in message]

    def assert_strict(self, page):
        """The page came with a strict policy (no inline or evaluated script or style) and a Permissions-Policy, and
        nothing logged an error since the last check (but that the page answers 404 or 403, when a test opens it for
        that, or that the site has no /favicon.ico, which Chromium asks for by itself)."""
        headers = self.documents[page.url].all_headers()
        policy = {name: sources for name, *sources in (directive.split() for directive in
                                                       headers.get("content-security-policy", "").split(";")
                                                       if directive.strip())}
        for directive in ("script-src", "style-src"):
            sources = policy.get(directive, [])
            assert "'self'" in sources, f"{page.url} has no {directive}: {headers}"
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources), f"{page.url}: {directive} {sources}"
        assert "camera=()" in headers.get("permissions-policy", ""), f"{page.url} has no Permissions-Policy"
        errors = [message for message, source in self.errors if not (
            message.startswith("Failed to load resource") and source in {page.url, urljoin(page.url, "/favicon.ico")})]
        self.errors.clear()
        assert not errors, f"{page.url}: Chromium logged errors:\n" + "\n".join(errors)


@pytest.fixture(autouse=True)
def browser_log(request):
    """Every browser test driving the `page` fixture fails on a Content-Security-Policy violation, on any page."""
    if "page" not in request.fixturenames:
        yield None
        return
    log = BrowserLog(request.getfixturevalue("page"))
    yield log
    assert not log.violations(), "Chromium refused what the Content-Security-Policy forbids:\n" + "\n".join(
        log.violations())


@pytest.fixture
def log_in(live_server):
    """Sign in through the real allauth page."""

    def sign_in(page, email, password, next_path="/"):
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("form[action^='/accounts/login/'] button[type=submit]").click()

    return sign_in


class SavedPages:
    """Pages as Chromium holds them, saved one by one and checked together by the Nu Html Checker (one Java start)."""

    def __init__(self, folder):
        self.folder = folder
        self.paths = {}  # file name -> the page's path on the site

    def save(self, page):
        name = f"{len(self.paths):03d}.html"
        (self.folder / name).write_text(page.content(), encoding="utf-8")
        self.paths[name] = urlsplit(page.url).path

    def html_errors(self):
        """Every error the checker finds, as (page, message, line)."""
        if not shutil.which("java"):
            service_unavailable("Java is not installed for the Nu Html Checker (apt-get install default-jre-headless)")
        if not VNU.exists():
            service_unavailable("vnu-jar is not installed (npm ci)")
        files = [str(self.folder / name) for name in self.paths]
        checked = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                                 capture_output=True, text=True, timeout=300)
        messages = json.loads(checked.stderr)["messages"]  # the checker writes its report to stderr
        return [(self.paths.get(Path(urlsplit(message.get("url", "")).path).name, message.get("url")),
                 message["message"], message.get("lastLine")) for message in messages]


@pytest.fixture(scope="session")
def saved_pages(tmp_path_factory):
    """The pages the sweep saved, for one Nu Html Checker run after it (kept for the whole session, because
    pytest-django may run the checking test apart from the tests that saved the pages)."""
    return SavedPages(tmp_path_factory.mktemp("pages"))
