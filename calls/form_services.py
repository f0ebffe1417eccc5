"""Writes on a call's application form: sections and questions.

Once a call has applications, their answers are keyed by question: a question
may then be reworded or added, but not removed or given another kind.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from calls.models import Call, Question, Section
from calls.selectors import has_applications
from calls.services import record_change
from fundportal.models import User


def section_create(*, call: Call, title: dict[str, str], by: User | None = None) -> Section:
    position = (call.sections.aggregate(last=Max("position"))["last"] or 0) + 1
    record_change(call, by, "form")
    return Section.objects.create(funder=call.funder, call=call, title=title, position=position)


def section_delete(*, section: Section, by: User | None = None) -> None:
    if has_applications(section.call) and section.questions.exists():
        raise ValidationError(_("This section has questions that applications have answered; it cannot be removed."))
    record_change(section.call, by, "form")
    section.delete()


@transaction.atomic
def question_save(*, section: Section, question: Question | None = None, by: User | None = None,
                  **fields: Any) -> Question:
    """Add a question to ``section``, or change ``question``."""
    call = section.call
    if question is None:
        position = (section.questions.aggregate(last=Max("position"))["last"] or 0) + 1
        question = Question(funder=call.funder, section=section, position=position)
    elif fields.get("kind", question.kind) != question.kind and has_applications(call):
        raise ValidationError(
            {"kind": _("Applications have answered this question; its kind cannot change. Add a new question instead.")}
        )
    if question.pk and all(getattr(question, name) == value for name, value in fields.items()):
        return question  # saved unchanged: nothing to write or record
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    record_change(call, by, "form")
    return question


def question_delete(*, question: Question, by: User | None = None) -> None:
    call = question.section.call
    if has_applications(call):
        raise ValidationError(
            _("Applications have answered this form; a question cannot be removed. You can make it optional instead.")
        )
    record_change(call, by, "form")
    question.delete()


def _move(item, siblings, offset):
    """Swap ``item`` with its neighbour ``offset`` places away (-1 up, +1 down) and number them all again."""
    siblings = list(siblings.order_by("position", "id"))
    index = siblings.index(item)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            type(item).objects.filter(pk=sibling.pk).update(position=position)


def question_move(*, question: Question, offset: int) -> None:
    """Move a question up (-1) or down (+1) within its section."""
    _move(question, question.section.questions.all(), offset)


def section_move(*, section: Section, offset: int) -> None:
    """Move a section up (-1) or down (+1) in the form; answers stay with their questions."""
    _move(section, section.call.sections.all(), offset)
