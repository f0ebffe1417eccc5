"""Forms of the form builder: a section, and a question with what its kind needs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.answer_forms import ALLOWED_FILE_TYPES
from calls.models import CostCategory, Question, Section
from fundportal.forms import TranslatedFieldsMixin, split_lines

K = Question.Kind


class SectionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("title",)
    required_translations = ("title",)
    translation_labels = {"title": _("Section title")}

    class Meta:
        model = Section
        fields = []


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("label", "help_text")
    required_translations = ("label",)

    max_chars = forms.IntegerField(label=_("Character limit"), required=False, min_value=1)
    max_words = forms.IntegerField(label=_("Word limit"), required=False, min_value=1)
    min_value = forms.DecimalField(label=_("Lowest number"), required=False)
    max_value = forms.DecimalField(label=_("Highest number"), required=False)
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One per line."))
    allowed_types = forms.MultipleChoiceField(label=_("Allowed file types"), required=False,
                                              choices=list(ALLOWED_FILE_TYPES.items()),
                                              widget=forms.CheckboxSelectMultiple)
    max_size_mb = forms.IntegerField(label=_("Largest file (MB)"), required=False, min_value=1, max_value=50)
    cost_categories = forms.MultipleChoiceField(label=_("Cost categories (budget rows)"), required=False,
                                                choices=CostCategory.choices, widget=forms.CheckboxSelectMultiple)
    financiers = forms.CharField(label=_("Financiers (budget rows, for co-financing)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One per line."))
    funder_row = forms.CharField(label=_("The financier row that is this funder's share"), required=False,
                                 help_text=_("Its total is the amount applied for. Leave empty to use the row named like the funder."))
    years = forms.IntegerField(label=_("Budget years"), required=False, min_value=1, max_value=10)
    minimum = forms.IntegerField(label=_("At least this many rows"), required=False, min_value=0, max_value=50)
    project_date = forms.ChoiceField(
        label=_("This date is"), required=False,
        choices=[("", _("just a date")), (Question.PROJECT_START, _("the start of the project")),
                 (Question.PROJECT_END, _("the end of the project"))],
        help_text=_("The project period is shown in decision letters."))
    identifying = forms.BooleanField(
        label=_("Identifies the applicant (hidden from the panel when the call hides who applied)"), required=False,
        help_text=_("For text, choice, file and R&D partner questions. A participants table always identifies the "
                    "applicant."))

    SETTINGS_BY_KIND = {
        K.SHORT_TEXT: ["max_chars", "identifying"],
        K.LONG_TEXT: ["max_chars", "max_words", "identifying"],
        K.NUMBER: ["min_value", "max_value"],
        K.AMOUNT: ["max_value"],
        K.SINGLE_CHOICE: ["choices", "identifying"],
        K.MULTIPLE_CHOICE: ["choices", "identifying"],
        K.FILE: ["allowed_types", "max_size_mb", "identifying"],
        K.BUDGET: ["cost_categories", "financiers", "funder_row", "years"],
        K.PARTICIPANTS: ["minimum"],
        K.PARTNERS: ["minimum", "identifying"],
        K.TIME_PLAN: ["minimum"],
        K.DATE: ["project_date"],
    }

    class Meta:
        model = Question
        fields = ["kind", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = dict(self.instance.settings or {})
        for name in ("choices", "financiers"):
            if name in stored:
                stored[name] = "\n".join(stored[name])
        for name, value in stored.items():
            self.initial.setdefault(name, value)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        settings = {}
        for name in self.SETTINGS_BY_KIND.get(kind, []):
            value = cleaned.get(name)
            if name in ("choices", "financiers"):
                value = split_lines(value)
            if value not in (None, "", []) and value is not False:  # an unticked box stores nothing
                settings[name] = float(value) if name in ("min_value", "max_value") else value
        if kind in (K.SINGLE_CHOICE, K.MULTIPLE_CHOICE) and len(settings.get("choices", [])) < 2:
            self.add_error("choices", _("Give at least two choices."))
        if kind == K.FILE and not settings.get("allowed_types"):
            self.add_error("allowed_types", _("Choose the file types applicants may upload."))
        if kind == K.BUDGET:
            if not settings.get("cost_categories") and not settings.get("financiers"):
                self.add_error("cost_categories", _("A budget needs cost categories or financiers as its rows."))
            settings.setdefault("years", 1)
            if settings.get("funder_row") and settings["funder_row"] not in settings.get("financiers", []):
                self.add_error("funder_row", _("Write the row exactly as in the list of financiers."))
        if settings.get("min_value") is not None and settings.get("max_value") is not None \
                and settings["min_value"] >= settings["max_value"]:
            self.add_error("max_value", _("The highest number must be above the lowest."))
        cleaned["settings"] = settings
        return cleaned

    def _post_clean(self):
        """Saved through question_save."""

    def question_fields(self):
        return {name: self.cleaned_data[name] for name in ("kind", "required", "label", "help_text", "settings")}
