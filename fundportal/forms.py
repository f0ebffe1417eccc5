"""Form helpers shared by the apps."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TranslatedFieldsMixin:
    """Edit JSON text fields ({language: text}) as one input per portal language.

    ``translated_fields`` names the JSON fields; ``required_translations`` those
    that need text in at least one language; ``long_translations`` those shown
    as text areas. ``cleaned_data[name]`` holds the assembled dict.
    """

    translated_fields = ()
    required_translations = ()
    long_translations = ()
    translation_labels = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        for name in self.translated_fields:
            current = (getattr(instance, name, None) or {}) if instance is not None else {}
            current = current or self.initial.get(name) or {}
            label = self.translation_labels.get(name) or self._meta.model._meta.get_field(name).verbose_name
            for code, language in settings.LANGUAGES:
                widget = forms.Textarea(attrs={"rows": 4}) if name in self.long_translations else forms.TextInput
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{str(label)[:1].upper()}{str(label)[1:]} ({language})",
                    required=False, initial=current.get(code, ""), widget=widget,
                )

    def clean(self):
        cleaned = super().clean()
        for name in self.translated_fields:
            texts = {code: plain_text(cleaned.get(f"{name}_{code}")) for code, _language in settings.LANGUAGES}
            cleaned[name] = {code: text for code, text in texts.items() if text}
            if name in self.required_translations and not cleaned[name]:
                self.add_error(f"{name}_{settings.LANGUAGES[0][0]}", _("Write this in at least one language."))
        return cleaned


def plain_text(text):
    """Typed text as stored: without surrounding space, lines ending in "\n" (browsers send "\r\n")."""
    return (text or "").replace("\r\n", "\n").strip()


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class IdField(forms.IntegerField):
    """A row's id sent by a form: a whole number the database can hold (``abc`` or 10**20 is refused, not a 500)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class IdListField(forms.Field):
    """Several row ids sent under one name (``selected=3&selected=7``), each an ``IdField``."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        return [IdField().clean(item) for item in value]


class ColourInput(forms.TextInput):
    """The browser's colour picker. It always holds a colour, and HTML allows it neither maxlength nor required."""

    input_type = "color"

    def use_required_attribute(self, initial):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context
