"""Writes that belong to the portal as a whole: funders, their settings, and who holds which role."""

from collections.abc import Iterable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fundportal.audit import Kind as AuditKind
from fundportal.audit import audit_record
from fundportal.emails import email_send
from fundportal.links import absolute, personal_link
from fundportal.models import Funder, Membership, MembershipChange, Role, User, email_address
from fundportal.signals import membership_revoked
from fundportal.tenancy import scope
from fundportal.uploads import check_upload


@transaction.atomic
def funder_onboard(*, administrator_email: str, by: User, **fields: Any) -> Funder:
    """A new funder (its address name checked) with its first fund administrator, who is emailed a link to start."""
    funder = Funder(**fields)
    funder.full_clean()
    funder.save()
    with scope(funder=funder):
        membership_invite(funder=funder, email=administrator_email, role=Role.ADMINISTRATOR, by=by)
    return funder


def funder_settings_save(*, funder: Funder, logo: UploadedFile | None = None, **fields: Any) -> Funder:
    """The funder's name, look, language and time zone; a new logo is checked by size and content before it is stored."""
    if logo is not None:
        try:
            check_upload(logo, {"allowed_types": ["png", "jpg"], "max_size_mb": 1})
        except ValidationError as error:
            raise ValidationError({"logo": error.messages}) from error
    for name, value in fields.items():
        setattr(funder, name, value.strip() if isinstance(value, str) else value)
    funder.full_clean()
    if logo is not None:
        funder.logo.save(logo.name, logo, save=False)
    funder.save()
    return funder


def funder_letter_settings_save(*, funder: Funder, justification: str, signature: str, distribution: str) -> Funder:
    """What every decision letter of ``funder`` carries besides its wording."""
    if justification not in funder.Justification.values:
        raise ValidationError({"letter_justification": _("Unknown choice.")})
    funder.letter_justification, funder.letter_signature = justification, signature.strip()
    funder.letter_distribution = distribution.strip()
    funder.save(update_fields=["letter_justification", "letter_signature", "letter_distribution"])
    return funder


def membership_grant(*, funder: Funder, user: User, role: str) -> Membership:
    membership, _created = Membership.objects.get_or_create(funder=funder, user=user, role=role)
    return membership


@transaction.atomic
def membership_invite(*, funder: Funder, email: str, role: str, by: User) -> Membership:
    """Give ``email`` a role at ``funder`` and tell them by email. Refused if the role is held already.

    Only a person new to the portal gets an account here, and with it a link to choose a password (the address counts
    as verified: only its owner can use the link), made when the email is sent. Anyone who already has an account —
    even one without a password yet, made by another funder's invitation — is asked to sign in, so no funder can get
    a link into someone else's account."""
    email = email_address(email)
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if Membership.objects.filter(funder=funder, user=user, role=role).exists():
        raise ValidationError({"email": _("%(email)s already holds this role.") % {"email": email}})
    membership = Membership.objects.create(funder=funder, user=user, role=role)
    MembershipChange.objects.create(funder=funder, email=email, role=role, action=MembershipChange.Action.GRANTED, by=by)
    audit_record(kind=AuditKind.ROLE_GIVEN, actor=by, obj=membership, label=email, details={"email": email, "role": role})
    _tell_about_role(membership, new_account=created)
    return membership


def _sign_in_url(funder):
    return absolute(reverse("account_login") + f"?next=/{funder.slug}/dashboard/")


def _tell_about_role(membership, *, new_account):
    user, funder = membership.user, membership.funder
    url = personal_link("set-password", user.pk) if new_account else _sign_in_url(funder)
    language = user.language or funder.default_language
    email_send(funder=funder, kind="staff_invitation", recipient=user.email, language=language,
               occasion=f"role:{membership.pk}", values={"funder": funder.name, "url": url,
                                                          "role": lambda: Role(membership.role).label})


def set_password_url(*, funder, recipient, ref):
    """The personal link with which the person ``ref``, invited at ``recipient``, chooses a password; once they have
    one, the sign-in page."""
    user = User.objects.filter(pk=ref, email=recipient).first()
    if user is None:
        return None
    if user.has_usable_password():
        return _sign_in_url(funder)
    return absolute(reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}))


@transaction.atomic
def membership_revoke(*, membership: Membership, by: User) -> None:
    """Take a role away; the funder always keeps at least one administrator.

    Access ends at once: ``membership_revoked`` is sent so the apps end what the role gave (the review app closes
    a panel member's open assignments, so the applications go back to be assigned to someone else; reviews they
    submitted while they held the role stay in the ranking). The membership is locked first, so work being handed
    in at the same moment (a review) is either in before the role goes or refused.
    """
    membership = Membership.objects.select_for_update().select_related("user", "funder").filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError(_("This role has already been taken away."))
    if membership.role == Role.ADMINISTRATOR and not Membership.objects.filter(
            funder=membership.funder, role=Role.ADMINISTRATOR).exclude(pk=membership.pk).exists():
        raise ValidationError(_("The last fund administrator cannot be removed. Give someone else the role first."))
    MembershipChange.objects.create(funder=membership.funder, email=membership.user.email, role=membership.role,
                                    action=MembershipChange.Action.REVOKED, by=by)
    audit_record(kind=AuditKind.ROLE_TAKEN, actor=by, obj=membership, label=membership.user.email,
                 details={"email": membership.user.email, "role": membership.role})
    membership_revoked.send(sender=Membership, membership=membership)
    membership.delete()


def membership_set_expertise(*, membership: Membership, themes: Iterable[str]) -> Membership:
    """The theme areas a panel member knows; automatic assignment prefers them for applications of those themes."""
    membership.expertise = sorted(set(themes))
    membership.save(update_fields=["expertise"])
    return membership
