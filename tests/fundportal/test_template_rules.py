"""House rule: templates ask the objects what a status means (state groups, properties); they compare no status
strings, so renaming or regrouping a status never leaves a page silently wrong. Nor does a sentence in a template
state a rule's number (a threshold, a limit): the code that applies the rule hands it to the page, so the two cannot
disagree."""

import re
from pathlib import Path

from django.conf import settings

CONDITION = re.compile(r"{%-?\s*(?:if|elif)\b(.*?)%}", re.S)
STATUS_NAME = r"[\w.]*(?:status|state|decision|outcome)\b"
LITERAL = r"""(?:"[^"]*"|'[^']*')"""
STATUS_COMPARED = re.compile(rf"{STATUS_NAME}\s*(?:==|!=)\s*{LITERAL}|{LITERAL}\s*(?:==|!=)\s*{STATUS_NAME}")

TRANSLATED = re.compile(r"""{%-?\s*translate\s+("[^"]*"|'[^']*')"""
                        r"|{%-?\s*blocktranslate\b[^%]*%}(.*?){%-?\s*endblocktranslate", re.S)
PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}", re.S)
NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])")  # standing alone: not the digits of an example like RS-IF-2026-0042


def templates():
    return sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def test_no_template_compares_a_status_with_a_string():
    found = [f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
             for path in templates()
             for condition in CONDITION.finditer(path.read_text(encoding="utf-8"))
             for match in STATUS_COMPARED.finditer(condition.group(1))]
    assert not found, "Templates comparing a status with a string:\n" + "\n".join(found)


def test_no_sentence_in_a_template_states_a_number_the_code_decides():
    found = [f"{path.relative_to(settings.BASE_DIR)}: {number.group(0)} in “{sentence.strip()[:80]}”"
             for path in templates()
             for translated in TRANSLATED.finditer(path.read_text(encoding="utf-8"))
             for sentence in [PLACEHOLDER.sub("", translated.group(1) or translated.group(2))]
             for number in NUMBER.finditer(sentence)]
    assert not found, "Numbers written into a template's sentences (pass them from the code):\n" + "\n".join(found)
