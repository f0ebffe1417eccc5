"""The audit trail: who did and saw what, when, from which address — written by the actions themselves.

Every action the trail records calls :func:`audit_record` once, inside its own transaction, so the event is stored
exactly when the change is (and rolled back with it). The row is append-only (``fundportal.models.AuditEvent``).

The client's address is the real one behind the proxy: :class:`ClientAddressMiddleware` reads it once per request
with allauth's ``get_client_ip`` (which honours ``ALLAUTH_TRUSTED_PROXY_COUNT`` / ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER``)
into a context variable, so services record it without being handed the request. Celery tasks record no address.

What happens outside a funder — a sign-in, a failed sign-in — goes into the trail of every funder where the person
holds a role; with no role anywhere, into one row without a funder that only operators read (see ``AuditEvent``).

The core knows no app: an app tells it how to say its kinds of event in a sentence (:func:`register_sentence`) and
where its objects are shown (:func:`register_link`), in its ``audit`` module, found when the apps are ready.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from allauth.account.adapter import get_adapter
from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fundportal.models import AuditEvent, Membership, Role, User, email_address
from fundportal.tenancy import active_funder, scopes_disabled

Kind = AuditEvent.Kind
_client_address = ContextVar("audit_client_address", default=None)


class ClientAddressMiddleware:
    """Keep the request's real client address for the audit events its actions record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            address = get_adapter(request).get_client_ip(request)
        except (PermissionDenied, ImproperlyConfigured):  # no address, or a proxy header shorter than configured
            address = None
        token = _client_address.set(address)
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


def client_address():
    """The address of the request being answered, or None (a task, a command)."""
    return _client_address.get()


def audit_record(*, kind: str, actor: User | None, obj=None, label: str = "", application_id: int | None = None,
                 details: dict | None = None) -> AuditEvent:
    """Record one event of ``kind`` done by ``actor`` (None: the portal itself) to ``obj`` (a model instance, or
    None), in the trail of the object's funder, else the active one. ``label`` names the object as a person reads it
    (default: ``str(obj)``); ``application_id`` puts the event in that application's trail too."""
    funder_id = getattr(obj, "funder_id", None) or getattr(active_funder(), "pk", None)
    return AuditEvent.objects.create(
        funder_id=funder_id, kind=kind, actor=actor, actor_email=actor.email if actor else "",
        object_type=obj._meta.label_lower if obj is not None else "", object_id=str(obj.pk) if obj is not None else "",
        object_label=str(label or (obj if obj is not None else ""))[:300], application_id=application_id,
        details=details or {}, address=client_address())


def audit_record_everywhere(*, kind: str, actor: User | None, email: str = "") -> None:
    """Record an event that happens outside any funder once in the trail of every funder where the person holds a
    role; with no role anywhere (or no account: ``email`` is the address tried), once without a funder."""
    funder_ids = []
    if actor is not None:
        email = actor.email
        with scopes_disabled():
            funder_ids = sorted(set(Membership.objects.filter(user=actor).values_list("funder_id", flat=True)))
    with scopes_disabled():
        AuditEvent.objects.bulk_create([
            AuditEvent(funder_id=funder_id, kind=kind, actor=actor, actor_email=email_address(email)[:254],
                       address=client_address()) for funder_id in funder_ids or [None]])


def record_sign_in(sender, request, user, **kwargs):
    """django.contrib.auth's ``user_logged_in``: every sign-in, by password, code, passkey or e-ID."""
    audit_record_everywhere(kind=Kind.SIGNED_IN, actor=user)


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    """django.contrib.auth's ``user_login_failed``: the address tried, and the account if there is one."""
    email = email_address(str(credentials.get("email") or credentials.get("username") or ""))
    actor = User.objects.filter(email=email).first() if email else None
    audit_record_everywhere(kind=Kind.SIGN_IN_FAILED, actor=actor, email=email)


# --- How a person reads an event -------------------------------------------------------------------------------

SENTENCES: dict[str, Callable[[dict], str]] = {}  # kind -> details -> the sentence that says what happened
LINKS: dict[str, "ObjectLink"] = {}  # object type -> where such an object is shown


@dataclass(frozen=True)
class ObjectLink:
    model: type  # its model (funder-owned: only the active funder's objects are found)
    url: Callable  # (funder_slug, the object) -> the address of its page


def register_sentence(kind, sentence):
    """Say events of ``kind`` as ``sentence(details)`` (translated when called)."""
    SENTENCES[kind] = sentence


APPLICATIONS = "application"  # the key in LINKS of the link for an event's application


def register_link(object_type, *, model, url, of_applications=False):
    """Link events about objects of ``object_type`` (a model label, lower case) to ``url(funder_slug, object)``;
    ``of_applications``: the model is the application, and events about objects without a page of their own (a
    decision, an assignment) link to their application."""
    LINKS[object_type] = ObjectLink(model=model, url=url)
    if of_applications:
        LINKS[APPLICATIONS] = LINKS[object_type]


def described(event) -> str:
    """What happened, in a sentence in the reader's language: the kind's own sentence, else its label."""
    sentence = SENTENCES.get(event.kind)
    try:
        return sentence(event.details or {}) if sentence else Kind(event.kind).label
    except (KeyError, ValueError, TypeError):  # details of an older shape: the label still says what happened
        return str(Kind(event.kind).label) if event.kind in Kind.values else event.kind


def with_links(events: Iterable[AuditEvent], funder_slug: str) -> list[AuditEvent]:
    """The events, each with ``sentence`` and ``link`` (None when its object is gone or has no page): one query per
    type of object on the page, whatever the number of events."""
    events = list(events)
    keys = {event: _link_key(event) for event in events}
    wanted = {}
    for object_type, object_id in filter(None, keys.values()):
        wanted.setdefault(object_type, set()).add(int(object_id))
    existing = {(object_type, str(obj.pk)): LINKS[object_type].url(funder_slug, obj)
                for object_type, ids in wanted.items() for obj in LINKS[object_type].model.objects.filter(pk__in=ids)}
    for event in events:
        event.sentence = described(event)
        event.link = existing.get(keys[event])
    return events


def _link_key(event):
    """(type, id) of what the event links to: its object where that has a page, else its application."""
    if event.object_type in LINKS and event.object_id.isdigit():
        return event.object_type, event.object_id
    if event.application_id is not None and APPLICATIONS in LINKS:
        return APPLICATIONS, str(event.application_id)
    return None


# --- The trail, filtered --------------------------------------------------------------------------------------

def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditFilterForm(forms.Form):
    """The trail's filters, read from the query string; a filter that is not understood is left out (and said)."""

    email = forms.CharField(label=gettext_lazy("Person (email)"), required=False, max_length=254,
                            widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))
    kind = forms.ChoiceField(label=gettext_lazy("What"), required=False,
                             choices=[("", gettext_lazy("Everything")), *Kind.choices],
                             widget=forms.Select(attrs={"class": "form-select"}))
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}))

    def filters(self):
        """The filters understood, as ``audit_trail`` takes them."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def audit_trail(*, email: str = "", kind: str = "", since: date | None = None, until: date | None = None,
                application_id: int | None = None):
    """The active funder's events, newest first: by person (email), kind, local dates from/to and application."""
    events = AuditEvent.objects.all()
    if application_id is not None:
        events = events.filter(application_id=application_id)
    if email:
        events = events.filter(actor_email=email_address(email))
    if kind:
        events = events.filter(kind=kind)
    if since and since > date.min:  # (the first day ever would begin before year 1 in UTC)
        events = events.filter(at__gte=_day_start(since))
    if until and until < date.max:
        events = events.filter(at__lt=_day_start(until + timedelta(days=1)))
    return events.newest_first()


# The sentences of the core's own kinds.
def _role(details):
    return Role(details["role"]).label


register_sentence(Kind.ROLE_GIVEN, lambda details: _("Gave the role %(role)s to %(email)s")
                  % {"role": _role(details), "email": details["email"]})
register_sentence(Kind.ROLE_TAKEN, lambda details: _("Took the role %(role)s from %(email)s")
                  % {"role": _role(details), "email": details["email"]})


def _exported(details):
    values = {"title": details["title"], "format": details["extension"].upper(), "rows": details.get("rows")}
    if values["rows"] is None:
        return _("Asked for the export “%(title)s” as %(format)s, written in the background") % values
    return ngettext("Exported “%(title)s” as %(format)s (%(rows)d row)",
                    "Exported “%(title)s” as %(format)s (%(rows)d rows)", values["rows"]) % values


register_sentence(Kind.EXPORTED, _exported)
register_sentence(Kind.EXPORT_DOWNLOADED, lambda details: _("Downloaded the export “%(title)s”")
                  % {"title": details["title"]})
register_sentence(Kind.SIGN_IN_FAILED, lambda details: _("Failed sign-in: wrong password or unknown address"))
