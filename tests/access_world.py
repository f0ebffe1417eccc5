"""The world the access matrix is walked in: one funder, one call, one application and a person of every kind.

``build_world(state)`` brings the application to one of the matrix's states through the portal's own services,
so what the walker finds is what those people would find on the real portal. Another funder and its administrator
stand beside it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from applications.models import Application, Attachment, Collaborator
from applications.notices import manager_token
from applications.services import application_transition
from applications.submission import application_submit, application_withdraw
from calls.models import Question, Section, Stage, Subscriber
from calls.notices import subscription_token
from calls.services import (
    call_archive, call_publish, call_set_checklist, call_set_criteria, call_set_periods, call_set_pipeline,
)
from fundportal.export_jobs import export_job_run, export_job_start
from fundportal.models import LocalMail, Membership, OutboxEmail, Role
from fundportal.outbox import outbox_send
from fundportal.services import membership_revoke
from fundportal.tenancy import scope, scopes_disabled
from review.decisions import decision_record, decisions_release
from review.models import Assignment, BulkDecisionJob
from review.services import assignment_create, assignment_declare, review_save
from tests.access_matrix import ARCHIVED, DECIDED, DRAFT, IN_PANEL, RELEASED, SUBMITTED, WITHDRAWN
from tests.factories import ApplicationFactory, CallFactory, FundFactory, UserFactory, staff

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


APPLICATION_STATE = {DRAFT: "draft", SUBMITTED: "submitted", IN_PANEL: "in_review", RELEASED: "granted",
                     DECIDED: "granted", WITHDRAWN: "withdrawn", ARCHIVED: "granted"}


@dataclass
class World:
    state: str
    people: dict  # person kind -> User, or None for someone not signed in
    arguments: dict  # URL argument name -> value
    per_person: dict = field(default_factory=dict)  # person kind -> {argument: value} (their own assignment)


def build_world(state, funder, other_funder):
    """Everything the matrix needs, with the application in ``state``."""
    people = _people(funder, other_funder)
    call = _call(funder, people["administrator"])
    application, attachment = _application(funder, call, people)
    with scope(funder=funder):
        assignments = _advance(state, funder, call, application, people)
        arguments = _arguments(funder, call, application, attachment, people)
        application.refresh_from_db()
        assert application.state == APPLICATION_STATE[state], (state, application.state)
    per_person = {kind: {"assignment_id": assignment.pk} for kind, assignment in assignments.items()}
    if assignments:
        arguments["assignment_id"] = assignments["panel_assigned"].pk  # everyone else tries the assigned member's
    return World(state=state, people=people, arguments=arguments, per_person=per_person)


def _people(funder, other_funder):
    operator = UserFactory(email="operator@platform.example", is_superuser=True, is_staff=True)
    return {
        "anonymous": None,
        "owner": UserFactory(email="annika@karolinska.example"),
        "other_applicant": UserFactory(email="olle@sll.example"),
        "reader": UserFactory(email="reader@karolinska.example"),
        "editor": UserFactory(email="editor@karolinska.example"),
        "manager": None,  # holds the emailed approval link, not an account
        "screener": staff(funder, Role.SCREENER, user__email="screener@rs.example"),
        "panel_assigned": staff(funder, Role.PANEL_MEMBER, user__email="panel-assigned@rs.example"),
        "panel_unassigned": staff(funder, Role.PANEL_MEMBER, user__email="panel-unassigned@rs.example"),
        "panel_conflicted": staff(funder, Role.PANEL_MEMBER, user__email="panel-conflicted@rs.example"),
        "panel_revoked": staff(funder, Role.PANEL_MEMBER, user__email="panel-revoked@rs.example"),
        "steering": staff(funder, Role.STEERING_MEMBER, user__email="steering@rs.example"),
        "administrator": staff(funder, Role.ADMINISTRATOR, user__email="admin@rs.example"),
        "other_admin": staff(other_funder, Role.ADMINISTRATOR, user__email="admin@nfr.example"),
        "operator": operator,
    }


def _call(funder, administrator):
    """An open, published call: screening → panel → decision, criteria, a checklist and a form with a file question."""
    with scopes_disabled():
        funder.logo.save("logo.png", ContentFile(PNG))
    fund = FundFactory(funder=funder, name="Innovationsfonden", code="IF")
    call = CallFactory(fund=fund, slug="innovationsfonden", title={"en": "Innovation Fund"}, budget=1_000_000,
                       score_min=1, score_max=7)
    now = timezone.now()
    with scope(funder=funder):
        call_set_periods(call=call, periods=[{"opens_at": now - timedelta(days=10),
                                              "closes_at": now + timedelta(days=10)}])
        call_set_pipeline(call=call, stages=[(Stage.Kind.SCREENING, "Screening"), (Stage.Kind.PANEL, "Expert group"),
                                             (Stage.Kind.DECISION, "Decision")])
        call_set_criteria(call=call, criteria=[({"en": "Need"}, 60), ({"en": "Benefit"}, 40)])
        call_set_checklist(call=call, items=[{"en": "Eligible applicant"}])
        section = Section.objects.create(funder=funder, call=call, position=0, title={"en": "The project"})
        Question.objects.create(funder=funder, section=section, position=0, kind="short_text", label={"en": "Purpose"},
                                required=False)
        Question.objects.create(funder=funder, section=section, position=1, kind="file", label={"en": "Project plan"},
                                required=False, settings={"allowed_types": ["pdf"], "max_size_mb": 1})
        call_publish(call=call, by=administrator)
    return call


def _application(funder, call, people):
    """Annika's draft with two co-applicants, a file, and her manager asked to approve; Olle has his own draft."""
    with scope(funder=funder):
        period = call.periods.get()
    application = ApplicationFactory(call=call, period=period, applicant=people["owner"], title="Textilsvinn",
                                     manager_name="Maria Chef", manager_email="maria.chef@karolinska.example",
                                     manager_decision=Application.ManagerDecision.PENDING)
    ApplicationFactory(call=call, period=period, applicant=people["other_applicant"], title="IVA-dagboken")
    with scopes_disabled():
        for kind, access in (("reader", Collaborator.Access.VIEW), ("editor", Collaborator.Access.EDIT)):
            Collaborator.objects.create(funder=funder, application=application, email=people[kind].email,
                                        user=people[kind], access=access)
        question = Question.objects.get(section__call=call, kind="file")
        attachment = Attachment(funder=funder, application=application, question=question,
                                original_name="projektplan.pdf", content_type="application/pdf", size=15,
                                uploaded_by=people["owner"])
        attachment.file.save("projektplan.pdf", ContentFile(b"%PDF-1.4 a plan"))
        LocalMail.objects.create(recipient=people["owner"].email, sender="noreply@fundportal.example",
                                 subject="Your draft", body="…")
    return application, attachment


def _advance(state, funder, call, application, people):
    """Bring the application to ``state``; returns each panel person's own assignment (if the state has them)."""
    administrator = people["administrator"]
    revoked = Membership.objects.get(user=people["panel_revoked"], role=Role.PANEL_MEMBER)
    if state == DRAFT:
        membership_revoke(membership=revoked, by=administrator)
        return {}
    application_submit(application=application, by=people["owner"])
    if state == SUBMITTED:
        membership_revoke(membership=revoked, by=administrator)
        return {}
    application_transition(application=application, action="start_review", by=people["screener"])
    application_transition(application=application, action="advance", by=people["screener"])
    application.refresh_from_db()
    assignments = {kind: assignment_create(application=application, reviewer=people[kind], by=administrator)
                   for kind in ("panel_assigned", "panel_conflicted", "panel_revoked")}
    assignment_declare(assignment=assignments["panel_assigned"], has_conflict=False)
    assignment_declare(assignment=assignments["panel_conflicted"], has_conflict=True, note="My sister runs the clinic.")
    assignment_declare(assignment=assignments["panel_revoked"], has_conflict=False)
    _finish_review(call, assignments["panel_revoked"])  # a finished review, so no rule may keep the role
    membership_revoke(membership=revoked, by=administrator)
    if state == IN_PANEL:
        return assignments
    if state == WITHDRAWN:
        application_withdraw(application=application, by=people["owner"])
        return assignments
    _finish_review(call, assignments["panel_assigned"])
    application_transition(application=application, action="advance", by=administrator)
    decision_record(application=application, by=administrator, outcome="granted", amount=100_000,
                    conditions="Claimed afterwards.")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker writes the letter once the release commits
        decisions_release(call=call, by=administrator)
    letters = OutboxEmail.objects.filter(kind="decision")
    if state == RELEASED:
        assert letters.filter(status="draft").exists()
        return assignments  # the letter waits as a draft in the outbox
    with TestCase.captureOnCommitCallbacks(execute=True):
        outbox_send(emails=list(letters))
    assert letters.filter(status="sent").exists()
    if state == ARCHIVED:
        call_archive(call=call, by=administrator)
    assert state in (DECIDED, ARCHIVED), state
    return assignments


def _finish_review(call, assignment):
    scores = {str(criterion.pk): {"score": 5, "comment": "Clear need."} for criterion in call.criteria.all()}
    review_save(assignment=Assignment.objects.get(pk=assignment.pk), scores=scores, recommendation="fund",
                comment="Worth funding.", submit=True)


def _arguments(funder, call, application, attachment, people):
    subscriber = Subscriber.objects.create(funder=funder, email="anna@example.se", language="sv")
    email = OutboxEmail.objects.create(funder=funder, recipient="anna@example.se", subject="Receipt", body="…",
                                       kind="receipt", occasion="matrix:1", status="draft",
                                       attachment_name="receipt.pdf")
    email.attachment.save("receipt.pdf", ContentFile(b"%PDF-1.4 receipt"))
    section = call.sections.get()
    return {
        "funder_slug": funder.slug, "call_slug": call.slug, "fund_id": call.fund_id, "section_id": section.pk,
        "question_id": attachment.question_id, "object_id": attachment.question_id, "number": 1,
        "application_id": application.pk, "attachment_id": attachment.pk,
        "collaborator_id": application.collaborators.get(email=people["reader"].email).pk, "email_id": email.pk,
        "pk": LocalMail.objects.get(recipient=people["owner"].email).pk,
        "subscription_token": subscription_token(subscriber), "manager_token": manager_token(application),
        "extension": "csv", "report_extension": "xlsx", "outcome": "granted", "language": "sv", "kind": "receipt",
        "form_action": "move-up", "call_action": "publish", "job_id": _export_job(funder, people["administrator"]),
        "bulk_job_id": _bulk_decision_job(call, people["administrator"]),
    }


def _bulk_decision_job(call, administrator):
    """A bulk decision the administrator took on the call (of nothing, so the world's application stays as it is)."""
    return BulkDecisionJob.objects.create(funder=call.funder, call=call, by=administrator, outcome="declined",
                                          reason="Outside the budget.", state=BulkDecisionJob.State.DONE).pk


def _export_job(funder, administrator):
    """The administrator's export of the screening queue, written: its page and its file are theirs alone."""
    job = export_job_start(user=administrator, funder=funder, kind="review.queue", extension="csv", query="")
    export_job_run(job=job)
    return job.pk
