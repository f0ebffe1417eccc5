"""Every form and filter, attacked: hostile values never give a 500, and a refusal stores nothing.

The table ``ROUTES`` names, for every page that accepts a POST or reads a query string, who signs in, which of the
world's objects fill its address, which form fields are attacked and which query parameters it reads. A new page
with a form or a filter fails ``test_every_form_and_filter_is_attacked`` until it has its row.
"""

import inspect
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings

from applications.drafting import application_save_answers, application_start, manager_request_approval
from applications.models import Application, Attachment, Collaborator
from applications.notices import manager_token
from applications.services import application_transition
from applications.submission import application_submit
from calls.models import Question, Section, Stage, Subscriber
from calls.notices import subscription_token
from calls.services import (
    call_publish, call_set_checklist, call_set_criteria, call_set_eligibility, call_set_periods, call_set_pipeline,
)
from fundportal.models import Membership, OutboxEmail, Role
from fundportal.tenancy import scope, scopes_disabled
from review.models import Assignment, BulkDecisionJob
from tests import hostile
from tests.factories import CallFactory, FundFactory, UserFactory, staff
from tests.fundportal.test_isolation_sweep import funder_routes
from tests.fundportal.test_permissions_declared import OUR_APPS

pytestmark = pytest.mark.django_db

K = Question.Kind


# --- the world: one object of each kind ---------------------------------------------------------------------------

@pytest.fixture
def world(funder, monkeypatch):
    """A published call with every part set up, a draft and two submitted applications, one at the panel."""
    with monkeypatch.context() as quick:
        quick.setattr("applications.pdf.application_pdf", lambda application, answers: b"%PDF-1.4 receipt")
        return build_world(funder)


def build_world(funder):
    people = {"administrator": staff(funder, Role.ADMINISTRATOR), "screener": staff(funder, Role.SCREENER),
              "panel_member": staff(funder, Role.PANEL_MEMBER), "steering_member": staff(funder, Role.STEERING_MEMBER),
              "applicant": UserFactory(email="annika@karolinska.example"),
              "operator": UserFactory(is_superuser=True, is_staff=True)}
    call = CallFactory(fund=FundFactory(funder=funder, code="IF"), slug="innovationsfonden", budget=1_000_000,
                       title={"en": "Innovation Fund"}, themes=["Health", "Climate"])
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": now - timedelta(days=10), "closes_at": now + timedelta(days=10)}])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Screening"), (Stage.Kind.PANEL, "Panel"),
                                             (Stage.Kind.DECISION, "Decision")])
        call_set_criteria(call=call, criteria=[({"en": "Need"}, 60), ({"en": "Benefit"}, 40)])
        call_set_checklist(call=call, items=[{"en": "Eligible applicant"}])
        call_set_eligibility(call=call, questions=[{"text": {"en": "Do you work in the region?"}, "eligible_answer": True,
                                                    "reason_if_not": {"en": "Only people of the region may apply."}}])
        questions = form_with_every_kind(funder, call)
        call_publish(call=call, by=people["administrator"])
        draft = application_start(call=call, applicant=people["applicant"], application_type="new", theme="Health")
        draft = application_save_answers(application=draft, answers=filled(questions), version=draft.version,
                                         by=people["applicant"], title="Less textile waste")
        manager_request_approval(application=draft, name="Maria Chef", email="chef@example.se", by=people["applicant"])
        attachment = Attachment(funder=funder, application=draft, question=questions[K.FILE], original_name="plan.pdf",
                                content_type="application/pdf", size=10, uploaded_by=people["applicant"])
        attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"))
        collaborator = Collaborator.objects.create(funder=funder, application=draft, email="bo@kth.example",
                                                   access=Collaborator.Access.VIEW)
        screened, at_panel = (submitted(call, questions, people["applicant"]) for _number in range(2))
        for action in ("start_review", "advance"):
            application_transition(application=at_panel, action=action, by=people["screener"])
        application_transition(application=screened, action="start_review", by=people["screener"])
        assignment = Assignment.objects.create(funder=funder, application=at_panel, stage=call.stages.get(kind="panel"),
                                               reviewer=people["panel_member"], has_conflict=False)
        subscriber = Subscriber.objects.create(funder=funder, email="anna@example.se", language="sv")
        email = OutboxEmail.objects.create(funder=funder, recipient="anna@example.se", subject="Beslut", body="…",
                                           kind="decision", occasion="decision:1", status="draft",
                                           attachment_name="decision.pdf")
        email.attachment.save("decision.pdf", ContentFile(b"%PDF-1.4 letter"))
        eligibility, checklist, criterion = call.eligibility_questions.get(), call.checklist.get(), call.criteria.first()
        memberships = {membership.role: membership.pk for membership in Membership.objects.all()}
        bulk_job = BulkDecisionJob.objects.create(funder=funder, call=call, by=people["administrator"],
                                                  outcome="declined", reason="Utanför budgeten.", state="done")

    def version():  # the draft's version now, read alone so that a broken amount cannot hide it
        with scopes_disabled():
            return Application.objects.filter(pk=draft.pk).values_list("version", flat=True).get()

    return {
        "people": people, "funder_slug": funder.slug, "call_slug": call.slug, "fund_id": call.fund_id,
        "section_id": questions[K.SHORT_TEXT].section_id, "version": version,
        "e_field": f"e{eligibility.pk}", "e_field_prefixed": f"eligibility-e{eligibility.pk}",
        "checklist_id": checklist.pk, "criterion_id": criterion.pk,
        "screener_membership": memberships[Role.SCREENER], "panel_membership": memberships[Role.PANEL_MEMBER],
        "panel_member_id": people["panel_member"].pk,
        "question_id": questions[K.SHORT_TEXT].pk, "file_question_id": questions[K.FILE].pk,
        "application_id": draft.pk, "screened_id": screened.pk, "at_panel_id": at_panel.pk, "number": 1,
        "attachment_id": attachment.pk, "collaborator_id": collaborator.pk, "assignment_id": assignment.pk, "email_id": email.pk, "bulk_job_id": bulk_job.pk,
        "token": subscription_token(subscriber), "manager_token": manager_token(draft),
        "extension": "csv", "outcome": "granted", "language": "sv", "kind": "receipt",
        **{f"q_{kind}": f"answers-q{question.pk}" for kind, question in questions.items()},
        **{f"q_{kind}_bare": f"q{question.pk}" for kind, question in questions.items()},
    }


def form_with_every_kind(funder, call):
    """Two sections asking one question of each kind; returns them by kind."""
    settings_of = {K.LONG_TEXT: {"max_words": 50}, K.SHORT_TEXT: {"max_chars": 100}, K.NUMBER: {"min_value": 0},
                   K.SINGLE_CHOICE: {"choices": ["Small", "Large"]}, K.MULTIPLE_CHOICE: {"choices": ["A", "B"]},
                   K.BUDGET: {"cost_categories": ["personnel", "direct_costs"], "years": 2},
                   K.FILE: {"allowed_types": ["pdf"], "max_size_mb": 1}}
    project = Section.objects.create(funder=funder, call=call, position=0, title={"en": "The project"})
    money = Section.objects.create(funder=funder, call=call, position=1, title={"en": "Money and people"})
    questions = {}
    for position, kind in enumerate(K.values):
        section = money if kind in (K.BUDGET, K.AMOUNT, K.FILE, K.PARTICIPANTS, K.PARTNERS, K.TIME_PLAN) else project
        questions[kind] = Question.objects.create(
            funder=funder, section=section, position=position, kind=kind, label={"en": f"Question {kind}"},
            required=kind != K.FILE, settings=settings_of.get(kind, {}))
    return questions


def filled(questions):
    row = {K.PARTICIPANTS: {"name": "Annika", "role": "Lead", "organisation": "KI", "email": "a@ki.se", "phone": "1"},
           K.PARTNERS: {"name": "KTH", "contact": "Bo", "email": "bo@kth.se", "contribution": "Tests"},
           K.TIME_PLAN: {"milestone": "Start", "date": "2027-01-01"}}
    values = {K.SHORT_TEXT: "Textile", K.LONG_TEXT: "Less waste", K.NUMBER: "3", K.AMOUNT: "100000",
              K.DATE: "2027-01-01", K.SINGLE_CHOICE: "Small", K.MULTIPLE_CHOICE: ["A"], K.DECLARATION: True,
              K.BUDGET: [{"year1": "1000", "year2": "2000"}, {"year1": "500", "year2": ""}]}
    return {f"q{question.pk}": values.get(kind) or [row[kind]] for kind, question in questions.items()
            if kind != K.FILE}


def submitted(call, questions, applicant):
    application = application_start(call=call, applicant=applicant, application_type="new", theme="Climate")
    application = application_save_answers(application=application, answers=filled(questions), by=applicant,
                                           version=application.version, title="Robots in care")
    return application_submit(application=application, by=applicant)


# --- the table: every form and filter, who uses it and what is attacked ------------------------------------------

@dataclass(frozen=True)
class Form:
    """One form of a page: who signs in, the fields attacked, and values the page does not show (buttons, POST-only
    pages). The other fields keep what the page shows, so each hostile value reaches as far as it can."""

    who: str | None
    fields: tuple[str, ...]
    values: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)  # URL arguments that are not the world's default
    then: str | None = None  # a page (same URL arguments) that must still open once an input is accepted


@dataclass(frozen=True)
class Filter:
    """A page that reads its query string: who signs in and the parameters it reads."""

    who: str | None
    params: tuple[str, ...]
    kwargs: dict = field(default_factory=dict)


ANSWERS = ("{q_short_text}", "{q_long_text}", "{q_number}", "{q_date}", "{q_single_choice}", "{q_multiple_choice}",
           "{q_declaration}", "confidential-{q_short_text_bare}")
TABLES = ("{q_budget}-0-year1", "{q_budget}-1-year2", "{q_amount}", "{q_participants}-0-email",
          "{q_time_plan}-0-date", "{q_partners}-0-name")
CALL = ("fund", "slug", "budget", "currency", "application_types", "themes", "eligible_cost_categories",
        "reminder_days", "score_min", "score_max", "reviewers_per_application", "title_en", "summary_en", "contact_en")
FORMSET = ("items-INITIAL_FORMS", "items-0-id", "items-0-DELETE")  # TOTAL_FORMS: test_a_forged_row_count_…
ADMIN, APPLICANT, SCREENER, PANEL = "administrator", "applicant", "screener", "panel_member"
SUBMITTED = {"application_id": "{screened_id}"}
AT_PANEL = {"application_id": "{at_panel_id}"}
AUDIT_FILTERS = ("email", "kind", "since", "until")  # the audit trail's: a person, a kind, dates from and to
ADDRESS_OBJECTS = {"applications:manager_approval": {"token": "{manager_token}"}}  # not the world's default object

FORMS = {
    # the public and anyone with a link
    "set_language": [Form(None, ("language", "next"), {"language": "sv", "next": "/"})],
    "csp_report": [Form(None, ("csp-report",))],  # JSON from a browser; a form's body is no report (400)
    "session_keep_alive": [Form(PANEL, ("next",))],  # reads no field: whatever is sent only keeps the session
    "calls:eligibility": [Form(None, ("{e_field}",))],
    "calls:subscribe": [Form(None, ("email",), {"email": "new@example.se"})],
    "calls:subscription_confirm": [Form(None, ("token",), {"token": ""})],
    "calls:subscription_cancel": [Form(None, ("token",), {"token": ""})],
    "applications:manager_approval": [Form(None, ("decision", "comment"), {"decision": "approve"})],
    # applicants
    "applications:start": [Form(APPLICANT, ("{e_field_prefixed}", "start-application_type", "start-theme",
                                            "start-previous"), {"{e_field_prefixed}": "yes"})],
    "applications:section": [Form(APPLICANT, ("version", "title", *ANSWERS), {"version": "{version}", "save": ""})],
    "applications:autosave": [Form(APPLICANT, ("version", *TABLES), {"version": "{version}"}, {"number": 2},
                                   then="applications:section")],
    "applications:attachment_upload": [Form(APPLICANT, ("file", "confidential_reason"),
                                            kwargs={"question_id": "{file_question_id}"})],
    "applications:attachment_remove": [Form(APPLICANT, ("next",), {"next": "/{funder_slug}/applications/"})],
    "applications:people": [Form(APPLICANT, ("email", "access"), {"email": "bo@example.se", "access": "view"}),
                            Form(APPLICANT, ("manager_name", "manager_email"))],
    "applications:collaborator_remove": [Form(APPLICANT, ("confirm",))],
    "applications:submit": [Form(APPLICANT, ("confirm",))],
    "applications:withdraw": [Form(APPLICANT, ("comment",), kwargs=SUBMITTED)],
    "profile": [Form(APPLICANT, ("organisation", "unit", "sector", "phone", "gender", "first_name", "last_name",
                                 "wants_reminders"))],
    # screeners and panel members
    "review:queue": [Form(SCREENER, ("selected",))],
    "review:screening": [Form(SCREENER, ("check-result_{checklist_id}", "check-comment_{checklist_id}"),
                              {"save": ""}, SUBMITTED),
                         Form(SCREENER, ("outcome-outcome", "outcome-reason", "outcome-due", "outcome-sections"),
                              {"decide": ""}, SUBMITTED)],
    "review:review": [Form(PANEL, ("score_{criterion_id}", "recommendation", "comment", "submit"))],
    # administrators
    "operator": [Form("operator", ("name", "slug", "short_name", "default_language", "currency", "time_zone",
                                   "primary_colour", "administrator_email"),
                      {"name": "Vinnova", "slug": "vinnova", "short_name": "VI", "administrator_email": "a@vinnova.se"})],
    "funder_settings": [Form(ADMIN, ("name", "short_name", "website", "description", "primary_colour",
                                     "default_language", "time_zone", "staff_two_factor_required",
                                     "staff_idle_timeout_minutes", "logo"))],
    "sign_in_settings": [Form(ADMIN, ("display_name", "issuer", "client_id", "client_secret", "enabled"),
                              {"display_name": "BankID", "client_id": "portal", "client_secret": "s3cret"})],
    "e_id_login": [Form(None, ("next", "process"))],  # no e-ID at the world's funder: 404, nothing started
    "people": [Form(ADMIN, ("email", "role"), {"email": "new@example.se", "role": "screener"}),
               Form(ADMIN, ("revoke",), {"revoke": "{screener_membership}"})],
    "outbox": [Form(ADMIN, ("selected",), {"selected": "{email_id}"})],
    "outbox_email": [Form(ADMIN, ("subject", "body")), Form(ADMIN, ("withhold", "restore"), {"withhold": ""})],
    "email_template": [Form(ADMIN, ("subject", "body")), Form(ADMIN, ("send_test", "reset"), {"send_test": ""})],
    "calls:manage_funds": [Form(ADMIN, ("name", "code", "description"), {"name": "Climate", "code": "CL"})],
    "calls:manage_fund": [Form(ADMIN, ("name", "code", "description"))],
    "calls:manage_call_create": [Form(ADMIN, CALL, {"fund": "{fund_id}", "slug": "new-call", "title_en": "New call",
                                                    "budget": "1000000"})],
    "calls:manage_call": [Form(ADMIN, CALL)],
    "calls:manage_copy": [Form(ADMIN, ("slug", "title"), {"slug": "copy-2027", "title": "Copy"})],
    "calls:manage_action": [Form(ADMIN, ("confirm",), kwargs={"action": "unpublish"})],
    "calls:manage_periods": [Form(ADMIN, (*FORMSET, "items-0-opens_at", "items-0-closes_at", "items-0-decision_by",
                                          "items-0-decision_week", "items-0-name_en"))],
    "calls:manage_criteria": [Form(ADMIN, (*FORMSET, "items-0-weight", "items-1-weight", "items-0-name_en"))],
    "calls:manage_eligibility": [Form(ADMIN, (*FORMSET, "items-0-eligible_answer", "items-0-text_en",
                                              "items-0-reason_if_not_en"))],
    "calls:manage_pipeline": [Form(ADMIN, (*FORMSET, "items-0-kind", "items-0-name", "items-1-kind"))],
    "calls:manage_checklist": [Form(ADMIN, (*FORMSET, "items-0-text_en"))],
    "calls:manage_form": [Form(ADMIN, ("title_sv", "title_en"))],
    "calls:manage_form_action": [Form(ADMIN, ("confirm",), kwargs={"action": "move-down", "object_id": "{question_id}"})],
    "calls:manage_preview": [Form(ADMIN, ("s{section_id}-{q_short_text_bare}", "s{section_id}-{q_number_bare}",
                                          "s{section_id}-{q_date_bare}"))],
    "calls:manage_question": [Form(ADMIN, ("kind", "required", "max_chars", "max_words", "min_value", "max_value",
                                           "choices", "label_en"))],
    "calls:manage_question_create": [Form(ADMIN, ("kind", "max_chars", "min_value", "max_value", "years", "minimum",
                                                  "max_size_mb", "allowed_types", "label_en"))],
    "applications:extension": [Form(ADMIN, ("until",))],
    "review:assignments": [Form(ADMIN, ("per_application", "due"), {"auto": ""}),
                           Form(ADMIN, ("application", "reviewer", "due"),
                                {"application": "{at_panel_id}", "reviewer": "{panel_member_id}"})],
    "review:decision": [Form(ADMIN, ("decision-outcome", "decision-amount", "decision-conditions", "decision-reason",
                                     "decision-budget_override"), {"decision-outcome": "granted"}, AT_PANEL),
                        Form(ADMIN, ("consensus-score", "consensus-comment", "consensus-position"),
                             {"consensus": ""}, AT_PANEL)],
    "review:decision_letter_preview": [Form(ADMIN, ("decision-outcome", "decision-amount"),
                                            {"decision-outcome": "granted", "decision-amount": "1000"}, AT_PANEL)],
    "review:release": [Form(ADMIN, ("period",))],
    # Export buttons: the filters come from the address (FILTERS attacks them); a job is started, or refused
    "review:queue_export": [Form(SCREENER, ("search", "sort"))],
    "review:ranking_export": [Form(ADMIN, ("period", "sort"))],
    "applications:report_export": [Form(ADMIN, ("year", "call"), kwargs={"extension": "xlsx"})],
    "audit_export": [Form(ADMIN, AUDIT_FILTERS)],
    "applications:audit_export": [Form(ADMIN, AUDIT_FILTERS, kwargs=SUBMITTED)],
    "review:grant_above_line": [Form(ADMIN, ("applications", "reason"))],
    "review:decline_below_line": [Form(ADMIN, ("applications", "reason"), {"reason": "Utanför budgeten."})],
    "review:panel": [Form(ADMIN, ("expertise-{panel_membership}",), {"expertise-{panel_membership}": "Health"})],
    "review:letters": [Form(ADMIN, ("letter_justification", "letter_signature", "letter_distribution"))],
    "review:letter": [Form(ADMIN, ("subject", "body"))],
    "review:letter_pdf": [Form(ADMIN, ("subject", "body"), {"subject": "Beslut", "body": "Hej {{ name }}"})],
}

FILTERS = {
    "review:queue": Filter(SCREENER, ("search", "call", "period", "screener", "application_type", "theme", "state",
                                      "sort", "page")),
    "review:queue_export": Filter(SCREENER, ("search", "call", "period", "screener", "application_type", "theme",
                                             "state", "sort")),
    "review:ranking": Filter(ADMIN, ("period", "q", "theme", "application_type", "recommendation", "disagreement",
                                     "decided", "sort", "page")),
    "review:ranking_export": Filter(ADMIN, ("period", "q", "theme", "application_type", "recommendation",
                                            "disagreement", "decided", "sort")),
    "review:assignments": Filter(ADMIN, ("q", "period", "theme", "coverage", "reviewer", "sort", "page")),
    "review:dashboard": Filter(PANEL, ("page",)),
    "open_calls": Filter(None, ("page",)),
    **{name: Filter(ADMIN, ("period", "q", "theme", "application_type", "recommendation", "disagreement", "decided",
                            "sort")) for name in ("review:grant_above_line", "review:decline_below_line")},
    "outbox": Filter(ADMIN, ("batch", "q", "status", "page")),
    "outbox_progress": Filter(ADMIN, ("batch", "q", "status")),
    "people": Filter(ADMIN, ("q", "role", "page")),
    "applications:report": Filter(ADMIN, ("year", "call")),
    "applications:report_export": Filter(ADMIN, ("year", "call"), {"extension": "xlsx"}),
    "applications:revisions": Filter(ADMIN, ("new", "old"), SUBMITTED),
    "audit": Filter(ADMIN, (*AUDIT_FILTERS, "page")),
    "audit_export": Filter(ADMIN, AUDIT_FILTERS),
    "applications:audit": Filter(ADMIN, (*AUDIT_FILTERS, "page"), SUBMITTED),
    "applications:audit_export": Filter(ADMIN, AUDIT_FILTERS, SUBMITTED),
}


# --- discovery: which pages take a POST or read a query string ----------------------------------------------------

def our_routes():
    """(url name, view class, argument names) for every pattern of our apps, under a funder's address or not."""
    top = {(pattern.name, pattern.callback.view_class, tuple(sorted(pattern.pattern.converters)))
           for pattern in get_resolver().url_patterns
           if isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(OUR_APPS)}
    return sorted(top | set(funder_routes()), key=lambda route: route[0])


def our_classes(view):
    return [klass for klass in view.__mro__ if klass.__module__.startswith(OUR_APPS)]


def takes_post(view):
    return "post" in view.http_method_names and hasattr(view, "post")


def query_parameters(view):
    """The query parameters a view reads: by name, through a form built from request.GET, or a page number."""
    names, reads = set(), False
    for klass in our_classes(view):
        source = inspect.getsource(klass)
        reads = reads or "request.GET" in source
        names |= set(re.findall(r"GET\.get\(\s*[\"'](\w+)", source))
        for form_name in re.findall(r"(\w+Form)\(self\.request\.GET", source):
            names |= set(getattr(inspect.getmodule(klass), form_name).base_fields)
    if reads and getattr(view, "paginate_by", None):
        names.add("page")
    return names if reads else None


ROUTES = our_routes()
NAMES = {name for name, _view, _arguments in ROUTES}
FORM_CASES = [(name, index) for name, forms in FORMS.items() for index in range(len(forms))]
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", 15))
ATTACK = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],  # no shrinking: the first hostile input is short enough
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_every_form_and_filter_is_attacked():
    """A new page with a form or a query string fails here until the tables below attack it."""
    assert len(FORMS) >= 40 and len(FILTERS) >= 8
    forms_missing = [name for name, view, _arguments in ROUTES if takes_post(view) and name not in FORMS]
    assert not forms_missing, f"pages taking a POST that FORMS does not attack: {forms_missing}"
    for name, view, _arguments in ROUTES:
        read = query_parameters(view)
        if read is not None:
            assert name in FILTERS, f"{name} reads the query string but FILTERS does not attack it"
            assert read <= set(FILTERS[name].params), f"{name} reads {sorted(read - set(FILTERS[name].params))} too"
    stale = sorted((set(FORMS) | set(FILTERS)) - NAMES)
    assert not stale, f"rows for pages that no longer exist: {stale}"


# --- the attack -------------------------------------------------------------------------------------------------

def address(name, world, overrides=None):
    """The page's URL from the world's objects (``overrides`` name other objects or hostile values)."""
    view_arguments = next(arguments for route, _view, arguments in ROUTES if route == name)
    chosen = {**ADDRESS_OBJECTS.get(name, {}), **(overrides or {})}
    kwargs = {argument: hostile.fill_in(str(chosen.get(argument, f"{{{argument}}}")), world)
              for argument in view_arguments}
    if ":" in name or name in {route for route, _view, _arguments in funder_routes()}:
        kwargs["funder_slug"] = world["funder_slug"]
    return reverse(name, kwargs=kwargs)


def signed_in(client, world, who):
    if who:
        client.force_login(world["people"][who])
    return client


def answer(client, method, url, data, what):
    """The response, or None once the request raised (a 500 for the person who sent it), reported with its place."""
    try:
        with transaction.atomic():
            return getattr(client, method)(url, data)
    except Exception as error:  # noqa: BLE001 — whatever it is, the person who sent it would see a 500
        hostile.problem(f"{what}: {type(error).__name__}: {str(error)[:200]} at {hostile.where(error)}")
        return None


def judge(client, response, before, what):
    """Never a 500; no open redirect; no unescaped script; a refusal stores nothing; an accepted input can be read."""
    if response is None:
        return
    if response.status_code >= 500:
        hostile.problem(f"{what}: answered {response.status_code}")
    if hostile.leaves_the_site(response):
        hostile.problem(f"{what}: redirects off the site to {response['Location']}")
    if hostile.unescaped_script(response):
        hostile.problem(f"{what}: the page shows the script unescaped")
    if hostile.refused(response):
        changed = hostile.changed_tables(before, hostile.stored())
        if changed:
            hostile.problem(f"{what}: refused with {response.status_code} but changed {changed}")
    elif response.status_code in (301, 302, 303) and not hostile.leaves_the_site(response):
        then = f"{what}, then GET {response['Location']}"
        judge(client, answer(client, "get", response["Location"], {}, then), hostile.stored(), then)


@pytest.mark.parametrize(("name", "index"), FORM_CASES, ids=[f"{name}-{index}" for name, index in FORM_CASES])
def test_hostile_form_values_are_refused_or_stored_safely(client, world, name, index):
    form = FORMS[name][index]
    url = address(name, world, form.kwargs)
    signed_in(client, world, form.who)
    fields = [hostile.fill_in(field_name, world) for field_name in form.fields]

    shown = {}
    if shows_a_page(view_of(name)):
        page = answer(client, "get", url, {}, f"GET {url}")
        shown = hostile.form_values(page.content.decode(errors="replace"), fields[0])

    @hostile.each_field_broken(fields)
    @ATTACK
    @given(hostile_input=hostile.hostile_fields(fields))
    def attack(hostile_input):
        plausible = {**shown, **{hostile.fill_in(key, world): hostile.fill_in(value, world)
                                 for key, value in form.values.items()}}
        data = hostile.attacked(plausible, hostile_input)
        what = f"POST {name} {hostile.describe(hostile_input)}"
        before = hostile.stored()
        response = answer(client, "post", url, data, what)
        judge(client, response, before, what)
        if form.then and response is not None and not hostile.refused(response):
            then = address(form.then, world, form.kwargs)
            judge(client, answer(client, "get", then, {}, f"{what}, then GET {then}"), hostile.stored(), what)

    attack()



@pytest.mark.parametrize("name", sorted(FILTERS))
def test_hostile_query_strings_never_break_a_page(client, world, name):
    query = FILTERS[name]
    url = address(name, world, query.kwargs)
    signed_in(client, world, query.who)

    @hostile.each_field_broken(query.params)
    @ATTACK
    @given(hostile_input=hostile.hostile_fields(list(query.params)))
    def attack(hostile_input):
        data = hostile.attacked({}, hostile_input)
        what = f"GET {name} ?{hostile.describe(hostile_input)}"
        before = hostile.stored()
        judge(client, answer(client, "get", url, data, what), before, what)
        if hostile.changed_tables(before, hostile.stored()):
            hostile.problem(f"{what}: a GET changed {hostile.changed_tables(before, hostile.stored())}")

    attack()


WRONG_IDS = ["0", "-1", "99999999999999999999", str(2**63), str(2**31)]
WRONG_WORDS = ["%00", "..", "<script>alert(1)</script>", "x" * 3000, "%E2%80%AE", "e30"]
ADDRESSES = [(name, arguments) for name, _view, arguments in ROUTES if arguments]


@pytest.mark.parametrize(("name", "arguments"), ADDRESSES, ids=[name for name, _arguments in ADDRESSES])
def test_wrong_ids_and_words_in_an_address_are_not_found(client, world, name, arguments):
    """Each object of an address replaced by ids that do not exist or cannot be stored, and by hostile words."""
    view = view_of(name)
    who = next((form.who for form in FORMS.get(name, [])), None) or getattr(FILTERS.get(name), "who", None)
    signed_in(client, world, who or ADMIN)
    method = "get" if shows_a_page(view) else "post"
    for argument in arguments:
        for wrong in WRONG_IDS if argument.endswith(("_id", "number", "pk")) else WRONG_WORDS:
            try:
                url = address(name, world, {argument: wrong})
            except NoReverseMatch:
                continue  # the address cannot even be written with it: the resolver turns it away
            what = f"{method.upper()} {url[:120]}"
            before = hostile.stored()
            response = answer(client, method, url, {}, what)
            if response is not None and response.status_code >= 500:
                hostile.problem(f"{what}: answered {response.status_code}")
            if hostile.changed_tables(before, hostile.stored()):
                hostile.problem(f"{what}: changed {hostile.changed_tables(before, hostile.stored())}")


FORMSET_PAGES = [(name, view) for name, view, _arguments in ROUTES if getattr(view, "formset_class", None)]
MOST_ROWS = 100  # more periods, criteria, stages or checklist items than any call has


@pytest.mark.parametrize(("name", "view"), FORMSET_PAGES, ids=[name for name, _view in FORMSET_PAGES])
def test_a_forged_row_count_is_refused_without_building_thousands_of_rows(funder, name, view):
    """A forged TOTAL_FORMS is refused, and never makes the server build (and show again) thousands of empty rows."""
    model = view.formset_class.model
    with scope(funder=funder):
        for count in ("abc", "1e30", "", "99999999999999999999", "123456789012345", "5000"):
            formset = view.formset_class({"items-TOTAL_FORMS": count, "items-INITIAL_FORMS": "0"}, prefix="items",
                                         queryset=model.objects.none())
            assert not formset.is_valid(), f"{name} accepts TOTAL_FORMS={count!r}"
            built = len(formset.forms)
            assert built <= MOST_ROWS, f"{name} builds {built} rows for TOTAL_FORMS={count!r}"


def view_of(name):
    return next(view for route, view, _arguments in ROUTES if route == name)


def shows_a_page(view):
    return "get" in view.http_method_names and hasattr(view, "get")
