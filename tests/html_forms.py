"""Submit a page's form the way a browser would, exactly as rendered: for round-trip tests ("saving unchanged changes nothing")."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects, per <form>, its attributes and the pairs a browser would send when its (unnamed) submit button is pressed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._in_template = 0
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return  # a template's content is not part of the form until a script puts it there
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._option(attrs)
        elif self._form is None or "disabled" in attrs or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": [], "chosen": []}

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        if kind in ("submit", "button", "reset", "image", "file"):
            return  # the page's own save button has no name; other buttons are not pressed
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        self._form["fields"].append((attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))

    def _option(self, attrs):
        self._select["options"].append(attrs.get("value", ""))
        if "selected" in attrs:
            self._select["chosen"].append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        if self._in_template:
            return
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            text = text[1:] if text.startswith("\n") else text  # HTML drops the newline right after <textarea>
            self._form["fields"].append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))  # browsers send CRLF
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or ([] if self._select["multiple"] else self._select["options"][:1])
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def form_as_rendered(response):
    """The POST data of the page's own form (the one posting back to the page, i.e. without an action), as a browser sends it."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    own = [form for form in reader.forms if form["attrs"].get("method", "").lower() == "post" and not form["attrs"].get("action")]
    assert len(own) == 1, f"expected one form posting back to the page, found {len(own)}"
    data = {}
    for name, value in own[0]["fields"]:
        data.setdefault(name, []).append(value)
    return data
