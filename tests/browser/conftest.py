"""Playwright in Debian's Chromium, an axe-core accessibility check and the Nu Html Checker."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

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
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        problems = [
            f"{violation['id']}: {violation['help']} — {[node['target'] for node in violation['nodes']][:3]}"
            for violation in result["violations"]
        ]
        assert not problems, f"{page.url} has accessibility violations:\n" + "\n".join(problems)

    return check


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
