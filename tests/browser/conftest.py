"""Playwright in Debian's Chromium, and an axe-core accessibility check."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import service_unavailable

CHROMIUM = "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


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
