"""Compare two submitted versions of an application, answer by answer."""

import difflib
import json

from applications.answers import key
from calls.models import Question


def _as_text(value):
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1) if value not in (None, "") else ""


def compare(call, older, newer):
    """[(question, changed, diff lines)] for every question, in form order; diff lines as (kind, text)."""
    rows = []
    questions = Question.objects.filter(section__call=call).order_by("section__position", "position", "id")
    for question in questions:
        before, after = _as_text(older.answers.get(key(question))), _as_text(newer.answers.get(key(question)))
        lines = []
        for line in difflib.ndiff(before.splitlines(), after.splitlines()):
            if line[:1] in "+-":
                lines.append(("added" if line[0] == "+" else "removed", line[2:]))
        rows.append((question, before != after, lines))
    return rows
