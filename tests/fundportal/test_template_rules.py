"""House rule: templates ask the objects what a status means (state groups, properties); they compare no status
strings, so renaming or regrouping a status never leaves a page silently wrong."""

import re
from pathlib import Path

from django.conf import settings

CONDITION = re.compile(r"{%-?\s*(?:if|elif)\b(.*?)%}", re.S)
STATUS_NAME = r"[\w.]*(?:status|state|decision|outcome)\b"
LITERAL = r"""(?:"[^"]*"|'[^']*')"""
STATUS_COMPARED = re.compile(rf"{STATUS_NAME}\s*(?:==|!=)\s*{LITERAL}|{LITERAL}\s*(?:==|!=)\s*{STATUS_NAME}")


def test_no_template_compares_a_status_with_a_string():
    found = [f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
             for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
             for condition in CONDITION.finditer(path.read_text(encoding="utf-8"))
             for match in STATUS_COMPARED.finditer(condition.group(1))]
    assert not found, "Templates comparing a status with a string:\n" + "\n".join(found)
