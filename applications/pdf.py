"""The application as a PDF, rendered by WeasyPrint: the receipt's attachment and the case file."""

from django.template.loader import render_to_string

from applications.answers import as_day, budget_table, key, table_answer
from calls.answer_forms import STRUCTURED_COLUMNS
from calls.models import Question, Section
from fundportal.pdf import pdf_from_html

K = Question.Kind


def answered_sections(application, answers, sections=None):
    """[(section, [(question, answer for display)])] in form order; ``sections``: the call's sections with their
    questions when they were read with the application (``application_with_form``), else they are read here."""
    if sections is None:
        sections = Section.objects.filter(call=application.call).prefetch_related("questions").order_by("position", "id")
    attachments = {}
    for attachment in application.attachments.all():
        attachments.setdefault(attachment.question_id, []).append(attachment)
    result = []
    for section in sections:
        rows = []
        for question in section.questions.all():
            raw = answers.get(key(question))
            if question.kind == K.BUDGET:
                shown = budget_table(question, raw)
            elif question.kind == K.FILE:
                shown = attachments.get(question.pk, [])
            elif question.kind in STRUCTURED_COLUMNS:
                shown = table_answer(question, raw)
            elif question.kind == K.DATE:
                shown = as_day(raw)
            else:
                shown = raw
            rows.append((question, shown, application.confidential.get(key(question), "")))
        result.append((section, rows))
    return result


def application_pdf(application, answers):
    html = render_to_string("applications/pdf/application.html", {
        "application": application, "funder": application.funder, "call": application.call,
        "sections": answered_sections(application, answers),
    })
    return pdf_from_html(html)
