"""The load test's people, for locust: applicants browsing calls and writing drafts, panel members scoring,
administrators ranking and deciding, in a realistic mix (6 : 3 : 1), each waiting a few seconds between steps.

manage.py load_test runs this file in locust's own process (locust patches the standard library for gevent, so it
never enters a Django process): it signs the people in beforehand and names, in the environment variable
FUNDPORTAL_LOAD_PLAN, a JSON file with their session cookies and the addresses they use. The file reads no
database and imports nothing of the portal. A form is sent the way the browser sends it: the page is read, its
fields kept as they are (with the CSRF token), and posted.
"""

import itertools
import json
import os
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["FUNDPORTAL_LOAD_PLAN"]).read_text())


class Forms(HTMLParser):
    """The fields of every form of a page, as a browser would send them: [[(name, value)]] in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.open = [], None
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.open = []
            self.forms.append(self.open)
        elif self.open is None or not attrs.get("name"):
            return
        elif tag == "input":
            self.input(attrs)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = {"name": attrs["name"], "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            self.option(attrs)

    def input(self, attrs):
        kind = attrs.get("type", "text")
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        self.open.append((attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))

    def option(self, attrs):
        value = attrs.get("value", "")
        if self.select["first"] is None:
            self.select["first"] = value
        if "selected" in attrs:
            self.select["chosen"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = None
        elif tag == "textarea" and self.textarea is not None:
            self.open.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            self.open.append((self.select["name"], chosen or ""))
            self.select = None


def form_with(html, field):
    """The fields of the page's first form that has ``field``, or None."""
    parser = Forms()
    parser.feed(html)
    return next((fields for fields in parser.forms if any(name == field for name, _value in fields)), None)


class Person(HttpUser):
    """Someone signed in as one of the plan's people of a kind, taken in turn."""

    abstract = True
    wait_time = between(1, 4)
    kind = ""

    def on_start(self):
        people = PLAN[self.kind]
        self.me = people[next(type(self).turn) % len(people)]
        self.client.cookies.set(PLAN["session_cookie"], self.me["cookie"])

    def page(self, key, name):
        self.client.get(self.me[key], name=name)

    def send_form(self, key, field, name, expect):
        """Read the page, send its form with ``field`` back as it is; the answer must be one of ``expect``."""
        read = self.client.get(self.me[key], name=f"{name}: read")
        fields = form_with(read.text, field) if read.ok else None
        if fields is None:
            return
        with self.client.post(self.me.get(f"{key}_post", self.me[key]), data=fields, name=f"{name}: save",
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code not in expect:
                answer.failure(f"answered {answer.status_code}, expected {' or '.join(map(str, expect))}")
            else:
                answer.success()


class Applicant(Person):
    weight = 6
    kind = "applicants"
    turn = itertools.count()

    @task(3)
    def browse_open_calls(self):
        self.client.get(PLAN["calls"], name="applicant: open calls")

    @task(2)
    def open_a_call(self):
        self.client.get(PLAN["call"], name="applicant: a call")

    @task(1)
    def my_applications(self):
        self.page("my_applications", "applicant: my applications")

    @task(3)
    def write_in_a_draft(self):
        # 409 when the data has fewer drafts than simulated applicants and another one saved the same draft since
        # the page was read: the portal rightly refuses to save over newer text
        self.send_form("section", "version", "applicant: a draft section", expect=(200, 409))


class Reviewer(Person):
    weight = 3
    kind = "reviewers"
    turn = itertools.count()

    @task(2)
    def dashboard(self):
        self.page("dashboard", "reviewer: dashboard")

    @task(3)
    def open_a_review(self):
        self.page("review", "reviewer: a review")

    @task(2)
    def score(self):
        if self.me["may_save"]:
            self.send_form("review", "recommendation", "reviewer: scores", expect=(302,))


class Administrator(Person):
    weight = 1
    kind = "administrators"
    turn = itertools.count()

    @task(3)
    def ranking(self):
        self.page("ranking", "administrator: ranking")

    @task(1)
    def ranking_sorted_next_page(self):
        self.page("ranking_sorted", "administrator: ranking, sorted, page 2")

    @task(2)
    def decision(self):
        self.page("decision", "administrator: a decision")

    @task(2)
    def screening_queue(self):
        self.page("screening", "administrator: screening queue")

    @task(1)
    def progress(self):
        self.page("progress", "administrator: progress")
