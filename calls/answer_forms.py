"""The application form a call defines, as a Django form: one field per question.

The same builder serves the administrator's preview and the applicant's form,
so the preview is exactly what applicants see.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls.models import CostCategory, Question
from fundportal.translated import translated

K = Question.Kind
ALLOWED_FILE_TYPES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "odt": "OpenDocument", "png": "PNG", "jpg": "JPEG"}
AMOUNT_LIMIT = Decimal(10) ** 14  # an application's amount is stored with 14 digits
MAX_TABLE_ROWS = 100
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value):
    """``value`` (text, or lists and dicts of text) without NUL and the other control characters but tab and newline."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [plain_text(item) for item in value]
    if isinstance(value, dict):
        return {name: plain_text(item) for name, item in value.items()}
    return value


def row_labels(settings):
    """A budget's row labels for people: the financiers as written, or the cost categories' translated names."""
    if settings.get("financiers"):
        return settings["financiers"]
    return [CostCategory(category).label if category in CostCategory.values else category
            for category in settings.get("cost_categories") or []]


def amount_cell_error(value):
    """Why ``value`` cannot be an amount in a budget (a finite, non-negative number below the storable limit), or None."""
    text = str(value or "").replace(" ", "").replace("\xa0", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return _("“%(value)s” is not an amount; write a whole number, e.g. 250000.") % {"value": text[:40]}
    if not number.is_finite() or number >= AMOUNT_LIMIT:
        return _("“%(value)s” is too large for an amount.") % {"value": text[:40]}
    if number < 0:
        return _("An amount cannot be negative (“%(value)s”).") % {"value": text[:40]}
    return None


class TableWidget(forms.Widget):
    """A table of inputs: fixed columns, a number of rows; value is a list of row dicts."""

    template_name = "calls/widgets/table.html"

    def __init__(self, columns, rows=3, row_labels=None, input_type="text", attrs=None):
        super().__init__(attrs)
        self.columns, self.rows, self.row_labels, self.input_type = columns, rows, row_labels, input_type

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value or []
        rows = []
        for index in range(len(self.row_labels) if self.row_labels else min(max(self.rows, len(value) + 1), MAX_TABLE_ROWS)):
            current = value[index] if index < len(value) else {}
            rows.append({
                "label": self.row_labels[index] if self.row_labels else None,
                "cells": [{"name": f"{name}-{index}-{key}", "label": label, "value": current.get(key, "")}
                          for key, label in self.columns],
            })
        context["widget"].update({"columns": self.columns, "table_rows": rows, "input_type": self.input_type})
        return context

    def value_from_datadict(self, data, files, name):
        count = len(self.row_labels) if self.row_labels else self._rows_sent(data, name)
        rows = [{key: str(data.get(f"{name}-{index}-{key}", "")).strip() for key, _label in self.columns}
                for index in range(count)]
        if self.row_labels:
            return rows
        return [row for row in rows if any(row.values())]

    def _rows_sent(self, data, name):
        """How many rows the page sent: every row it numbered (at most MAX_TABLE_ROWS), at least the table's own."""
        numbers = re.compile(rf"^{re.escape(name)}-(\d{{1,3}})-")
        sent = [int(match.group(1)) + 1 for field in data if (match := numbers.match(field))]
        return min(max([self.rows, *sent]), MAX_TABLE_ROWS)

    def id_for_label(self, id_):
        return None


class TableField(forms.Field):
    def __init__(self, *, minimum=0, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def validate(self, value):
        filled = [row for row in value or [] if any(row.values())]
        if self.required and not filled:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.minimum and len(filled) < self.minimum:
            raise ValidationError(
                ngettext("Add at least %(count)d row.", "Add at least %(count)d rows.", self.minimum) % {"count": self.minimum}
            )


class BudgetField(TableField):
    """A budget table: each cell empty or an amount a budget may hold."""

    def validate(self, value):
        super().validate(value)
        errors = [amount_cell_error(cell) for row in value or [] for cell in row.values()]
        errors = [error for error in errors if error]
        if errors:
            raise ValidationError(errors[0])


def _word_limit(limit):
    def check(value):
        words = len(value.split())
        if words > limit:
            raise ValidationError(_("%(words)d words; at most %(limit)d are allowed.") % {"words": words, "limit": limit})

    return check


STRUCTURED_COLUMNS = {
    K.PARTICIPANTS: [("name", _("Name")), ("role", _("Role")), ("organisation", _("Organisation")),
                     ("email", _("Email")), ("phone", _("Phone"))],
    K.TIME_PLAN: [("milestone", _("Milestone")), ("date", _("Date"))],
    K.PARTNERS: [("name", _("Organisation")), ("contact", _("Contact person")), ("email", _("Email")),
                 ("contribution", _("Contribution to the project"))],
}


def question_field(question, currency="SEK"):
    """The form field that asks ``question``."""
    settings = question.settings or {}
    common = {"label": translated(question.label), "help_text": translated(question.help_text), "required": question.required}
    kind = question.kind
    if kind == K.SHORT_TEXT:
        return forms.CharField(max_length=settings.get("max_chars") or 300, **common)
    if kind == K.LONG_TEXT:
        attrs = {"rows": 6}
        validators = []
        if settings.get("max_words"):
            attrs["data-max-words"] = settings["max_words"]
            validators.append(_word_limit(settings["max_words"]))
        if settings.get("max_chars"):
            attrs["data-max-chars"] = settings["max_chars"]
        return forms.CharField(widget=forms.Textarea(attrs=attrs), max_length=settings.get("max_chars"),
                               validators=validators, **common)
    if kind == K.NUMBER:
        return forms.DecimalField(min_value=settings.get("min_value"), max_value=settings.get("max_value"), **common)
    if kind == K.AMOUNT:
        field = forms.DecimalField(min_value=0, decimal_places=0, max_value=settings.get("max_value") or AMOUNT_LIMIT - 1,
                                   **common)
        field.widget.attrs["data-currency"] = currency
        return field
    if kind == K.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == K.SINGLE_CHOICE:
        choices = [(choice, choice) for choice in settings.get("choices", [])]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == K.MULTIPLE_CHOICE:
        choices = [(choice, choice) for choice in settings.get("choices", [])]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == K.DECLARATION:
        return forms.BooleanField(**common)
    if kind == K.FILE:
        types = settings.get("allowed_types") or ["pdf"]
        size = settings.get("max_size_mb") or 10
        limits = _("Allowed: %(types)s; at most %(size)s MB.") % {
            "types": ", ".join(ALLOWED_FILE_TYPES.get(kind, kind) for kind in types), "size": size}
        common["help_text"] = f"{common['help_text']} {limits}".strip()
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{t}" for t in types)}),
                               **common)
    if kind == K.BUDGET:
        years = settings.get("years") or 1
        columns = [(f"year{number}", _("Year %(number)s") % {"number": number}) for number in range(1, years + 1)]
        return BudgetField(widget=TableWidget(columns, row_labels=row_labels(settings), input_type="number"), **common)
    if kind in STRUCTURED_COLUMNS:
        return TableField(widget=TableWidget(STRUCTURED_COLUMNS[kind]), minimum=settings.get("minimum", 0), **common)
    raise ValueError(f"No field for question kind {kind!r}")


def answer_form_class(questions, currency="SEK"):
    """A form class with one field ``q<id>`` per question, in order."""
    fields = {f"q{question.pk}": question_field(question, currency) for question in questions}
    return type("AnswerForm", (forms.Form,), fields)
