"""The access matrix: for every page of the portal, what each kind of person gets, in each state that matters.

This is what the portal SHOULD answer, written from the house rules; ``tests/test_access_matrix.py`` walks it
against the real portal and fails on every cell it disagrees with, on a page the table has no row for, and on a
row for a page that no longer exists. A new page needs its row here.

How to read a row
-----------------
Each row starts from one of five kinds of page, which fixes the answer for everyone the row does not name:

- ``public(...)``: everyone gets the page.
- ``signed_in(...)``: someone not signed in (anonymous, the manager holding only their emailed link) is sent to
  the login page; everyone signed in gets the page.
- ``funder_staff(...)``: a page of the funder's own work. Not signed in: to the login page. Holding some role at
  this funder but not the one the page needs: 403. Holding no role here (applicants, a panel member whose role
  was taken away, another funder's administrator, the platform operator): 404 — the page is not confirmed to exist.
- ``application_page(...)``: a page about one application. Not signed in: to the login page. Everyone else who
  may not read the application: 404. Someone who may read it but not do this: 403, written out in the row.
- ``personal_page(...)``: a page of one person's own object (an export). Not signed in: to the login page. Everyone
  else: 404, whatever their roles.

A cell is an answer, or ``when(default, state=answer, ...)`` for an answer that depends on the state.

Answers
-------
``OK`` 200 · ``LOGIN`` a redirect to the login page · ``FORBIDDEN`` 403 · ``MISSING`` 404 ·
``POST_ONLY`` 405: the person passes every check and the page is an action taken by POST, so GET is refused
(the walker only GETs; POSTing actions would change the world it walks) · ``SIGNED_OUT`` 401: the autosave's
answer to a script whose person is signed out.

States
------
The application is brought to each state by the portal's own services (``tests/access_world.py``):
``DRAFT`` being written; ``SUBMITTED`` submitted, waiting for screening; ``IN_PANEL`` at the expert panel,
reviewers assigned (one declared no conflict, one declared a conflict, one finished and then lost the role);
``RELEASED`` granted and the decision released, the letter still a draft in the outbox; ``DECIDED`` the letter
sent; ``WITHDRAWN`` withdrawn by the applicant while at the panel; ``ARCHIVED`` decided and the call archived.
Pages that name no application or call answer the same in every state.

The house rules behind the table: another funder's object is always 404; taking a role away ends its access at
once; staff see an application only from its submission on, and only in the states their role works on (drafts
never show to staff); every role that may read an application can open its files; a finished review stays
readable to its reviewer after release; a conflicted panel member sees nothing of the application; the applicant
learns the decision when the letter is sent; an archived call takes no more applications.
The platform operator runs the platform (``/operator/``, the Django admin), not a funder's work: on a funder's
pages they are someone without a role there. Django's admin and allauth's account pages are their own and not
in the table.
"""

OK, FORBIDDEN, MISSING, POST_ONLY, SIGNED_OUT = 200, 403, 404, 405, 401
LOGIN = "login"

DRAFT, SUBMITTED, IN_PANEL, RELEASED, DECIDED, WITHDRAWN, ARCHIVED = (
    "draft", "submitted", "in_panel", "released", "decided", "withdrawn", "archived")
STATES = (DRAFT, SUBMITTED, IN_PANEL, RELEASED, DECIDED, WITHDRAWN, ARCHIVED)

PEOPLE = {
    "anonymous": "someone not signed in",
    "owner": "the application's main applicant",
    "other_applicant": "another applicant to the same call",
    "reader": "a co-applicant who may read",
    "editor": "a co-applicant who may edit",
    "manager": "the applicant's manager, holding the emailed approval link, not signed in",
    "screener": "a pre-screener of the funder",
    "panel_assigned": "a panel member assigned to the application, no conflict declared",
    "panel_unassigned": "a panel member not assigned to it",
    "panel_conflicted": "a panel member assigned who declared a conflict of interest",
    "panel_revoked": "a panel member who finished a review of it and then had the role taken away",
    "steering": "a steering-group member of the funder",
    "administrator": "a fund administrator of the funder",
    "other_admin": "another funder's administrator",
    "operator": "the platform operator (superuser)",
}
SIGNED_OUT_PEOPLE = ("anonymous", "manager")
ROLE_HOLDERS = ("screener", "panel_assigned", "panel_unassigned", "panel_conflicted", "steering", "administrator")


def when(default, **by_state):
    """An answer that depends on the application's state: ``default`` except in the states named."""
    unknown = set(by_state) - set(STATES)
    assert not unknown, f"unknown states {unknown}"
    return {state: by_state.get(state, default) for state in STATES}


def _row(default, cells, named=None):
    unknown = set(cells) - set(PEOPLE)
    assert not unknown, f"unknown people {unknown}"
    return {person: cells.get(person, (named or {}).get(person, default)) for person in PEOPLE}


def public(**cells):
    return _row(OK, cells)


def signed_in(**cells):
    return _row(OK, cells, dict.fromkeys(SIGNED_OUT_PEOPLE, LOGIN))


def funder_staff(**cells):
    return _row(MISSING, cells, {**dict.fromkeys(SIGNED_OUT_PEOPLE, LOGIN), **dict.fromkeys(ROLE_HOLDERS, FORBIDDEN)})


def application_page(**cells):
    return _row(MISSING, cells, dict.fromkeys(SIGNED_OUT_PEOPLE, LOGIN))


def personal_page(**cells):
    """A page of one person's own object (their export): someone not signed in to the login page, everyone else
    404, whatever their roles."""
    return _row(MISSING, cells, dict.fromkeys(SIGNED_OUT_PEOPLE, LOGIN))


# Who reads an application, and so its page, its PDF and its files.
FROM_SUBMISSION = when(OK, draft=MISSING)  # administrators
WHILE_SCREENED = when(MISSING, submitted=OK)  # screeners: the states in the screening queue
IN_REVIEW_AND_AFTER = when(OK, draft=MISSING, submitted=MISSING, withdrawn=MISSING)  # decision-makers
REVIEWER_READS = when(MISSING, in_panel=OK, released=OK, decided=OK, archived=OK)  # open, then finished

# The applicant's writing pages close at submission.
WHILE_DRAFT = when(FORBIDDEN, draft=OK)
ACTION_WHILE_DRAFT = when(FORBIDDEN, draft=POST_ONLY)
# Staff who read from submission on may not write: 403 once submitted, nothing at all while a draft.
STAFF_MAY_NOT_WRITE = when(FORBIDDEN, draft=MISSING)

DECISION_KNOWN = when(MISSING, released=OK, decided=OK, archived=OK)  # a decision is recorded
LETTER_SENT = when(MISSING, decided=OK, archived=OK)
NOT_ARCHIVED = when(OK, archived=MISSING)  # an archived call takes no more applications

ADMINISTRATORS = {"administrator": OK}
ADMINISTRATOR_ACTION = {"administrator": POST_ONLY}
DECISION_MAKERS = {"administrator": OK, "steering": OK}
APPLICANTS_READ = {"owner": OK, "reader": OK, "editor": OK}

MATRIX = {
    # The portal
    "home": public(),
    "open_calls": public(),
    "healthz": public(),
    "set_language": _row(POST_ONLY, {}),
    "csp_report": _row(POST_ONLY, {}),  # where browsers report what the Content-Security-Policy refused
    "mailbox": signed_in(),
    "mail": signed_in(**dict.fromkeys(set(PEOPLE) - {"owner", *SIGNED_OUT_PEOPLE}, MISSING)),  # the owner's mail
    "my_applications": signed_in(),
    "profile": signed_in(),
    # the session's clock for its page's script (GET) and "Stay signed in" (POST): a script signed out gets 401
    "session_keep_alive": signed_in(anonymous=SIGNED_OUT, manager=SIGNED_OUT),
    "two_factor_required": signed_in(),  # why a second factor is due, or that nothing is
    "mailbox_new_account": _row(MISSING, {}),  # only for the browser that has just signed up, until it is verified
    "operator": signed_in(**dict.fromkeys(set(PEOPLE) - {"operator", *SIGNED_OUT_PEOPLE}, FORBIDDEN)),
    "oidc_not_here": _row(MISSING, {}),  # allauth's own OpenID Connect addresses: each e-ID is under its funder

    # A funder's public pages
    "funder_logo": public(),
    "calls:call_list": public(),
    "calls:call_detail": public(),  # old links keep working; the page says the call is archived
    "calls:eligibility": _row(NOT_ARCHIVED, {}),
    "calls:feed": public(),
    "calls:calendar": public(),
    "calls:subscribe": public(),
    "calls:subscription_confirm": public(),
    "calls:subscription_cancel": public(),
    # The link is the credential, so everyone holding it gets the same page. Once the application is submitted the
    # page only says who answered what, when (refusing an answer is a POST, tested in tests/applications).
    "applications:manager_approval": public(),

    # A funder's work
    "funder_dashboard": funder_staff(**dict.fromkeys(ROLE_HOLDERS, OK)),
    "outbox": funder_staff(**ADMINISTRATORS),
    "outbox_progress": funder_staff(**ADMINISTRATORS),
    "outbox_email": funder_staff(**ADMINISTRATORS),
    "outbox_attachment": funder_staff(**ADMINISTRATORS),
    "people": funder_staff(**ADMINISTRATORS),
    "audit": funder_staff(**ADMINISTRATORS),
    "audit_export": funder_staff(**ADMINISTRATORS),
    "funder_settings": funder_staff(**ADMINISTRATORS),
    "sign_in_settings": funder_staff(**ADMINISTRATORS),
    # The e-ID sign-in exists only where the funder has turned it on (tests/fundportal/test_identity_providers.py)
    "e_id_login": _row(MISSING, {}),
    "e_id_callback": _row(MISSING, {}),
    "email_templates": funder_staff(**ADMINISTRATORS),
    "email_template": funder_staff(**ADMINISTRATORS),
    "applications:report": funder_staff(**DECISION_MAKERS),
    "applications:report_export": funder_staff(**DECISION_MAKERS),
    # Exports: everyone with a role lists their own; one export (the administrator's) is its asker's alone
    "exports": funder_staff(**dict.fromkeys(ROLE_HOLDERS, OK)),
    "export_job": personal_page(administrator=OK),
    "export_job_progress": personal_page(administrator=OK),
    "export_job_download": personal_page(administrator=OK),

    # Calls and their set-up
    "calls:manage_calls": funder_staff(**ADMINISTRATORS),
    "calls:manage_funds": funder_staff(**ADMINISTRATORS),
    "calls:manage_fund": funder_staff(**ADMINISTRATORS),
    "calls:manage_call_create": funder_staff(**ADMINISTRATORS),
    "calls:manage_call": funder_staff(**ADMINISTRATORS),
    "calls:manage_periods": funder_staff(**ADMINISTRATORS),
    "calls:manage_criteria": funder_staff(**ADMINISTRATORS),
    "calls:manage_eligibility": funder_staff(**ADMINISTRATORS),
    "calls:manage_pipeline": funder_staff(**ADMINISTRATORS),
    "calls:manage_checklist": funder_staff(**ADMINISTRATORS),
    "calls:manage_history": funder_staff(**ADMINISTRATORS),
    "calls:manage_copy": funder_staff(**ADMINISTRATORS),
    "calls:manage_form": funder_staff(**ADMINISTRATORS),
    "calls:manage_preview": funder_staff(**ADMINISTRATORS),
    "calls:manage_question_create": funder_staff(**ADMINISTRATORS),
    "calls:manage_question": funder_staff(**ADMINISTRATORS),
    "calls:manage_form_action": funder_staff(**ADMINISTRATOR_ACTION),
    "calls:manage_action": funder_staff(**ADMINISTRATOR_ACTION),

    # Assessment
    "review:queue": funder_staff(screener=OK, administrator=OK),
    "review:queue_export": funder_staff(screener=OK, administrator=OK),
    "review:screening": funder_staff(screener=WHILE_SCREENED, administrator=WHILE_SCREENED),
    "review:dashboard": funder_staff(panel_assigned=OK, panel_unassigned=OK, panel_conflicted=OK, steering=OK),
    # Each panel member opens their own assignment; everyone else tries the assigned member's.
    "review:review": application_page(panel_assigned=REVIEWER_READS),
    "review:panel": funder_staff(**ADMINISTRATORS),
    "review:letters": funder_staff(**ADMINISTRATORS),
    "review:letter": funder_staff(**ADMINISTRATORS),
    "review:letter_pdf": funder_staff(**ADMINISTRATORS),
    "review:assignments": funder_staff(**ADMINISTRATORS),
    "review:progress": funder_staff(**ADMINISTRATORS),
    "review:ranking": funder_staff(**DECISION_MAKERS),
    "review:ranking_export": funder_staff(**DECISION_MAKERS),
    "review:grant_above_line": funder_staff(**DECISION_MAKERS),  # the confirmation: GET shows, POST decides
    "review:decline_below_line": funder_staff(**DECISION_MAKERS),
    "review:bulk_decision_job": personal_page(**DECISION_MAKERS),  # a bulk decision's progress: its deciders' alone
    "review:decision": funder_staff(administrator=IN_REVIEW_AND_AFTER, steering=IN_REVIEW_AND_AFTER),
    "review:decision_letter_preview": funder_staff(administrator=DECISION_KNOWN, steering=DECISION_KNOWN),
    "review:release": funder_staff(administrator=POST_ONLY, steering=POST_ONLY),

    # One application
    "applications:start": signed_in(**dict.fromkeys(set(PEOPLE) - set(SIGNED_OUT_PEOPLE), NOT_ARCHIVED)),
    "applications:detail": application_page(**APPLICANTS_READ, administrator=FROM_SUBMISSION),
    "applications:pdf": application_page(**APPLICANTS_READ, administrator=FROM_SUBMISSION),
    "applications:attachment": application_page(
        **APPLICANTS_READ, administrator=FROM_SUBMISSION, screener=WHILE_SCREENED, steering=IN_REVIEW_AND_AFTER,
        panel_assigned=REVIEWER_READS),
    "applications:section": application_page(owner=WHILE_DRAFT, editor=WHILE_DRAFT, reader=FORBIDDEN,
                                              administrator=STAFF_MAY_NOT_WRITE),
    "applications:autosave": application_page(
        owner=ACTION_WHILE_DRAFT, editor=ACTION_WHILE_DRAFT, reader=FORBIDDEN, administrator=STAFF_MAY_NOT_WRITE,
        anonymous=SIGNED_OUT, manager=SIGNED_OUT),
    "applications:attachment_upload": application_page(owner=ACTION_WHILE_DRAFT, editor=ACTION_WHILE_DRAFT,
                                                       reader=FORBIDDEN, administrator=STAFF_MAY_NOT_WRITE),
    "applications:attachment_remove": application_page(owner=ACTION_WHILE_DRAFT, editor=ACTION_WHILE_DRAFT,
                                                       reader=FORBIDDEN, administrator=STAFF_MAY_NOT_WRITE),
    # Co-applicants and the manager; only the main applicant invites or removes co-applicants (on POST), an
    # editing co-applicant may still ask the manager.
    "applications:people": application_page(owner=WHILE_DRAFT, editor=WHILE_DRAFT, reader=FORBIDDEN,
                                             administrator=STAFF_MAY_NOT_WRITE),
    "applications:collaborator_remove": application_page(owner=OK, editor=FORBIDDEN, reader=FORBIDDEN,
                                                         administrator=STAFF_MAY_NOT_WRITE),
    "applications:submit": application_page(owner=OK, editor=FORBIDDEN, reader=FORBIDDEN,
                                            administrator=STAFF_MAY_NOT_WRITE),
    "applications:withdraw": application_page(
        owner=when(FORBIDDEN, draft=POST_ONLY, submitted=POST_ONLY, in_panel=POST_ONLY),
        editor=FORBIDDEN, reader=FORBIDDEN, administrator=STAFF_MAY_NOT_WRITE),
    "applications:decision_letter": application_page(
        owner=LETTER_SENT, reader=LETTER_SENT, editor=LETTER_SENT, administrator=LETTER_SENT),
    "applications:revisions": application_page(owner=FORBIDDEN, reader=FORBIDDEN, editor=FORBIDDEN,
                                               administrator=FROM_SUBMISSION),
    "applications:audit": application_page(owner=FORBIDDEN, reader=FORBIDDEN, editor=FORBIDDEN,
                                           administrator=FROM_SUBMISSION),
    "applications:audit_export": application_page(owner=FORBIDDEN, reader=FORBIDDEN, editor=FORBIDDEN,
                                                  administrator=FROM_SUBMISSION),
    "applications:extension": application_page(owner=FORBIDDEN, reader=FORBIDDEN, editor=FORBIDDEN,
                                               administrator=OK),  # a later deadline is given to a draft
}


def answer(name, person, state):
    """What ``person`` should get on the page ``name`` with the application in ``state``."""
    cell = MATRIX[name][person]
    return cell[state] if isinstance(cell, dict) else cell


def describe(value):
    return {OK: "200", LOGIN: "302 to login", FORBIDDEN: "403", MISSING: "404", POST_ONLY: "405 (POST only)",
            SIGNED_OUT: "401"}.get(value, str(value))


if __name__ == "__main__":  # print the whole table: python -m tests.access_matrix
    columns = list(PEOPLE)
    print("page / state".ljust(42) + " ".join(person[:8].rjust(8) for person in columns))
    for name, row in MATRIX.items():
        varies = any(isinstance(cell, dict) for cell in row.values())
        for state in STATES if varies else (None,):
            label = f"{name} [{state}]" if state else name
            print(label.ljust(42) + " ".join(
                str(row[p][state] if isinstance(row[p], dict) else row[p]).rjust(8) for p in columns))
