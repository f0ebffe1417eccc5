"""Forms of the assessment."""

from django import forms
from django.core.validators import MaxValueValidator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from applications.lifecycle import State
from calls.models import ApplicationType, Call, Period
from fundportal.models import Membership, Role, User
from fundportal.translated import translated
from review.models import Consensus, Decision, Review, Screening
from review.selectors import RankingFilter

MAX_POSITION = 32767  # the highest place in the order a position column stores


class QueueFilterForm(forms.Form):
    SORTS = [("-submitted_at", _("Newest first")), ("submitted_at", _("Oldest first")), ("title", _("Title")),
             ("case_number", _("Case number"))]
    search = forms.CharField(label=_("Search"), required=False, help_text=_("Title, case number or applicant."))
    call = forms.ModelChoiceField(label=_("Call"), queryset=None, required=False)
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, required=False)
    screener = forms.ModelChoiceField(label=_("Screener"), queryset=None, required=False)
    application_type = forms.ChoiceField(label=_("Type"), required=False,
                                         choices=[("", _("All types")), *ApplicationType.choices])
    theme = forms.ChoiceField(label=_("Theme area"), required=False)
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), (State.SUBMITTED, _("Not started")), (State.IN_REVIEW, _("Being screened")),
        (State.RETURNED, _("Returned for completion"))])
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        calls = Call.objects.filter(published_at__isnull=False).select_related("funder")
        self.fields["call"].queryset = calls
        themes = sorted({theme for themes in calls.values_list("themes", flat=True) for theme in themes or []})
        self.fields["theme"].choices = [("", _("All themes")), *[(theme, theme) for theme in themes]]
        self.fields["period"].queryset = Period.objects.filter(call__published_at__isnull=False).select_related("call__funder")
        self.fields["period"].label_from_instance = lambda period: f"{period.call} — {period}"
        screeners = Membership.objects.filter(role__in=(Role.SCREENER, Role.ADMINISTRATOR)).values_list("user_id", flat=True)
        self.fields["screener"].queryset = User.objects.filter(pk__in=screeners).order_by("email")

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {"search": data.get("search", ""), "call": data.get("call"), "period": data.get("period"),
                "screener": data.get("screener"),
                "application_type": data.get("application_type") or None, "state": data.get("state") or None,
                "theme": data.get("theme") or None,
                "sort": data.get("sort") or "-submitted_at"}


class ChecklistForm(forms.Form):
    """One result and comment per checklist item of the call."""

    def __init__(self, *args, items, screening=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        stored = screening.results if screening else {}
        for item in self.items:
            current = stored.get(str(item.pk), {})
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=translated(item.text, item.funder.default_language), choices=Screening.Result.choices,
                widget=forms.RadioSelect, required=False, initial=current.get("result"))
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment"), required=False, initial=current.get("comment", ""))

    def results(self):
        return {str(item.pk): (self.cleaned_data[f"result_{item.pk}"], self.cleaned_data[f"comment_{item.pk}"])
                for item in self.items if self.cleaned_data[f"result_{item.pk}"]}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect, choices=[
        ("pass", _("Passed to the next stage")), ("screen_out", _("Screened out")),
        ("return", _("Returned to the applicant for completion")),
        ("preliminary", _("Preliminary: relevant for a later round"))])
    reason = forms.CharField(label=_("Reason, for the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateTimeField(label=_("Completion due"), required=False,
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    sections = forms.TypedMultipleChoiceField(
        label=_("Parts to complete"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=_("When returning for completion: only these parts can then be changed. None chosen: the whole "
                    "application."))

    def __init__(self, *args, sections=(), language="sv", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(section.pk, translated(section.title, language)) for section in sections]


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(label=_("Reviewers per application"), min_value=1, max_value=10)
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_auto_%s", **kwargs)  # the page's other form has a "due" field too


class AssignForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, applications, reviewers, offered=None, **kwargs):
        """Any of ``applications`` is accepted; the list offers those ``offered`` (the page's), or all of them."""
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["reviewer"].queryset = reviewers
        if offered is not None:
            field = self.fields["application"]
            field.choices = [("", field.empty_label), *[(application.pk, field.label_from_instance(application))
                                                        for application in offered]]


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"), widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[("no", _("No, I can assess it impartially")), ("yes", _("Yes, I have a conflict of interest"))])
    note = forms.CharField(label=_("If yes, what is it?"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """A score and a comment per criterion, a recommendation and an overall comment."""

    def __init__(self, *args, call, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(call.criteria.all())
        stored = review.scores if review else {}
        language = call.funder.default_language
        for criterion in self.criteria:
            current = stored.get(str(criterion.pk), {})
            label = f"{translated(criterion.name, language)} ({criterion.weight} %)"
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=label, choices=self.scale(call, criterion, language), coerce=int, empty_value=None,
                required=False, initial=current.get("score"), help_text=translated(criterion.guidance, language))
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.get("comment", ""))
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Recommendation"), required=False, choices=[("", "—"), *Review.Recommendation.choices],
            initial=review.recommendation if review else "")
        self.fields["comment"] = forms.CharField(label=_("Overall comment"), required=False,
                                                 widget=forms.Textarea(attrs={"rows": 4}),
                                                 initial=review.comment if review else "")

    @staticmethod
    def scale(call, criterion, language):
        """The call's scale, each score with what it means for this criterion when the set-up says so."""
        anchors = criterion.score_guidance or {}
        return [("", "—")] + [
            (str(n), f"{n} — {translated(anchors[str(n)], language)}" if anchors.get(str(n)) else str(n))
            for n in range(call.score_min, call.score_max + 1)]

    def scores(self):
        return {str(c.pk): {"score": self.cleaned_data[f"score_{c.pk}"], "comment": self.cleaned_data[f"comment_{c.pk}"]}
                for c in self.criteria}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["outcome", "amount", "conditions", "account", "reason", "budget_override"]
        widgets = {"outcome": forms.RadioSelect, "conditions": forms.Textarea(attrs={"rows": 2}),
                   "reason": forms.Textarea(attrs={"rows": 3}), "budget_override": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Decision.Outcome.choices  # a radio list needs no empty "---------" choice

    def _post_clean(self):
        """Validated by decision_record."""


MOST_IN_BULK = 10_000  # more applications than a call holds, fewer than a query's parameters may be on SQLite


class BulkDecisionForm(forms.ModelForm):
    """The confirmation of a bulk decision: the applications the administrator was shown (their ids, in one field
    however many they are) and, as for a single decision, the justification the applicants read."""

    applications = forms.CharField(widget=forms.HiddenInput, max_length=20 * MOST_IN_BULK)

    class Meta:
        model = Decision
        fields = ["reason"]
        widgets = {"reason": DecisionForm.Meta.widgets["reason"]}

    def clean_applications(self):
        ids = self.cleaned_data["applications"].split(",")
        if len(ids) > MOST_IN_BULK or not all(pk.isascii() and pk.isdigit() and len(pk) <= 18 for pk in ids):
            raise forms.ValidationError(_("The list of applications is damaged. Open this page again from the ranking."))
        return [int(pk) for pk in ids]

    def _post_clean(self):
        """Validated by decisions_record_in_bulk."""


class ConsensusForm(forms.ModelForm):
    class Meta:
        model = Consensus
        fields = ["score", "comment", "position"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].max_value = MAX_POSITION
        self.fields["position"].validators.append(MaxValueValidator(MAX_POSITION))
        self.fields["position"].widget.attrs["max"] = MAX_POSITION

    def _post_clean(self):
        """Validated by consensus_record."""


def chosen_period(call, value):
    """The call's period named by ``value`` (a period id from a query or a form); None for the whole call.

    Anything that is not one of the call's periods (``abc``, ``1.5``, a huge number, another call's period) is
    refused with 404.
    """
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return get_object_or_404(call.periods, pk=int(value))


class QueryFilterForm(forms.Form):
    """A page's search, filters and order read from the query string, where a refused value counts as unset."""

    defaults = {}  # values the page applies when the query names none

    @classmethod
    def reading(cls, query, **kwargs):
        """The form bound to ``query`` without the values it refuses: it shows, and the page applies, their default."""
        asked = cls(query, **kwargs)
        kept = query.copy()
        for name in asked.errors:
            kept.pop(name, None)
        for name, value in cls.defaults.items():
            kept.setdefault(name, value)
        return cls(kept, **kwargs)


class RankingFilterForm(QueryFilterForm):
    """The ranking's search, filters and order, read from the query string; a value it does not know counts as
    unset (the whole call, the ranking's order)."""

    defaults = {"sort": "rank"}
    q = forms.CharField(label=_("Title or case number"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme area"), required=False)
    application_type = forms.ChoiceField(label=_("Application type"), required=False,
                                         choices=[("", _("All types")), *ApplicationType.choices])
    recommendation = forms.ChoiceField(label=_("A reviewer recommends"), required=False,
                                       choices=[("", _("Any recommendation")), *Review.Recommendation.choices])
    disagreement = forms.TypedChoiceField(
        label=_("Disagreement"), required=False, coerce=lambda value: value == "yes", empty_value=None,
        choices=[("", _("With or without")), ("yes", _("Only with disagreement")), ("no", _("Only without"))])
    decided = forms.TypedChoiceField(
        label=_("Decision"), required=False, coerce=lambda value: value == "yes", empty_value=None,
        choices=[("", _("Decided or not")), ("yes", _("Decided")), ("no", _("Not decided yet"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, themes, sorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All theme areas")), *[(theme, theme) for theme in themes]]
        self.fields["sort"].choices = list(sorts.items())
        for bound in self:
            bound.field.widget.attrs["class"] = "form-control" if bound.name == "q" else "form-select"

    def chosen(self, period):
        """The filter and the order asked for."""
        values = self.cleaned_data if self.is_valid() else {}
        chosen = RankingFilter(period=period, theme=values.get("theme", ""),
                               application_type=values.get("application_type", ""),
                               recommendation=values.get("recommendation", ""),
                               disagreement=values.get("disagreement"), decided=values.get("decided"),
                               search=values.get("q", ""))
        return chosen, values.get("sort") or "rank"


class AssignmentsFilterForm(QueryFilterForm):
    """The assignments page's search, filters and order, read from the query string; a value it does not know
    counts as unset (every application at a panel stage, by case number)."""

    q = forms.CharField(label=_("Case number, title or applicant"), required=False, max_length=200)
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, required=False, empty_label=_("All periods"))
    theme = forms.ChoiceField(label=_("Theme area"), required=False)
    coverage = forms.ChoiceField(label=_("Reviewers"), required=False, choices=[
        ("", _("Any number")), ("needs", _("Needs reviewers")), ("full", _("Fully assigned"))])
    reviewer = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, required=False,
                                      empty_label=_("Anyone"))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("case", _("Case number")), ("fewest", _("Fewest reviewers first")), ("submitted", _("Submitted, oldest first"))])

    def __init__(self, *args, call, reviewers, **kwargs):
        super().__init__(*args, auto_id="id_filter_%s", **kwargs)  # the page's assign form has a "reviewer" too
        self.fields["period"].queryset = call.periods.all()
        self.fields["theme"].choices = [("", _("All theme areas")), *[(theme, theme) for theme in call.themes or []]]
        self.fields["reviewer"].queryset = reviewers
        for bound in self:
            bound.field.widget.attrs["class"] = "form-control" if bound.name == "q" else "form-select"

    def chosen(self):
        """The keyword arguments of ``applications_with_reviewers`` asked for."""
        values = self.cleaned_data if self.is_valid() else {}
        return {"search": values.get("q", ""), "period": values.get("period"), "theme": values.get("theme", ""),
                "coverage": values.get("coverage", ""), "reviewer": values.get("reviewer"),
                "sort": values.get("sort") or "case"}

    def narrows(self):
        """Whether a search or a filter leaves applications out (an order does not)."""
        return any(value for name, value in self.chosen().items() if name != "sort")
