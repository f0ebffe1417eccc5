"""What a call that hides the applicant's identity from its panel hides.

On such a call the panel sees neither the main applicant's name and organisation, nor the co-applicants, nor the
manager, nor the answers (and files) of the questions that identify the applicant: every participants table, and
every question the administrator marks "identifies the applicant" in the form builder (``settings["identifying"]``).
"""

from applications.models import ApplicantProfile
from calls.models import Question


def is_identifying(question):
    return question.kind == Question.Kind.PARTICIPANTS or bool((question.settings or {}).get("identifying"))


def for_the_panel(call, sections):
    """``answered_sections`` without the identifying questions when ``call`` is anonymous to its panel."""
    if not call.anonymous_to_panel:
        return sections
    return [(section, [row for row in rows if not is_identifying(row[0])]) for section, rows in sections]


def who_applied(application):
    """Who is behind ``application``, as the panel needs it to judge its own impartiality.

    {"applicant", "organisation", "co_applicants": [(person, organisation)], "manager"}; the organisation of a
    co-applicant without one in their profile is their email's domain.
    """
    collaborators = list(application.collaborators.select_related("user").order_by("email"))
    people = [application.applicant_id] + [c.user_id for c in collaborators if c.user_id]
    organisations = dict(ApplicantProfile.objects.filter(user__in=people).values_list("user_id", "organisation"))
    co_applicants = [(str(c.user) if c.user else c.email, organisations.get(c.user_id) or c.email.rsplit("@", 1)[-1])
                     for c in collaborators]
    return {"applicant": application.applicant, "organisation": organisations.get(application.applicant_id, ""),
            "co_applicants": co_applicants, "manager": application.manager_name or application.manager_email}
