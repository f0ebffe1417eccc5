"""Answers: how the form's raw values are kept, checked and summed.

A draft keeps each answer as the raw value the browser sent (``{"q12": ...}``),
valid or not, so nothing typed is ever lost; the checks run when the applicant
looks at the summary and again at submission.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calls.answer_forms import (
    AMOUNT_LIMIT, STRUCTURED_COLUMNS, amount_cell_error, plain_text, question_field, row_labels,
)
from calls.models import Question
from fundportal.templatetags.portal import money

K = Question.Kind
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def key(question):
    return f"q{question.pk}"


def draft_form_class(questions, currency):
    """The section's form for writing a draft: nothing is required yet, but what submission needs says "(required)";
    file questions upload elsewhere."""
    fields = {}
    for question in questions:
        if question.kind == K.FILE:
            continue
        field = question_field(question, currency)
        if field.required:
            field.label = f"{field.label} ({_('required')})"
        field.required = False
        fields[key(question)] = field
    return type("DraftForm", (forms.Form,), fields)


def raw_answers(form):
    """The values the browser sent for each field of ``form``, as they came, less NUL and other control characters."""
    return {name: plain_text(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)))
            for name, field in form.fields.items()}


def number_problems(questions, answers, currency):
    """[(question, message)] for each budget cell in ``answers`` that no budget may hold: not a number, not finite,
    negative or too large, or a total too large to store. A draft is refused these rather than kept."""
    found = []
    for question in questions:
        if question.kind != K.BUDGET or key(question) not in answers:
            continue
        raw = answers[key(question)] or []
        errors = [amount_cell_error(value) for row in raw if isinstance(row, dict) for value in row.values()]
        errors = [error for error in errors if error]
        if errors:
            found.append((question, errors[0]))
        elif budget_table(question, raw)["total"] >= AMOUNT_LIMIT:
            found.append((question, _("The budget adds up to more than %(limit)s.") % {"limit": money(AMOUNT_LIMIT - 1, currency)}))
    return found


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
    """A budget cell as a number; what is not a finite, storable amount counts as nothing, so reading never fails."""
    try:
        number = Decimal(str(text).replace(" ", "").replace("\xa0", "").replace(",", ".") or 0)
    except InvalidOperation:
        return Decimal(0)
    return number if number.is_finite() and abs(number) < AMOUNT_LIMIT else Decimal(0)


def budget_table(question, raw):
    """A budget answer as rows with totals: {"columns", "rows": [(label, [cells], total)], "column_totals", "total"}."""
    settings = question.settings or {}
    years = settings.get("years") or 1
    columns = [f"year{number}" for number in range(1, years + 1)]
    labels = row_labels(settings)
    rows = []
    for index, label in enumerate(labels):
        values = (raw or [])[index] if index < len(raw or []) else {}
        cells = [_number(values.get(column, 0)) for column in columns]
        rows.append((label, cells, sum(cells, Decimal(0))))
    column_totals = [sum((row[1][index] for row in rows), Decimal(0)) for index in range(years)]
    return {"years": years, "rows": rows, "column_totals": column_totals, "total": sum(column_totals, Decimal(0))}


def table_answer(question, raw):
    """A participants, time plan or partners answer as a table: {"columns": [heading], "rows": [[value]]}, the values
    in the columns' order, empty rows left out, a time plan's dates as dates (so pages write them their one way)."""
    columns = STRUCTURED_COLUMNS[question.kind]
    rows = [row for row in raw or [] if isinstance(row, dict) and any(row.values())]
    return {"columns": [heading for _name, heading in columns],
            "rows": [[as_day(row.get(name, "")) if name == "date" else row.get(name, "") for name, _heading in columns]
                     for row in rows]}


def as_day(value):
    """An answer written the way date inputs send it (2027-03-01) as a date, anything else as it was typed."""
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value


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
