"""Forms applicants fill in around the call's own form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import ApplicantProfile, Collaborator
from calls.models import ApplicationType


class StartForm(forms.Form):
    """Pick the type of application; a continuation or implementation names the earlier one."""

    application_type = forms.ChoiceField(label=_("Type of application"), widget=forms.RadioSelect)
    previous = forms.ModelChoiceField(label=_("Earlier application it continues"), queryset=None, required=False,
                                      help_text=_("For a continuation or implementation: its answers are copied in."))

    theme = forms.ChoiceField(label=_("Theme area"), required=False)

    def __init__(self, *args, call, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        if call.themes:
            self.fields["theme"].choices = [("", "—"), *[(theme, theme) for theme in call.themes]]
            self.fields["theme"].required = True
        else:
            del self.fields["theme"]
        self.fields["application_type"].choices = [(value, ApplicationType(value).label) for value in call.application_types]
        self.fields["application_type"].initial = call.application_types[0]
        self.fields["previous"].queryset = earlier
        if len(call.application_types) == 1:
            self.fields["application_type"].widget = forms.HiddenInput()
            del self.fields["previous"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    confidential_reason = forms.CharField(
        label=_("If the file contains trade secrets or other confidential information, say why"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Applications are public records; the funder judges secrecy under the Public Access to "
                    "Information and Secrecy Act."))


class CollaboratorForm(forms.ModelForm):
    class Meta:
        model = Collaborator
        fields = ["email", "access"]


class ManagerForm(forms.Form):
    manager_name = forms.CharField(label=_("Your manager's name"), max_length=200)
    manager_email = forms.EmailField(label=_("Your manager's email"))


class ManagerDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("I approve that the project may run and that its results will be taken care of in the organisation")),
        ("decline", _("I do not approve")),
    ])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    wants_reminders = forms.BooleanField(
        label=_("Send me reminders by email"), required=False,
        help_text=_("Reminders before deadlines and of reviews that are due. Receipts and decisions are always sent."))

    class Meta:
        model = ApplicantProfile
        fields = ["organisation", "unit", "sector", "phone", "gender"]


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("Why do you withdraw? (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(label=_("New deadline for this applicant"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
