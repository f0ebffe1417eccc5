"""Fund administrators give and take roles themselves; newcomers choose a password through the emailed link."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from fundportal.models import LocalMail, Membership, MembershipChange, OutboxEmail, Role, User
from fundportal.tenancy import scope
from tests.factories import PASSWORD, UserFactory, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mailoutbox_to_db")]


def people_url(funder):
    return reverse("people", args=[funder.slug])


def invitation_link(email):
    """The link in the invitation as the person received it."""
    return re.search(r"https?://\S+", LocalMail.objects.get(recipient=email).body).group(0)


def invite(client, funder, email, role, capture, admin=None):
    """An administrator of ``funder`` gives ``email`` a role; the invitation is sent."""
    client.force_login(admin or staff(funder, Role.ADMINISTRATOR))
    with capture(execute=True):
        return client.post(people_url(funder), {"email": email, "role": role}, follow=True)


def test_a_newcomer_given_a_role_chooses_a_password_and_signs_in(client, funder, django_capture_on_commit_callbacks):
    response = invite(client, funder, "Petra.Lind@Karolinska.example", "panel_member", django_capture_on_commit_callbacks)
    assert "petra.lind@karolinska.example now holds the role Panel member" in response.content.decode()
    newcomer = User.objects.get(email="petra.lind@karolinska.example")
    assert not newcomer.has_usable_password()
    with scope(funder=funder):
        assert Membership.objects.get(user=newcomer).role == Role.PANEL_MEMBER
        assert MembershipChange.objects.get().action == MembershipChange.Action.GRANTED

    client.logout()
    opened = client.get(urlsplit(invitation_link(newcomer.email)).path)
    assert opened.status_code == 302  # allauth moves the key out of the address, then asks for the password
    client.post(opened.url, {"password1": "Ny-lösen-2026!", "password2": "Ny-lösen-2026!"})
    assert client.login(email=newcomer.email, password="Ny-lösen-2026!")
    assert client.get(reverse("review:dashboard", args=[funder.slug])).status_code == 200


def test_someone_with_an_account_is_sent_to_sign_in(client, funder, django_capture_on_commit_callbacks):
    known = UserFactory(email="karin@example.se")
    invite(client, funder, "karin@example.se", "screener", django_capture_on_commit_callbacks)
    assert "/accounts/login/?next=/region-stockholm/dashboard/" in invitation_link(known.email)
    assert User.objects.get(pk=known.pk).has_usable_password()


def test_no_administrator_can_read_a_link_into_someones_account(client, funder, other_funder,
                                                                django_capture_on_commit_callbacks):
    """The takeover this prevents: funder B invites someone funder A invited, and B's outbox held a fresh
    password-setting link to the account — and with it A's data."""
    admins = {each: staff(each, Role.ADMINISTRATOR) for each in (funder, other_funder)}
    invite(client, funder, "x@example.se", "screener", django_capture_on_commit_callbacks, admins[funder])
    invite(client, other_funder, "x@example.se", "panel_member", django_capture_on_commit_callbacks, admins[other_funder])

    shown = {funder: "[the personal link is added when the email is sent]",  # A made the account: a link to come
             other_funder: "/accounts/login/?next=/forskningsradet/dashboard/"}  # B found it: sign in
    for each, admin in admins.items():
        with scope(funder=each):
            stored = OutboxEmail.objects.get(recipient="x@example.se")
        assert "/accounts/password/reset/key/" not in stored.body + stored.html
        client.force_login(admin)
        page = client.get(reverse("outbox_email", args=[each.slug, stored.pk])).content.decode()
        assert shown[each] in page and "/accounts/password/reset/key/" not in page

    from_a, from_b = (LocalMail.objects.get(recipient="x@example.se", subject__contains=each.name)
                      for each in (funder, other_funder))
    assert "/accounts/password/reset/key/" not in from_b.body + from_b.html
    assert "/accounts/login/?next=/forskningsradet/dashboard/" in from_b.body
    link = re.search(r"https?://\S+", from_a.body).group(0)
    assert "/accounts/password/reset/key/" in link and f'href="{link}"' in from_a.html
    client.logout()
    opened = client.get(urlsplit(link).path)
    client.post(opened.url, {"password1": "Ny-lösen-2026!", "password2": "Ny-lösen-2026!"})
    assert client.login(email="x@example.se", password="Ny-lösen-2026!")


def test_giving_a_role_twice_is_refused_and_the_form_keeps_the_address(client, funder):
    screener = staff(funder, Role.SCREENER)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.post(people_url(funder), {"email": screener.email, "role": "screener"}).content.decode()
    assert f"{screener.email} already holds this role." in page and f'value="{screener.email}"' in page
    page = client.post(people_url(funder), {"email": "not an address", "role": "screener"}).content.decode()
    assert "Enter a valid email address." in page


def test_a_role_is_taken_away_but_never_the_last_administrator(client, funder):
    admin = staff(funder, Role.ADMINISTRATOR)
    panel_member = staff(funder, Role.PANEL_MEMBER)
    client.force_login(admin)
    with scope(funder=funder):
        panel_role = Membership.objects.get(user=panel_member)
        admin_role = Membership.objects.get(user=admin)
    page = client.post(people_url(funder), {"revoke": panel_role.pk}, follow=True).content.decode()
    assert "no longer holds the role Panel member" in page
    page = client.post(people_url(funder), {"revoke": admin_role.pk}, follow=True).content.decode()
    assert "The last fund administrator cannot be removed." in page
    with scope(funder=funder):
        assert list(Membership.objects.values_list("user__email", flat=True)) == [admin.email]
        assert MembershipChange.objects.get().email == panel_member.email


def test_another_funders_role_cannot_be_taken_away(client, funder, other_funder):
    theirs = staff(other_funder, Role.PANEL_MEMBER)
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with scope(funder=other_funder):
        membership = Membership.objects.get(user=theirs)
    assert client.post(people_url(funder), {"revoke": membership.pk}).status_code == 404
    with scope(funder=other_funder):
        assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_list_searches_names_and_filters_by_role(client, funder):
    staff(funder, Role.PANEL_MEMBER, user__email="bo@example.se", user__first_name="Bo", user__last_name="Ek")
    staff(funder, Role.SCREENER, user__email="ylva@example.se", user__first_name="Ylva", user__last_name="Ström")
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    page = client.get(people_url(funder), {"q": "ström"}).content.decode()
    assert "ylva@example.se" in page and "bo@example.se" not in page
    page = client.get(people_url(funder), {"role": "panel_member"}).content.decode()
    assert "bo@example.se" in page and "ylva@example.se" not in page
    assert "Nobody matches." in client.get(people_url(funder), {"q": "nobody"}).content.decode()


@pytest.mark.parametrize(("role", "status"), [(Role.ADMINISTRATOR, 200), (Role.SCREENER, 403), (Role.PANEL_MEMBER, 403),
                                              (Role.STEERING_MEMBER, 403), (None, 404)])
def test_only_administrators_manage_people(client, funder, role, status):
    client.force_login(staff(funder, role) if role else UserFactory())
    assert client.get(people_url(funder)).status_code == status


def test_the_people_page_keeps_its_query_count(client, funder, django_assert_max_num_queries):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    with django_assert_max_num_queries(12) as one:
        client.get(people_url(funder))
    for number in range(30):
        staff(funder, [Role.PANEL_MEMBER, Role.SCREENER][number % 2])
    with django_assert_max_num_queries(12) as many:
        client.get(people_url(funder))
    assert len(many) == len(one)


def test_the_password_of_a_newcomer_is_never_known_to_the_administrator(client, funder):
    client.force_login(staff(funder, Role.ADMINISTRATOR))
    client.post(people_url(funder), {"email": "ny@example.se", "role": "steering_member"})
    assert not client.login(email="ny@example.se", password=PASSWORD)


@pytest.mark.parametrize("revoke", ["abc", "", "1.5", "-1", "99999999999999999999"])
def test_a_garbled_role_to_take_away_is_refused_with_a_message_and_changes_nothing(client, funder, revoke):
    admin = staff(funder, Role.ADMINISTRATOR)
    staff(funder, Role.PANEL_MEMBER)
    client.force_login(admin)
    response = client.post(people_url(funder), {"revoke": revoke}, follow=True)
    assert response.status_code == 200
    assert "Which role to take away was not understood; nothing was changed." in response.content.decode()
    with scope(funder=funder):
        assert Membership.objects.count() == 2 and not MembershipChange.objects.exists()
