"""Answers: how the form's raw values are kept, checked and summed.

A draft keeps each answer as the raw value the browser sent (``{"q12": ...}``),
valid or not, so nothing typed is ever lost; the checks run when the applicant
looks at the summary and again at submission.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from applications.answer_forms import question_field
from calls.models import Question

K = Question.Kind


def key(question):
    return f"q{question.pk}"


def draft_form_class(questions, currency):
    """The section's form for writing a draft: nothing is required yet; file questions upload elsewhere."""
    fields = {}
    for question in questions:
        if question.kind == K.FILE:
            continue
        field = question_field(question, currency)
        field.required = False
        fields[key(question)] = field
    return type("DraftForm", (forms.Form,), fields)


def raw_answers(form):
    """The values the browser sent for each field of ``form``, as they came."""
    return {name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            for name, field in form.fields.items()}


def problems(questions, answers, attachment_counts, currency):
    """[(question, message)] for each answer that would stop a submission."""
    found = []
    for question in questions:
        if question.kind == K.FILE:
            if question.required and not attachment_counts.get(question.pk):
                found.append((question, _("Upload a file.")))
            continue
        try:
            question_field(question, currency).clean(answers.get(key(question)))
        except ValidationError as error:
            found.append((question, " ".join(error.messages)))
    return found + budget_balance(questions, answers, currency)


def budget_balance(questions, answers, currency):
    """A form with one cost budget and one financing plan: the financing must cover the costs exactly."""
    from fundportal.templatetags.portal import money

    budgets = [question for question in questions if question.kind == K.BUDGET]
    costs = [question for question in budgets if (question.settings or {}).get("cost_categories")]
    financing = [question for question in budgets if (question.settings or {}).get("financiers")]
    if len(costs) != 1 or len(financing) != 1:
        return []
    cost_total = budget_table(costs[0], answers.get(key(costs[0])))["total"]
    financing_total = budget_table(financing[0], answers.get(key(financing[0])))["total"]
    if cost_total and financing_total and cost_total != financing_total:
        return [(financing[0], _("The financing adds up to %(financing)s and the costs to %(costs)s; they must be "
                                 "equal.") % {"financing": money(financing_total, currency),
                                              "costs": money(cost_total, currency)})]
    return []


def _number(text):
    try:
        return Decimal(str(text).replace(" ", "").replace("\xa0", "").replace(",", ".") or 0)
    except InvalidOperation:
        return Decimal(0)


def budget_table(question, raw):
    """A budget answer as rows with totals: {"columns", "rows": [(label, [cells], total)], "column_totals", "total"}."""
    settings = question.settings or {}
    years = settings.get("years") or 1
    columns = [f"year{number}" for number in range(1, years + 1)]
    labels = settings.get("financiers") or settings.get("cost_categories") or []
    rows = []
    for index, label in enumerate(labels):
        values = (raw or [])[index] if index < len(raw or []) else {}
        cells = [_number(values.get(column, 0)) for column in columns]
        rows.append((label, cells, sum(cells, Decimal(0))))
    column_totals = [sum((row[1][index] for row in rows), Decimal(0)) for index in range(years)]
    return {"years": years, "rows": rows, "column_totals": column_totals, "total": sum(column_totals, Decimal(0))}


def amount_requested(questions, answers, funder):
    """What the application asks of this funder: its row of a financing table, else the whole budget.

    The funder's row is the question's ``funder_row`` setting, or the row named like the funder.
    """
    for question in questions:
        if question.kind != K.BUDGET:
            continue
        table = budget_table(question, answers.get(key(question)))
        settings = question.settings or {}
        if settings.get("financiers"):
            own_label = (settings.get("funder_row") or funder.name).strip().lower()
            own = [total for label, _cells, total in table["rows"] if label.strip().lower() == own_label]
            return own[0] if own else None
        return table["total"]
    return None
