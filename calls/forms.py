"""Forms for finding, subscribing to and setting up calls."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from calls.models import (
    ApplicationType, Call, ChecklistItem, CostCategory, Criterion, EligibilityQuestion, Fund, Period, Stage,
)
from calls.validation import validate_periods, validate_weights
from fundportal.forms import TranslatedFieldsMixin, split_lines
from fundportal.translated import translated


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254, help_text=_("We email you a link to confirm."))


class CallForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("title", "summary", "description", "who_may_apply", "what_is_funded", "contact")
    required_translations = ("title",)
    long_translations = ("summary", "description", "who_may_apply", "what_is_funded", "contact")

    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None)  # the active funder's, set per form
    application_types = forms.MultipleChoiceField(
        label=_("Application types"), choices=ApplicationType.choices, widget=forms.CheckboxSelectMultiple
    )
    eligible_cost_categories = forms.MultipleChoiceField(
        label=_("Eligible cost categories"), choices=CostCategory.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    themes = forms.CharField(
        label=_("Theme areas"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One per line.")
    )

    class Meta:
        model = Call
        fields = ["fund", "slug", "budget", "currency", "application_types", "themes", "eligible_cost_categories",
                  "requires_manager_approval", "reminder_days", "score_min", "score_max", "reviewers_per_application",
                  "reviews_visible_after_own", "anonymous_to_panel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.all()
        if not isinstance(self.initial.get("themes"), str):  # the stored list, one theme a line
            self.initial["themes"] = "\n".join(self.initial.get("themes") or [])
        for name in self.OPTIONAL_WITH_DEFAULT:
            self.fields[name].required = False
        for name, highest in self.HIGHEST.items():
            self.fields[name].max_value = highest
            self.fields[name].validators.append(MaxValueValidator(highest))
            self.fields[name].widget.attrs["max"] = highest
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("The address of a call does not change once it exists.")

    OPTIONAL_WITH_DEFAULT = ("reviewers_per_application", "reminder_days")  # left empty: the model's default
    HIGHEST = {"reminder_days": 365, "score_min": 100, "score_max": 100, "reviewers_per_application": 50}

    def clean(self):
        cleaned = super().clean()
        for name in self.OPTIONAL_WITH_DEFAULT:
            if cleaned.get(name) in (None, ""):
                cleaned[name] = Call._meta.get_field(name).default
        return cleaned

    def clean_themes(self):
        return split_lines(self.cleaned_data["themes"])

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Call.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another call already uses this address."))
        return slug

    def _post_clean(self):
        """Validation happens in the services; the form only collects the values."""

    def call_fields(self):
        """The cleaned values for ``call_create`` / ``call_update``; a disabled field (the slug once set) is left out."""
        names = [*self._meta.fields, *self.translated_fields]
        return {name: self.cleaned_data[name] for name in names
                if name not in self.fields or not self.fields[name].disabled}


class CopyCallForm(forms.Form):
    slug = forms.SlugField(label=_("Address name of the new call"))
    title = forms.CharField(label=_("Title of the new call"), max_length=300)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Call.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another call already uses this address."))
        return slug


EXTRA_ROWS = 2  # empty rows below the stored ones; the page's "Add a row" adds more
MAX_ROWS = 100  # a forged row count builds no more than this many rows


def kept_rows(formset, names):
    """The rows a set-up formset keeps, in order: the ``names`` values and the ``id`` of the stored row, if any."""
    return [{"id": form.instance.pk, **{name: form.cleaned_data.get(name) for name in names}}
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def setup_formset(model, form, formset):
    return forms.modelformset_factory(model, form=form, formset=formset, extra=EXTRA_ROWS, can_delete=True,
                                      max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)


class PeriodForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("name",)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = Period
        fields = ["opens_at", "closes_at", "decision_by", "decision_week"]
        widgets = {"decision_by": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("opens_at") and cleaned.get("closes_at") and cleaned["closes_at"] <= cleaned["opens_at"]:
            self.add_error("closes_at", _("A period must close after it opens."))
        week = cleaned.get("decision_week")
        if week is not None and not 1 <= week <= 53:
            self.add_error("decision_week", _("A week number is between 1 and 53."))
        return cleaned

    def _post_clean(self):
        """Saved through call_set_periods."""


class BasePeriodFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            validate_periods([(period["opens_at"], period["closes_at"]) for period in self.periods()])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def periods(self):
        return kept_rows(self, ("name", "opens_at", "closes_at", "decision_by", "decision_week"))


PeriodFormSet = setup_formset(Period, PeriodForm, BasePeriodFormSet)


class CriterionForm(TranslatedFieldsMixin, forms.ModelForm):
    """A criterion, its weight, guidance for reviewers and what each score means (per language, one line a score)."""

    translated_fields = ("name", "guidance")
    required_translations = ("name",)
    long_translations = ("guidance",)

    class Meta:
        model = Criterion
        fields = ["weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anchors = self.instance.score_guidance or {}
        for code, language in settings.LANGUAGES:
            lines = [f"{score}: {anchors[score][code]}" for score in sorted(anchors, key=int) if anchors[score].get(code)]
            self.fields[f"score_guidance_{code}"] = forms.CharField(
                label=_("What each score means (%(language)s)") % {"language": language}, required=False,
                initial="\n".join(lines), widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One line a score, e.g. “7: An outstanding, well-documented need”."))

    def clean(self):
        cleaned = super().clean()
        anchors = {}
        for code, _language in settings.LANGUAGES:
            for line in split_lines(cleaned.get(f"score_guidance_{code}")):
                score, colon, meaning = line.partition(":")
                if not (colon and score.strip().isdecimal() and meaning.strip()):
                    self.add_error(f"score_guidance_{code}",
                                   _("Write each line as a score, a colon and what it means, e.g. “7: Outstanding”."))
                    break
                anchors.setdefault(str(int(score)), {})[code] = meaning.strip()
        cleaned["score_guidance"] = anchors
        return cleaned


class BaseCriterionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            validate_weights([criterion["weight"] for criterion in self.criteria()])
        except ValidationError as error:
            raise ValidationError(error.messages) from error

    def criteria(self):
        return kept_rows(self, ("name", "weight", "guidance", "score_guidance"))


CriterionFormSet = setup_formset(Criterion, CriterionForm, BaseCriterionFormSet)


class EligibilityQuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("text", "reason_if_not")
    required_translations = ("text", "reason_if_not")
    long_translations = ("reason_if_not",)
    translation_labels = {"text": _("Question"), "reason_if_not": _("Reason shown when the answer makes one ineligible")}

    class Meta:
        model = EligibilityQuestion
        fields = ["eligible_answer"]
        labels = {"eligible_answer": _("Answering “yes” makes one eligible")}


class BaseEligibilityFormSet(forms.BaseModelFormSet):
    def questions(self):
        return kept_rows(self, ("text", "reason_if_not", "eligible_answer"))


EligibilityFormSet = setup_formset(EligibilityQuestion, EligibilityQuestionForm, BaseEligibilityFormSet)


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["kind", "name"]


class BaseStageFormSet(forms.BaseModelFormSet):
    def stages(self):
        return kept_rows(self, ("kind", "name"))


StageFormSet = setup_formset(Stage, StageForm, BaseStageFormSet)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityCheckForm(forms.Form):
    """The call's eligibility questions, each answered yes or no."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"e{question.pk}"] = forms.ChoiceField(
                label=translated(question.text, question.funder.default_language), choices=YES_NO,
                widget=forms.RadioSelect,
            )

    def reasons_not_eligible(self):
        """The reason of every question answered the wrong way; empty when the applicant may apply."""
        return [
            translated(question.reason_if_not, question.funder.default_language)
            for question in self.questions
            if (self.cleaned_data[f"e{question.pk}"] == "yes") != question.eligible_answer
        ]


class ChecklistItemForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("text",)
    required_translations = ("text",)

    class Meta:
        model = ChecklistItem
        fields = []


class BaseChecklistFormSet(forms.BaseModelFormSet):
    def items(self):
        return kept_rows(self, ("text",))


ChecklistFormSet = setup_formset(ChecklistItem, ChecklistItemForm, BaseChecklistFormSet)
