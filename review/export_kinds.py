"""The assessment's exports (``fundportal.export_jobs``): the screening queue and a call's ranking, with the same
filters and order as on screen, every page of them, read from the database a chunk at a time."""

from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _

from calls.selectors import managed_call
from fundportal.export_jobs import ExportKind, register_export_kind
from fundportal.exports import Table, choice_labels
from fundportal.translated import translated
from review.forms import QueueFilterForm, RankingFilterForm, chosen_period
from review.models import Decision, Review
from review.selectors import Ranking, screening_queue

CHUNK = 500  # applications read at a time


def queue_table(*, query, subject, extension):
    applications = screening_queue(**QueueFilterForm(query or None).filters())
    header = [_("Case number"), _("Project"), _("Applicant"), _("Email"), _("Call"), _("Period"), _("Type"),
              _("Theme area"), _("Amount applied for"), _("Submitted"), _("Status"), _("Stage"), _("Screener")]
    return Table(filename=f"screening-{timezone.localdate():%Y-%m-%d}.{extension}",
                 sheets=[(_("Applications to screen"), header)], total=applications.count(),
                 rows=((0, queue_cells(application)) for application in applications.iterator(chunk_size=CHUNK)))


def queue_cells(application):
    screening = getattr(application, "screening", None)
    submitted = timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M") \
        if application.submitted_at else ""
    return [application.case_number, application.title, str(application.applicant), application.applicant.email,
            application.call.display_title, str(application.period or ""),
            str(application.get_application_type_display()), application.theme, application.amount_requested,
            submitted, application.get_state_display(), str(application.current_stage or ""),
            str(screening.screener) if screening and screening.screener else ""]


def ranking_table(*, query, subject, extension):
    """The call's ranking as on screen (same period, filters and order); in a workbook every submitted review on a
    second sheet, each application's after its row is written."""
    call = managed_call(subject)
    ranking = Ranking(call)
    language = call.funder.default_language
    chosen = RankingFilterForm.reading(query, themes=call.themes or [], sorts=ranking.sorts(language)).chosen(
        chosen_period(call, query.get("period", "")))
    shown = ranking.shown(*chosen)
    criteria = [translated(criterion.name, language) for criterion in ranking.criteria]
    sheets = [(_("Ranking"), [_("Rank"), _("Case number"), _("Project"), _("Applicant"), *criteria,
                              _("Weighted total"), _("Median"), _("Standard deviation"), _("Reviews done"),
                              _("Reviews expected"), _("Amount applied for"), _("Running sum"), _("Decision")])]
    with_reviews = extension == "xlsx"
    if with_reviews:
        sheets.append((_("Reviews"), [_("Case number"), _("Reviewer"), *criteria, _("Recommendation"),
                                      _("Overall comment")]))
    return Table(filename=f"{call.slug}-ranking.{extension}", sheets=sheets, total=shown.count(),
                 rows=ranking_rows(ranking, shown, with_reviews))


def chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ranking_rows(ranking, shown, with_reviews):
    outcomes, recommendations = choice_labels(Decision, "outcome"), choice_labels(Review, "recommendation")
    for places in chunks(shown.iterator(chunk_size=CHUNK), CHUNK):
        for row in ranking.rows(places, with_reviews=with_reviews):
            yield 0, ranking_cells(row, outcomes)
            if with_reviews:
                yield from ((1, cells) for cells in review_cells(row, ranking.criteria, recommendations))


def ranking_cells(row, outcomes):
    application = row.application
    decision = getattr(application, "decision", None)
    return [row.rank, application.case_number, application.title, str(application.applicant),
            *row.criterion_means, row.total, row.median, row.deviation, row.done, row.expected,
            application.amount_requested, row.running_sum, outcomes.get(decision.outcome, "") if decision else ""]


def review_cells(row, criteria, recommendations):
    for assignment in row.application.assignments.all():
        review = getattr(assignment, "review", None)
        if review is not None and review.submitted_at:
            yield [row.application.case_number, str(assignment.reviewer),
                   *[review.scores.get(str(c.pk), {}).get("score") for c in criteria],
                   recommendations.get(review.recommendation, ""), review.comment]


register_export_kind(ExportKind(name="review.queue", title=lambda subject: _("Applications to screen"),
                                permission="review.screen", table=queue_table))
register_export_kind(ExportKind(name="review.ranking", permission="review.view_ranking", table=ranking_table,
                                title=lambda subject: _("Ranking: %(call)s") % {
                                    "call": managed_call(subject).display_title}))
