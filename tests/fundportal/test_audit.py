"""The audit trail: each action writes one event, with who, what and the real client address; nobody can change or
remove an event; each funder reads its own trail, filtered and exported."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fundportal.audit import audit_record
from fundportal.models import AuditEvent, Membership, Role
from fundportal.services import membership_invite, membership_revoke
from fundportal.tenancy import scope, scopes_disabled
from tests.factories import UserFactory, staff
from tests.review.test_exports import sheet_text

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind
PROXY = {"HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.2", "REMOTE_ADDR": "10.0.0.1"}


@pytest.fixture
def behind_the_proxy(settings):
    """As deployed: nginx in front, which appends the client's address to X-Forwarded-For (deploy/nginx.conf)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # the client's address is the second from the right


def events(funder, **filters):
    with scope(funder=funder):
        return list(AuditEvent.objects.filter(**filters))


def everywhere(**filters):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters).order_by("funder_id"))


def test_giving_a_role_records_who_gave_it_to_whom_and_from_where(client, funder, behind_the_proxy):
    admin = staff(funder, Role.ADMINISTRATOR, user__email="admin@rs.example")
    client.force_login(admin)
    client.post(reverse("people", args=[funder.slug]), {"email": "Ny@RS.example", "role": Role.SCREENER}, **PROXY)
    [event] = events(funder, kind=Kind.ROLE_GIVEN)
    assert (event.actor, event.actor_email, event.address) == (admin, "admin@rs.example", "203.0.113.7")
    assert event.details == {"email": "ny@rs.example", "role": Role.SCREENER}
    assert event.object_label == "ny@rs.example"


def test_taking_a_role_away_is_recorded_once(funder):
    admin, screener = staff(funder), staff(funder, Role.SCREENER, user__email="gone@rs.example")
    with scope(funder=funder):
        membership_revoke(membership=Membership.objects.get(user=screener), by=admin)
    [event] = events(funder, kind=Kind.ROLE_TAKEN)
    assert event.actor == admin and event.details == {"email": "gone@rs.example", "role": Role.SCREENER}
    assert event.address is None  # no request: a command or a task has no client


def test_a_refused_action_leaves_no_event(funder):
    admin = staff(funder)
    with scope(funder=funder):
        membership_invite(funder=funder, email="x@rs.example", role=Role.SCREENER, by=admin)
        with pytest.raises(Exception):
            membership_invite(funder=funder, email="x@rs.example", role=Role.SCREENER, by=admin)
    assert len(events(funder, kind=Kind.ROLE_GIVEN)) == 1


def test_a_sign_in_goes_into_the_trail_of_every_funder_where_the_person_holds_a_role(client, funder, other_funder,
                                                                                     behind_the_proxy):
    person = staff(funder, Role.SCREENER, user__email="both@example.se")
    Membership.objects.create(funder=other_funder, user=person, role=Role.PANEL_MEMBER)
    person.set_password("a long enough password")
    person.save()
    client.post(reverse("account_login"), {"login": "both@example.se", "password": "a long enough password"}, **PROXY)
    signed_in = everywhere(kind=Kind.SIGNED_IN)
    assert [event.funder_id for event in signed_in] == sorted([funder.pk, other_funder.pk])
    assert {(event.actor_id, event.address) for event in signed_in} == {(person.pk, "203.0.113.7")}


def test_a_failed_sign_in_is_recorded_for_the_persons_funders_and_an_unknown_address_for_the_operators(
        client, funder, behind_the_proxy):
    person = staff(funder, Role.SCREENER, user__email="known@example.se")
    client.post(reverse("account_login"), {"login": "known@example.se", "password": "wrong"}, **PROXY)
    client.post(reverse("account_login"), {"login": "Nobody@Example.se", "password": "wrong"}, **PROXY)
    [known] = events(funder, kind=Kind.SIGN_IN_FAILED)
    assert (known.actor, known.actor_email, known.address) == (person, "known@example.se", "203.0.113.7")
    [unknown] = everywhere(kind=Kind.SIGN_IN_FAILED, funder=None)
    assert (unknown.actor, unknown.actor_email) == (None, "nobody@example.se")


def test_an_applicants_sign_in_is_kept_without_a_funder(client, funder):
    applicant = UserFactory(email="sokande@example.se")
    client.force_login(applicant)
    [event] = everywhere(kind=Kind.SIGNED_IN, actor=applicant)
    assert event.funder_id is None and events(funder) == []


def test_the_address_is_the_connections_own_without_a_trusted_proxy(client, funder, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    client.force_login(staff(funder, user__email="admin@rs.example"))
    client.post(reverse("people", args=[funder.slug]), {"email": "ny@rs.example", "role": Role.SCREENER}, **PROXY)
    assert events(funder, kind=Kind.ROLE_GIVEN)[0].address == "10.0.0.1"  # a forged header is not believed


# --- Append-only ---------------------------------------------------------------------------------------------

@pytest.fixture
def recorded(funder):
    with scope(funder=funder):
        return audit_record(kind=Kind.ROLE_GIVEN, actor=staff(funder), details={"email": "a@b.se", "role": "screener"})


def test_an_event_cannot_be_saved_again(funder, recorded):
    recorded.details = {"email": "someone-else@b.se", "role": "screener"}
    with pytest.raises(AuditEvent.Immutable):
        recorded.save()
    assert events(funder)[0].details["email"] == "a@b.se"


def test_an_event_cannot_be_deleted(funder, recorded):
    with pytest.raises(AuditEvent.Immutable):
        recorded.delete()
    assert len(events(funder)) == 1


def test_the_queryset_refuses_to_update_or_delete(funder, recorded):
    with scope(funder=funder):
        with pytest.raises(AuditEvent.Immutable):
            AuditEvent.objects.filter(pk=recorded.pk).update(actor_email="x@y.se")
        with pytest.raises(AuditEvent.Immutable):
            AuditEvent.objects.all().delete()
    assert events(funder)[0].actor_email == recorded.actor_email


@pytest.mark.services
def test_postgresql_refuses_raw_updates_and_deletes(funder, recorded):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's (set DATABASE_URL)")
    from django.db import DatabaseError, transaction

    for sql in ("UPDATE fundportal_auditevent SET actor_email = 'x@y.se'", "DELETE FROM fundportal_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert events(funder)[0].actor_email == recorded.actor_email


# --- The pages ----------------------------------------------------------------------------------------------

def trail(client, funder, **query):
    return client.get(reverse("audit", args=[funder.slug]), query)


@pytest.fixture
def admin(funder):
    return staff(funder, Role.ADMINISTRATOR, user__email="admin@rs.example")


def record(funder, kind=Kind.ROLE_GIVEN, actor=None, email="p@rs.example", role=Role.SCREENER):
    with scope(funder=funder):
        return audit_record(kind=kind, actor=actor, details={"email": email, "role": role}, label=email)


def test_the_trail_says_in_words_what_happened_newest_first(client, funder, admin):
    record(funder, actor=admin, email="first@rs.example")
    record(funder, Kind.ROLE_TAKEN, actor=admin, email="second@rs.example", role=Role.PANEL_MEMBER)
    client.force_login(admin)
    page = trail(client, funder).content.decode()
    assert page.index("Took the role Panel member from second@rs.example") \
        < page.index("Gave the role Pre-screener to first@rs.example")
    assert "role_given" not in page.replace('value="role_given"', "")  # the kind is said, never its key


def test_one_funders_trail_shows_nothing_of_anothers(client, funder, other_funder, admin):
    record(other_funder, email="secret@nfr.example")
    record(funder, email="own@rs.example")
    client.force_login(admin)
    page = trail(client, funder).content.decode()
    assert "own@rs.example" in page and "secret@nfr.example" not in page


def test_the_trail_is_filtered_by_person_kind_and_date(client, funder, admin):
    other = staff(funder, user__email="other@rs.example")
    record(funder, actor=admin, email="by-admin@rs.example")
    record(funder, Kind.ROLE_TAKEN, actor=other, email="by-other@rs.example")
    client.force_login(admin)
    assert "by-other" not in trail(client, funder, email="ADMIN@rs.example").content.decode()
    by_kind = trail(client, funder, kind=Kind.ROLE_TAKEN).content.decode()
    assert "by-other" in by_kind and "by-admin" not in by_kind
    today = timezone.localdate()
    assert "by-admin" in trail(client, funder, since=today.isoformat(), until=today.isoformat()).content.decode()
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "No event matches these filters" in trail(client, funder, since=tomorrow).content.decode()
    assert "by-admin" in trail(client, funder, until="9999-12-31", since="0001-01-01").content.decode()


def test_the_trail_has_25_events_a_page(client, funder, admin):
    for n in range(29):
        record(funder, email=f"p{n}@rs.example")
    client.force_login(admin)  # the 30th event: the administrator's sign-in
    first, second = trail(client, funder).content.decode(), trail(client, funder, page=2).content.decode()
    assert first.count("<tr>") - 1 == 25 and second.count("<tr>") - 1 == 5
    assert "Page 1 of 2" in first
    assert "p28@rs.example" in first and "p0@rs.example" in second


@pytest.mark.parametrize("count", [1, 40])
def test_the_trail_reads_in_the_same_number_of_queries_whatever_its_size(client, funder, admin,
                                                                         django_assert_num_queries, count):
    for n in range(count):
        record(funder, email=f"p{n}@rs.example")
    client.force_login(admin)
    trail(client, funder)
    with django_assert_num_queries(6):  # session, person, funder, roles, count, page
        assert trail(client, funder).status_code == 200


def test_the_trail_is_exported_as_filtered_and_the_export_is_recorded(client, funder, admin):
    record(funder, actor=admin, email="kept@rs.example")
    record(funder, Kind.ROLE_TAKEN, actor=admin, email="left-out@rs.example")
    client.force_login(admin)
    response = client.get(reverse("audit_export", args=[funder.slug, "csv"]), {"kind": Kind.ROLE_GIVEN})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["When", "Who", "What"]
    assert [row[2] for row in rows[1:]] == ["Gave the role Pre-screener to kept@rs.example"]
    [exported] = events(funder, kind=Kind.EXPORTED)
    assert exported.actor == admin and exported.details["rows"] == 1 and exported.details["kind"] == "fundportal.audit"
    assert exported.details["query"] == f"kind={Kind.ROLE_GIVEN}"


def test_the_trail_exports_as_a_workbook(client, funder, admin):
    record(funder, actor=admin, email="kept@rs.example")
    client.force_login(admin)
    response = client.get(reverse("audit_export", args=[funder.slug, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Gave the role Pre-screener to kept@rs.example" in sheet_text(response.content)


def test_an_export_in_the_background_is_recorded_when_asked_for_and_when_downloaded(
        client, funder, admin, django_capture_on_commit_callbacks):
    record(funder, actor=admin)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(reverse("audit_export", args=[funder.slug, "csv"]))
    job_id = int(job_page["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert "Gave the role" in client.get(reverse("export_job_download", args=[funder.slug, job_id])).getvalue().decode()
    asked, downloaded = events(funder, kind=Kind.EXPORTED), events(funder, kind=Kind.EXPORT_DOWNLOADED)
    assert len(asked) == 1 and asked[0].details["rows"] is None and asked[0].object_id == str(job_id)
    assert len(downloaded) == 1 and downloaded[0].actor == admin


def test_operators_read_every_trail_in_the_django_admin_and_cannot_change_it(client, funder, recorded):
    client.post(reverse("account_login"), {"login": "nobody@example.se", "password": "wrong"})
    operator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    listing = client.get(reverse("admin:fundportal_auditevent_changelist")).content.decode()
    assert "nobody@example.se" in listing and recorded.actor_email in listing
    delete = reverse("admin:fundportal_auditevent_delete", args=[recorded.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert len(events(funder, kind=Kind.ROLE_GIVEN)) == 1


def test_an_event_stays_readable_when_the_person_is_removed(client, funder, admin):
    leaving = staff(funder, user__email="leaving@rs.example")
    record(funder, actor=leaving, email="given@rs.example")
    leaving.delete()
    client.force_login(admin)
    page = trail(client, funder).content.decode()
    assert "leaving@rs.example" in page and "Gave the role Pre-screener to given@rs.example" in page
