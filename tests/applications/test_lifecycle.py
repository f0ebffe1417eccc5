"""The application's life follows its table, and every move is on record."""

import pytest

from applications.lifecycle import TRANSITIONS, State, transitions_from
from applications.models import ApplicationTransition
from applications.services import TransitionRefused, application_transition
from fundportal.models import Role
from fundportal.tenancy import scope
from calls.models import Stage
from tests.factories import ApplicationFactory, CallFactory, StageFactory, staff

pytestmark = pytest.mark.django_db

K = Stage.Kind


def pipeline(funder, *kinds):
    call = CallFactory(fund__funder=funder)
    for position, kind in enumerate(kinds):
        StageFactory(call=call, position=position, kind=kind)
    return call


@pytest.fixture
def innovationsfonden(funder):
    return pipeline(funder, K.SCREENING, K.PANEL, K.DECISION)


@pytest.fixture
def stimulab(funder):
    return pipeline(funder, K.SCREENING, K.DIALOGUE, K.DECISION)


def move(application, action, by, comment=""):
    with scope(funder=application.funder):
        return application_transition(application=application, action=action, by=by, comment=comment)


def test_an_innovationsfonden_application_goes_from_draft_to_granted_through_every_stage(funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden)
    admin, screener = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.SCREENER)

    move(application, "submit", application.applicant)
    move(application, "start_review", screener)
    moved = move(application, "advance", screener, comment="Meets every requirement.")
    assert (moved.state, moved.current_stage.kind) == (State.IN_REVIEW, K.PANEL)
    move(application, "advance", admin)
    granted = move(application, "grant", admin, comment="Granted 450 000 kr.")

    assert granted.state == State.GRANTED
    with scope(funder=funder):
        history = list(ApplicationTransition.objects.filter(application=application))
    assert [(step.action, step.source_state, step.target_state) for step in history] == [
        ("submit", State.DRAFT, State.SUBMITTED),
        ("start_review", State.SUBMITTED, State.IN_REVIEW),
        ("advance", State.IN_REVIEW, State.IN_REVIEW),
        ("advance", State.IN_REVIEW, State.IN_REVIEW),
        ("grant", State.IN_REVIEW, State.GRANTED),
    ]
    assert [step.target_stage.kind for step in history[1:]] == [K.SCREENING, K.PANEL, K.DECISION, K.DECISION]
    assert history[2].by == screener and history[2].comment == "Meets every requirement."
    assert all(step.at is not None for step in history)


def test_stimulab_can_mark_an_application_preliminary_at_prequalification(funder, stimulab):
    application = ApplicationFactory(call=stimulab, state=State.SUBMITTED)
    screener = staff(funder, Role.SCREENER)
    move(application, "start_review", screener)
    assert move(application, "mark_preliminary", screener).state == State.PRELIMINARY


def test_a_returned_application_comes_back_to_the_same_stage(funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden, state=State.SUBMITTED)
    screener = staff(funder, Role.SCREENER)
    move(application, "start_review", screener)
    move(application, "return_for_completion", screener, comment="The manager's approval is missing.")
    back = move(application, "resubmit", application.applicant)
    assert (back.state, back.current_stage.kind) == (State.IN_REVIEW, K.SCREENING)


@pytest.mark.parametrize(
    ("state", "action"),
    [(State.DRAFT, "grant"), (State.GRANTED, "withdraw"), (State.WITHDRAWN, "submit"), (State.DRAFT, "start_review")],
)
def test_a_move_not_in_the_table_is_refused_with_a_clear_error_and_nothing_changes(funder, innovationsfonden, state, action):
    application = ApplicationFactory(call=innovationsfonden, state=state)
    admin = staff(funder, Role.ADMINISTRATOR)
    with pytest.raises(TransitionRefused, match="cannot be moved by"):
        move(application, action, admin if action != "submit" else application.applicant)
    application.refresh_from_db()
    assert application.state == state
    with scope(funder=funder):
        assert not ApplicationTransition.objects.exists()


def test_an_unknown_action_is_refused(funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden)
    with pytest.raises(TransitionRefused, match="is not a move an application can make"):
        move(application, "approve_everything", application.applicant)


def test_a_grant_is_refused_before_the_decision_stage(funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden, state=State.SUBMITTED)
    admin = staff(funder, Role.ADMINISTRATOR)
    move(application, "start_review", admin)
    with pytest.raises(TransitionRefused, match="not possible at the current review stage"):
        move(application, "grant", admin)


def test_only_the_roles_in_the_table_may_move(funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden)
    with pytest.raises(TransitionRefused, match="do not have a role"):
        move(application, "submit", staff(funder, Role.ADMINISTRATOR))  # only the applicant submits
    application.state = State.SUBMITTED
    application.save()
    with pytest.raises(TransitionRefused, match="do not have a role"):
        move(application, "start_review", staff(funder, Role.PANEL_MEMBER))


def test_another_funders_administrator_cannot_move_our_application(funder, other_funder, innovationsfonden):
    application = ApplicationFactory(call=innovationsfonden, state=State.SUBMITTED)
    with pytest.raises(TransitionRefused, match="do not have a role"):
        move(application, "start_review", staff(other_funder, Role.ADMINISTRATOR))


def test_the_last_stage_cannot_be_advanced_past(funder):
    call = pipeline(funder, K.PANEL)
    application = ApplicationFactory(call=call, state=State.SUBMITTED)
    admin = staff(funder, Role.ADMINISTRATOR)
    move(application, "start_review", admin)
    with pytest.raises(TransitionRefused, match="last review stage"):
        move(application, "advance", admin)


def test_every_state_has_a_way_in_and_decided_states_have_no_way_out():
    targets = {transition.target for transition in TRANSITIONS}
    assert set(State.values) - {State.DRAFT} <= targets
    for final in (State.GRANTED, State.DECLINED, State.PRELIMINARY, State.WITHDRAWN):
        assert transitions_from(final) == []
