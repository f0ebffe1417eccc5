"""Writes that belong to the portal as a whole: memberships and the email outbox."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fundportal.models import Membership, MembershipChange, OutboxEmail, Role, User


def email_html(*, funder, subject, body):
    """The funder's HTML layout around a plain-text body (the text part is sent too)."""
    from django.template.loader import render_to_string

    return render_to_string("emails/layout.html", {"funder": funder, "subject": subject, "body": body})


def email_queue(*, funder, recipient, subject, body, kind, occasion, html=None, attachment=None, draft=False, batch=""):
    """Store an email for ``occasion`` (once) and queue its sending after commit.

    ``attachment`` is an optional (file name, PDF bytes) pair, stored with the
    email. A ``draft`` waits in the outbox until ``outbox_send``. Returns the
    outbox row; asking again for the same occasion returns the first row and
    queues nothing.
    """
    from django.core.files.base import ContentFile

    from fundportal.tasks import send_outbox_email

    if html is None:
        html = email_html(funder=funder, subject=subject, body=body)
    email, created = OutboxEmail.objects.get_or_create(
        funder=funder,
        occasion=occasion,
        defaults={"recipient": recipient, "subject": subject, "body": body, "html": html, "kind": kind, "batch": batch,
                  "status": OutboxEmail.Status.DRAFT if draft else OutboxEmail.Status.PENDING},
    )
    if created and attachment:
        name, content = attachment
        email.attachment_name = name
        email.attachment.save(name, ContentFile(content), save=False)
        email.save(update_fields=["attachment", "attachment_name"])
    if created and not draft:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return email


def outbox_send(*, emails):
    """Send drafts (and retry failed emails): each becomes pending and is handed to a Celery task."""
    from fundportal.tasks import send_outbox_email

    sendable = [email for email in emails if email.may_be_sent]
    OutboxEmail.objects.filter(pk__in=[email.pk for email in sendable]).update(status=OutboxEmail.Status.PENDING)
    for email in sendable:
        send_outbox_email.enqueue(email.funder, email_id=email.pk)
    return len(sendable)


def _outbox_move(email, *, from_status, to_status, refusal):
    if email.status != from_status:
        raise ValidationError(refusal)
    email.status = to_status
    email.save(update_fields=["status"])
    return email


def outbox_withhold(*, email):
    """Keep a draft from being sent (e.g. to an applicant told by phone); ``outbox_restore`` undoes it."""
    return _outbox_move(email, from_status=OutboxEmail.Status.DRAFT, to_status=OutboxEmail.Status.WITHHELD,
                        refusal=_("Only a draft can be withheld."))


def outbox_restore(*, email):
    """A withheld email becomes a draft again, to be checked and sent."""
    return _outbox_move(email, from_status=OutboxEmail.Status.WITHHELD, to_status=OutboxEmail.Status.DRAFT,
                        refusal=_("Only a withheld email can become a draft again."))


def outbox_edit(*, email, subject, body):
    if email.status != OutboxEmail.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed; this email is already on its way."))
    email.subject, email.body = subject.strip(), body
    email.html = email_html(funder=email.funder, subject=email.subject, body=body)
    email.save(update_fields=["subject", "body", "html"])
    return email


@transaction.atomic
def funder_onboard(*, administrator_email, by, **fields):
    """A new funder (its address name checked) with its first fund administrator, who is emailed a link to start."""
    from fundportal.models import Funder
    from fundportal.tenancy import scope

    funder = Funder(**fields)
    funder.full_clean()
    funder.save()
    with scope(funder=funder):
        membership_invite(funder=funder, email=administrator_email, role=Role.ADMINISTRATOR, by=by)
    return funder


def funder_settings_save(*, funder, logo=None, **fields):
    """The funder's name, look, language and time zone; a new logo is checked by size and content before it is stored."""
    from applications.uploads import check_upload

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


def funder_letter_settings_save(*, funder, justification, signature, distribution):
    """What every decision letter of ``funder`` carries besides its wording."""
    if justification not in funder.Justification.values:
        raise ValidationError({"letter_justification": "Unknown choice."})
    funder.letter_justification, funder.letter_signature = justification, signature.strip()
    funder.letter_distribution = distribution.strip()
    funder.save(update_fields=["letter_justification", "letter_signature", "letter_distribution"])
    return funder


def membership_grant(*, funder, user, role):
    membership, _created = Membership.objects.get_or_create(funder=funder, user=user, role=role)
    return membership


@transaction.atomic
def membership_invite(*, funder, email, role, by):
    """Give ``email`` a role at ``funder`` and tell them by email. Refused if the role is held already.

    Only a person new to the portal gets an account here, and with it a link to choose a password (the address counts
    as verified: only its owner can use the link), made when the email is sent. Anyone who already has an account —
    even one without a password yet, made by another funder's invitation — is asked to sign in, so no funder can get
    a link into someone else's account."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if Membership.objects.filter(funder=funder, user=user, role=role).exists():
        raise ValidationError({"email": _("%(email)s already holds this role.") % {"email": email}})
    membership = Membership.objects.create(funder=funder, user=user, role=role)
    MembershipChange.objects.create(funder=funder, email=email, role=role, action=MembershipChange.Action.GRANTED, by=by)
    _tell_about_role(membership, new_account=created)
    return membership


def _sign_in_url(funder):
    from django.urls import reverse

    from calls.notices import absolute

    return absolute(reverse("account_login") + f"?next=/{funder.slug}/dashboard/")


def _tell_about_role(membership, *, new_account):
    from fundportal.emails import email_send
    from fundportal.links import personal_link

    user, funder = membership.user, membership.funder
    url = personal_link("set-password", user.pk) if new_account else _sign_in_url(funder)
    language = user.language or funder.default_language
    email_send(funder=funder, kind="staff_invitation", recipient=user.email, language=language,
               occasion=f"role:{membership.pk}", values={"funder": funder.name, "url": url,
                                                          "role": lambda: Role(membership.role).label})


def set_password_url(*, funder, recipient, ref):
    """The personal link with which the person ``ref``, invited at ``recipient``, chooses a password; once they have
    one, the sign-in page."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    from calls.notices import absolute

    user = User.objects.filter(pk=ref, email=recipient).first()
    if user is None:
        return None
    if user.has_usable_password():
        return _sign_in_url(funder)
    return absolute(reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}))


@transaction.atomic
def membership_revoke(*, membership, by):
    """Take a role away; the funder always keeps at least one administrator.

    Access ends at once: a panel member's open assignments (no review submitted yet) are closed, so the applications
    go back to be assigned to someone else; reviews they submitted while they held the role stay in the ranking.
    The membership is locked first, so a review being submitted at the same moment is either in before the role
    goes or refused.
    """
    from review.services import assignments_close_open

    membership = Membership.objects.select_for_update().select_related("user", "funder").filter(pk=membership.pk).first()
    if membership is None:
        raise ValidationError(_("This role has already been taken away."))
    if membership.role == Role.ADMINISTRATOR and not Membership.objects.filter(
            funder=membership.funder, role=Role.ADMINISTRATOR).exclude(pk=membership.pk).exists():
        raise ValidationError(_("The last fund administrator cannot be removed. Give someone else the role first."))
    MembershipChange.objects.create(funder=membership.funder, email=membership.user.email, role=membership.role,
                                    action=MembershipChange.Action.REVOKED, by=by)
    if membership.role == Role.PANEL_MEMBER:
        assignments_close_open(reviewer=membership.user)
    membership.delete()


def membership_set_expertise(*, membership, themes):
    """The theme areas a panel member knows; automatic assignment prefers them for applications of those themes."""
    membership.expertise = sorted(set(themes))
    membership.save(update_fields=["expertise"])
    return membership


def outbox_requeue_stuck(*, funder, older_than):
    """Hand emails still pending after ``older_than`` to Celery again (e.g. after a worker died mid-batch).

    Sending is idempotent: a task that finds its email already sent does nothing, so nothing goes out twice.
    """
    from django.utils import timezone

    from fundportal.tasks import send_outbox_email

    stuck = list(OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created__lte=timezone.now() - older_than))
    for email in stuck:
        send_outbox_email.enqueue(funder, email_id=email.pk)
    return len(stuck)
